// A routine's steps: "Move up" and "Move down" on each step card, for the keyboard and for
// anyone who cannot drag. A move swaps the card with its neighbour, numbers every card again,
// sets the hidden order fields (so Save keeps the new order, as after a drag) and says what
// happened in the section's status line. Dragging (django-admin-sortable2) stays as it was;
// after a drag, or "Add another step", the numbers are brought up to date the same way.
(function () {
  "use strict";

  function cards(group) {
    return Array.from(group.querySelectorAll(":scope > fieldset > .step-card:not(.empty-form)"));
  }

  function renumber(group) {
    const all = cards(group);
    all.forEach((card, index) => {
      const number = index + 1;
      const label = card.querySelector(".step-number");
      if (label) label.textContent = `Step ${number}`;
      card.querySelectorAll(".step-move-which").forEach((which) => {
        which.textContent = ` (step ${number})`;
      });
      const order = card.querySelector("input._reorder_");
      if (order) order.value = String(number);
    });
    return all;
  }

  function name(card) {
    const text = card.querySelector(".step-name");
    return text ? text.textContent.trim() : "";
  }

  function move(group, button) {
    const card = button.closest(".step-card");
    const all = cards(group);
    const index = all.indexOf(card);
    const up = button.dataset.move === "up";
    const status = group.querySelector(".step-order-status");
    const neighbour = all[up ? index - 1 : index + 1];
    if (!neighbour) {
      status.textContent = `“${name(card)}” is already the ${up ? "first" : "last"} step.`;
      return;
    }
    neighbour.insertAdjacentElement(up ? "beforebegin" : "afterend", card);
    const now = renumber(group).indexOf(card) + 1;
    button.focus();
    button.scrollIntoView({ block: "nearest" });
    card.classList.remove("step-moved");
    void card.offsetWidth; // restart the highlight
    card.classList.add("step-moved");
    status.textContent = `“${name(card)}” is now step ${now} of ${all.length}. Save to keep the new order.`;
  }

  function init() {
    document.querySelectorAll(".step-cards").forEach((group) => {
      group.addEventListener("click", (event) => {
        const button = event.target.closest("button.step-move");
        if (button) move(group, button);
      });
      // A drag, an added or a removed step: the numbers follow the cards.
      const list = group.querySelector(":scope > fieldset");
      new MutationObserver(() => renumber(group)).observe(list, { childList: true });
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
