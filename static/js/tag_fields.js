// The tag fields of the admin (content/tag_fields.py): select2's inline search box of a
// multiple choice has no label of its own, so it takes the field's ("Benefits").
(function () {
  "use strict";

  function labelSearchBoxes() {
    document.querySelectorAll("select.admin-autocomplete[multiple]").forEach(function (select) {
      var container = select.nextElementSibling;
      var input = container && container.querySelector(".select2-search__field");
      var label = document.querySelector('label[for="' + select.id + '"]');
      if (input && label) {
        input.setAttribute("aria-label", label.textContent.replace(/:\s*$/, "").trim());
      }
    });
  }

  // After the admin's own ready handler has turned the lists into select2 boxes.
  function later() {
    window.setTimeout(labelSearchBoxes, 0);
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", later);
  } else {
    later();
  }
})();
