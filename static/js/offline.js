// The offline page: lists the routines this browser keeps (read from the service worker's
// store, nothing fetched), and says so when it stands in for a page that is not saved.
(() => {
  "use strict";
  const list = document.getElementById("offline-list"), empty = document.getElementById("offline-empty");
  if (!navigator.onLine) document.getElementById("offline-status").hidden = false;
  if (!("caches" in window)) {
    document.getElementById("offline-unsupported").hidden = false;
    empty.hidden = true;
    return;
  }
  const seen = new Map();
  caches.keys().then(async (names) => {
    for (const name of names.filter((n) => /^(kept|opened)-/.test(n)).sort()) {
      const cache = await caches.open(name);
      for (const request of await cache.keys()) {
        const path = new URL(request.url).pathname, kept = name.startsWith("kept-");
        if (seen.has(path)) { seen.get(path).kept ||= kept; continue; }
        const html = await (await cache.match(request)).text();
        const title = new DOMParser().parseFromString(html, "text/html").querySelector("h1");
        seen.set(path, { kept, title: title ? title.textContent.trim() : path });
      }
    }
    for (const [path, { kept, title }] of seen) {
      const item = document.createElement("li"), link = document.createElement("a");
      link.href = path;
      link.textContent = title;
      item.append(link, kept ? " (kept)" : "");
      list.append(item);
    }
    empty.hidden = seen.size > 0;
  });
})();
