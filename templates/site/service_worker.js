// The site's service worker (massage_site/offline.py). It keeps the shell and every routine
// the reader opened or chose to keep, with its pictures, so that a routine and its guided
// mode open and run with no signal. Pages come from the network first whenever there is one
// (an edit shows on the next load); files with a hash in their name come from the store.
"use strict";
const RELEASE = "RELEASE";
const FILES = "files-" + RELEASE; // the shell and the static files of this release
const OPENED = "opened-" + RELEASE; // routines opened lately, oldest first
const KEPT = "kept-" + RELEASE; // routines the reader chose to keep
const PICTURES = "pictures-" + RELEASE; // the pictures on those routines
const LIMITS = { [OPENED]: 10, [KEPT]: 30, [PICTURES]: 500 };
const OFFLINE = "{{ offline_url|escapejs }}";
const SHELL = [OFFLINE, {% for url in shell %}"{{ url|escapejs }}"{% if not forloop.last %}, {% endif %}{% endfor %}];
const STATIC = "{{ static_url|escapejs }}";
const ROUTINE = /^\/routines\/[\w-]+\/$/;
const HASHED = /\.[0-9a-f]{12}\.\w+$/;
const NOT_STORED = /^\/(admin|feedback|healthz)(\/|$)/;
const STORES = [FILES, OPENED, KEPT, PICTURES];

self.addEventListener("install", (event) => {
  event.waitUntil(
    caches
      .open(FILES)
      .then((cache) => cache.addAll(SHELL))
      .then(() => self.skipWaiting()),
  );
});

// A new release: fetch the routines the last one kept anew (they name this release's files),
// then drop the old stores. Also keep the routine the reader is on as this worker starts.
self.addEventListener("activate", (event) => {
  event.waitUntil(
    (async () => {
      const names = await caches.keys();
      const old = names.filter((name) => !STORES.includes(name));
      for (const name of old) {
        const into = name.startsWith("kept-") ? KEPT : name.startsWith("opened-") ? OPENED : null;
        if (into) for (const request of await (await caches.open(name)).keys()) await keep(into, request.url);
      }
      await Promise.all(old.map((name) => caches.delete(name)));
      await self.clients.claim();
      for (const client of await self.clients.matchAll({ type: "window" })) await keep(OPENED, client.url);
    })(),
  );
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  const here = url.origin === location.origin;
  if (here && NOT_STORED.test(url.pathname)) return;
  if (request.mode === "navigate") event.respondWith(page(event, url));
  else if (here && url.pathname.startsWith(STATIC)) event.respondWith(staticFile(request, url));
  else if (request.destination === "image") event.respondWith(picture(request));
});

async function page(event, url) {
  try {
    const response = await fetch(event.request);
    if (response.ok && isRoutine(url)) event.waitUntil(store(OPENED, url.pathname, response.clone()));
    return response;
  } catch (error) {
    // A kept routine opens whatever its address carries after "?" (a shared link, say).
    const kept = url.origin === location.origin && ROUTINE.test(url.pathname) && (await caches.match(url.pathname));
    return kept || (await caches.match(event.request)) || (await caches.match(OFFLINE));
  }
}

async function staticFile(request, url) {
  const cache = await caches.open(FILES);
  const stored = HASHED.test(url.pathname) && (await cache.match(request));
  if (stored) return stored;
  try {
    const response = await fetch(request);
    if (response.ok) await cache.put(request, response.clone());
    return response;
  } catch (error) {
    const fallback = await cache.match(request);
    if (fallback) return fallback;
    throw error;
  }
}

async function picture(request) {
  return (await caches.match(request)) || fetch(request);
}

// "Keep for offline" and its undoing, from the routine page (static/js/guided.js).
self.addEventListener("message", (event) => {
  const { keep: path, forget } = event.data || {};
  const reply = (answer) => event.source && event.source.postMessage(answer);
  if (path) {
    event.waitUntil(keep(KEPT, new URL(path, location.origin).href).then((kept) => reply({ path, kept })));
  } else if (forget) {
    event.waitUntil(
      caches
        .open(KEPT)
        .then((cache) => cache.delete(forget))
        .then(() => reply({ path: forget, kept: false })),
    );
  } else if (event.data && event.data.ask) {
    event.waitUntil(
      caches
        .open(KEPT)
        .then((cache) => cache.match(event.data.ask))
        .then((found) => reply({ path: event.data.ask, kept: Boolean(found) })),
    );
  }
});

function isRoutine(url) {
  return url.origin === location.origin && ROUTINE.test(url.pathname) && !url.search;
}

async function keep(name, address) {
  const url = new URL(address);
  if (!isRoutine(url)) return false;
  try {
    const response = await fetch(url.pathname, { credentials: "omit" });
    if (!response.ok) return false;
    await store(name, url.pathname, response);
    return true;
  } catch (error) {
    return false;
  }
}

// A page goes in with the files and pictures it shows, newest last; the oldest beyond the
// store's limit are dropped.
async function store(name, path, response) {
  const html = await response.clone().text();
  const cache = await caches.open(name);
  await cache.delete(path);
  await cache.put(path, response);
  await Promise.all(addresses(html).map(fetchInto));
  await trim(name);
  await trim(PICTURES);
}

function addresses(html) {
  const found = new Set();
  const attribute = /\s(?:src|srcset|href)="([^"]+)"/g;
  for (const [, value] of html.matchAll(attribute)) {
    for (const candidate of value.replace(/&amp;/g, "&").split(",")) {
      const address = candidate.trim().split(/\s+/)[0];
      if (address) found.add(new URL(address, location.origin).href);
    }
  }
  return [...found].filter((address) => {
    const url = new URL(address);
    const file = url.origin === location.origin && url.pathname.startsWith(STATIC);
    return file ? /\.(css|js|svg|png|webp|jpe?g)$/.test(url.pathname) : /\.(svg|png|webp|jpe?g|gif|avif)$/i.test(url.pathname);
  });
}

async function fetchInto(address) {
  const url = new URL(address);
  const here = url.origin === location.origin;
  const cache = await caches.open(here && url.pathname.startsWith(STATIC) ? FILES : PICTURES);
  if (await cache.match(address)) return;
  try {
    const response = await fetch(address, here ? {} : { mode: "no-cors" });
    if (response.ok || response.type === "opaque") await cache.put(address, response);
  } catch (error) {
    // A picture that cannot be fetched now is fetched when the page is kept again.
  }
}

async function trim(name) {
  const cache = await caches.open(name);
  const requests = await cache.keys();
  const extra = requests.length - (LIMITS[name] || Infinity);
  for (const request of requests.slice(0, Math.max(extra, 0))) await cache.delete(request);
}
