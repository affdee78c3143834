// Glossary term previews: the definition shows on hover and keyboard focus through CSS.
// This adds what CSS cannot: a first tap on a touch screen shows the preview (a second
// tap follows the link), and Escape hides an open preview. Without it, links still work.
(function () {
  "use strict";
  var open = null;

  function close() {
    if (open) {
      open.classList.remove("is-open");
      open.classList.add("is-dismissed");
      open = null;
    }
  }

  document.addEventListener("pointerdown", function (event) {
    var ref = event.target.closest && event.target.closest(".term-ref");
    if (open && open !== ref) close();
  });

  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest("a.term-link");
    if (!link) return;
    var ref = link.parentElement;
    var touch = window.matchMedia("(hover: none)").matches;
    if (touch && !ref.classList.contains("is-open")) {
      event.preventDefault();
      close();
      ref.classList.remove("is-dismissed");
      ref.classList.add("is-open");
      open = ref;
    }
  });

  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape") {
      var ref = document.activeElement && document.activeElement.closest && document.activeElement.closest(".term-ref");
      if (ref) {
        ref.classList.add("is-dismissed");
        open = ref;
      }
      close();
    }
  });

  document.addEventListener("focusin", function (event) {
    var ref = event.target.closest && event.target.closest(".term-ref");
    if (ref) ref.classList.remove("is-dismissed");
  });
  document.addEventListener("mouseover", function (event) {
    var ref = event.target.closest && event.target.closest(".term-ref");
    if (ref) ref.classList.remove("is-dismissed");
  });
})();
