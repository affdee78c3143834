// Suggestions as you type in the header's search box: a combobox with a listbox popup, as in the
// WAI-ARIA APG. terms.js loads this once the box is first used; without it the box is a plain
// search form. Arrows move through the suggestions, Enter opens one (or searches if none is
// highlighted), Escape closes the list and a second Escape clears the box.
(() => {
  "use strict";
  const box = document.getElementById("site-search");
  if (!box || box.getAttribute("role")) return;
  const make = (tag, props, attrs = {}) => {
    const el = Object.assign(document.createElement(tag), props);
    for (const name in attrs) el.setAttribute(name, attrs[name]);
    return el;
  };
  const set = (name, value) => box.setAttribute(name, value);
  const list = make("ul", { id: "site-search-list", className: "suggestions", hidden: true }, { role: "listbox", "aria-label": "Suggestions" });
  // Announced politely: how many suggestions there are, not each one.
  const status = make("p", { className: "visually-hidden" }, { role: "status" });
  box.form.append(list, status);
  set("role", "combobox");
  set("aria-autocomplete", "list");
  set("aria-expanded", "false");
  set("aria-controls", list.id);
  set("autocomplete", "off");
  let items = [], active = -1, timer = 0, request = null;

  function highlight(index) {
    active = index;
    [...list.children].forEach((option, i) => option.setAttribute("aria-selected", i === index));
    if (index < 0) return box.removeAttribute("aria-activedescendant");
    set("aria-activedescendant", list.children[index].id);
    list.children[index].scrollIntoView({ block: "nearest" });
  }
  function show(open) {
    list.hidden = !open;
    set("aria-expanded", open);
    if (!open) highlight(-1);
  }
  function render(results) {
    items = results;
    list.replaceChildren(
      ...results.map((item, i) => {
        const option = make("li", { id: `site-search-option-${i}`, className: "suggestion" }, { role: "option" });
        if (item.picture) option.append(make("img", { src: item.picture, alt: "", width: 48, height: 36 }));
        option.append(make("span", { className: "suggestion-title", textContent: item.title }), " ", make("span", { className: "result-kind", textContent: item.type }));
        return option;
      }),
    );
    highlight(-1);
    status.textContent = results.length === 1 ? "1 suggestion" : `${results.length || "No"} suggestions`;
    show(results.length > 0 && document.activeElement === box); // not after the reader has moved on
  }
  function clear() {
    request?.abort();
    items = [];
    list.replaceChildren();
    status.textContent = "";
    show(false);
  }
  function update() {
    const query = box.value.trim();
    if (query.replace(/[^\p{L}\p{N}]/gu, "").length < 2) return clear();
    request?.abort(); // an answer to what was typed before is no longer wanted
    request = new AbortController();
    fetch(`${box.dataset.suggest}?q=${encodeURIComponent(query)}`, { signal: request.signal })
      .then((response) => (response.ok ? response.json() : Promise.reject()))
      .then((answer) => render(answer.results))
      .catch(() => {});
  }

  box.addEventListener("input", () => {
    highlight(-1);
    clearTimeout(timer);
    timer = setTimeout(update, 150);
  });
  box.addEventListener("keydown", (event) => {
    const count = items.length, open = !list.hidden;
    if ((event.key === "ArrowDown" || event.key === "ArrowUp") && count) {
      event.preventDefault();
      const step = event.key === "ArrowDown" ? 1 : -1;
      show(true);
      highlight(active < 0 ? (step > 0 ? 0 : count - 1) : (active + step + count) % count);
    } else if (event.key === "Enter" && open && active >= 0) {
      event.preventDefault();
      location.assign(items[active].url);
    } else if (event.key === "Escape" && (open || box.value)) {
      event.preventDefault(); // the browser's own clearing of a search box waits for a second Escape
      event.stopPropagation(); // nor does it close a term preview or guided mode
      if (open) show(false);
      else {
        box.value = "";
        clear();
      }
    }
  });
  box.addEventListener("blur", () => show(false));
  // A press on the list keeps focus in the box (on phones, the box stays open over the header).
  list.addEventListener("mousedown", (event) => event.preventDefault());
  list.addEventListener("click", (event) => {
    const option = event.target.closest("[role=option]");
    if (option) location.assign(items[[...list.children].indexOf(option)].url);
  });
  // Typed while this file was on its way.
  if (box.value !== box.defaultValue) update();
})();
