// The script every page loads. Offline use first: the service worker at the top of the site
// (massage_site/offline.py) keeps the routines a reader opens, for use with no signal.
if ("serviceWorker" in navigator) navigator.serviceWorker.register("/sw.js").catch(() => {});

// Suggestions as you type (static/js/suggest.js): fetched once the search box is first used, so a
// page where nobody searches pays for these lines only.
(() => {
  const box = document.getElementById("site-search"), types = ["focus", "input"];
  const load = () => {
    types.forEach((type) => box.removeEventListener(type, load));
    document.head.append(Object.assign(document.createElement("script"), { src: box.dataset.script }));
  };
  types.forEach((type) => box?.addEventListener(type, load));
})();

// Glossary term previews, WCAG 1.4.13: hover, focus or a first tap opens one, pointer or focus on
// it keeps it, Escape closes it; on phones a sheet with Close and "Read more". No script: plain links.
(() => {
  "use strict";
  let open = null, timer = 0, pressed;
  const on = (type, fn) => document.addEventListener(type, fn);
  const refOf = (node) => node?.closest?.(".term-ref");
  const box = (el) => el.getBoundingClientRect();
  const make = (tag, props) => Object.assign(document.createElement(tag), props);
  // The stylesheet decides: a sheet is a fixed preview.
  const isSheet = (ref) => getComputedStyle(ref.lastChild).position === "fixed";

  function place(ref) {
    const tip = ref.lastChild, up = (flag) => ref.classList.toggle("is-above", flag);
    const covers = (els) => els.some((el) => {
      const a = box(tip), b = box(el);
      return b.width && a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;
    });
    up(false);
    tip.style.setProperty("--tip-x", "0px");
    if (isSheet(ref)) {
      // At the bottom, or the top if that frees the link or guided mode's controls and covers neither.
      const guided = [...document.querySelectorAll("#guided-start, .player-controls")];
      if (covers([ref.firstChild, ...guided]) && up(true) && covers(guided)) up(false);
      return;
    }
    // Below (or above if only that fits) the nearest line of the link, inside the window.
    const lines = ref.firstChild.getClientRects();
    let r = box(tip), near = lines[lines.length - 1];
    if (r.bottom > innerHeight - 8 && box(ref).top > r.height + 16 && up(true)) [r, near] = [box(tip), lines[0]];
    const left = Math.max(8, Math.min(near.left, document.documentElement.clientWidth - 8 - r.width));
    tip.style.setProperty("--tip-x", left - r.left + "px");
  }
  function show(ref) {
    clearTimeout(timer);
    if (open === ref) return;
    if (open) hide(open);
    ref.classList.add("is-open");
    // Made on opening, removed on closing: never part of the link's description.
    if (isSheet(ref)) {
      const tools = ref.lastChild.appendChild(make("span", { className: "term-tools" }));
      const name = ref.lastChild.firstChild.textContent, href = ref.firstChild.getAttribute("href");
      tools.append(
        make("a", { className: "term-more", href, textContent: `Read more about ${name}` }),
        make("button", { type: "button", className: "term-close", textContent: "×", ariaLabel: "Close", onclick: () => dismiss(ref) }),
      );
    }
    place((open = ref));
  }
  function hide(ref) {
    clearTimeout(timer);
    ref.classList.remove("is-open");
    ref.querySelector(".term-tools")?.remove();
    if (open === ref) open = null;
  }
  // Focus in the preview goes back to the link.
  function dismiss(ref) {
    if (ref.lastChild.contains(document.activeElement)) ref.firstChild.focus({ preventScroll: true });
    hide(ref);
  }

  const hovering = (event, ref) => ref && event.pointerType !== "touch" && !ref.contains(event.relatedTarget) && !isSheet(ref);
  on("pointerover", (event) => hovering(event, refOf(event.target)) && show(refOf(event.target)));
  // A moment's grace to cross over; focus keeps it open.
  on("pointerout", (event) => {
    const ref = refOf(event.target);
    if (ref === open && hovering(event, ref)) timer = setTimeout(() => ref.contains(document.activeElement) || hide(ref), 300);
  });
  on("focusin", (event) => refOf(event.target) && show(refOf(event.target)));
  on("focusout", (event) => {
    const ref = refOf(event.target);
    if (ref && ref === open && !ref.contains(event.relatedTarget) && !ref.matches(":hover")) hide(ref);
  });
  // A first tap previews, a second follows the link ("first": as it was before the tap focused it).
  on("pointerdown", (event) => {
    pressed = open;
    if (open && !open.contains(event.target)) hide(open);
  });
  on("click", (event) => {
    const ref = event.target.closest?.("a.term-link")?.parentNode, before = pressed === undefined ? open : pressed;
    pressed = undefined;
    if (!ref || ref === before || !(event.pointerType === "touch" || isSheet(ref))) return;
    event.preventDefault();
    show(ref);
  });
  // Escape closes the preview, not guided mode too.
  on("keydown", (event) => {
    pressed = undefined;
    if (event.key !== "Escape" || !open) return;
    event.preventDefault();
    dismiss(open);
  });
})();
