// Admin change forms: the error summary at the top takes the focus, so a screen reader reads it
// and Tab goes to its links; each link brings its field into view and focuses it, also when the
// admin has replaced the field with a widget of its own (the two-list picker, the technique search).
(function () {
  "use strict";

  function target(id) {
    const field = document.getElementById(id);
    if (field && field.offsetParent !== null) return field;
    // filter_horizontal hides the select behind "<id>_from"; select2 behind its own box.
    const stand_in = document.getElementById(id + "_from") || document.getElementById(id + "_input");
    if (stand_in && stand_in.offsetParent !== null) return stand_in;
    const row = field && field.closest(".form-row, .inline-related, .fieldBox, td");
    if (row) {
      return row.querySelector(".select2-selection, input:not([type=hidden]), select, textarea") || row;
    }
    return field;
  }

  function init() {
    const summary = document.getElementById("error-summary");
    if (!summary) return;
    summary.focus();
    summary.addEventListener("click", (event) => {
      const link = event.target.closest("a[href^='#']");
      if (!link) return;
      const id = decodeURIComponent(link.getAttribute("href").slice(1));
      const element = target(id);
      if (!element) return;
      event.preventDefault();
      if (!element.matches("a, button, input, select, textarea, [tabindex]")) element.setAttribute("tabindex", "-1");
      element.scrollIntoView({ block: "center" });
      element.focus({ preventScroll: true });
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
