// The plan page's "Done in the last 14 days", read from this browser's own storage, where the
// routine pages' "Done today" buttons (guided.js) keep ISO dates per routine slug. Nothing is sent
// anywhere, and the page itself stays the same for everyone (it is cached), so all of this happens here.
(() => {
  "use strict";
  const box = document.getElementById("ticks");
  if (!box) return;
  const KEY = "done-ticks", DAYS = 14;
  // A local calendar date, n days ago, as YYYY-MM-DD (Swedish dates are written the ISO way).
  const day = (ago = 0, d = new Date()) => (
    d.setDate(d.getDate() - ago), [d.getFullYear(), d.getMonth() + 1, d.getDate()].map((n) => String(n).padStart(2, "0")).join("-"));
  const since = day(DAYS - 1), today = day(), yesterday = day(1);
  const named = (iso) =>
    iso === today ? "today" : iso === yesterday ? "yesterday"
      : new Date(`${iso}T12:00`).toLocaleDateString("en-GB", { weekday: "short", day: "numeric", month: "short" });

  // The stored ticks, kept to the last 14 days (older ones are dropped and the pruning saved).
  function load() {
    let all = {};
    try {
      const stored = localStorage.getItem(KEY);
      if (stored === null) return all;
      all = JSON.parse(stored) || {};
      for (const slug in all) {
        const days = Array.isArray(all[slug]) ? [...new Set(all[slug])].filter((d) => typeof d === "string" && d >= since && d <= today) : [];
        if (days.length) all[slug] = days.sort().reverse();
        else delete all[slug];
      }
      localStorage.setItem(KEY, JSON.stringify(all));
    } catch {
      // no storage (or unreadable ticks): show none
    }
    return all;
  }

  function render() {
    const all = load();
    let any = false;
    for (const li of box.querySelectorAll("[data-routine]")) {
      const days = all[li.dataset.routine] || [];
      li.hidden = !days.length;
      any ||= days.length > 0;
      li.querySelector(".ticks-days").textContent =
        `done on ${days.length} of the last ${DAYS} days (${days.map(named).join(", ")})`;
    }
    box.querySelector("#ticks-none").hidden = any;
  }

  box.querySelector("#ticks-forget").onclick = () => {
    try {
      localStorage.removeItem(KEY);
    } catch {
      // nothing stored, nothing to forget
    }
    render();
    box.querySelector("#ticks-status").textContent = "All ticks forgotten.";
  };
  // Ticked in another tab: show it here too.
  addEventListener("storage", (event) => event.key === KEY && render());
  render();
  box.hidden = false;
})();
