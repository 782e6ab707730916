/* Baladiyati service worker, release {{ release }}.
 *
 * The app shell (styles, scripts, the report form, the outlines, the offline page) is cached
 * when the worker installs. Static files are served from the cache first (their names change
 * with their content in production). Pages are fetched from the network first; the report
 * form, home and list pages are kept so that they open without a connection, and any other
 * page falls back to the offline page. Posts are never touched: the report form keeps
 * unsent reports itself (IndexedDB) and resends them with the same idempotency key.
 */
"use strict";
const RELEASE = "{{ release }}";
const SHELL_CACHE = "baladiyati-shell-" + RELEASE;
const PAGE_CACHE = "baladiyati-pages-" + RELEASE;
const SHELL = {{ shell|safe }};
const OFFLINE_URL = "{{ offline_url }}";
const KEPT_PAGES = ["/", "/report", "/requests", "/cases", OFFLINE_URL];
const NETWORK_FIRST = ["/geo/", "/report/services.json"];

self.addEventListener("install", (event) => {
  event.waitUntil(
    caches.open(SHELL_CACHE)
      .then((cache) => cache.addAll(SHELL.map((url) => new Request(url, { credentials: "same-origin" }))))
      .then(() => self.skipWaiting())
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches.keys()
      .then((keys) => Promise.all(keys
        .filter((key) => key.startsWith("baladiyati-") && key !== SHELL_CACHE && key !== PAGE_CACHE)
        .map((key) => caches.delete(key))))
      .then(() => self.clients.claim())
  );
});

async function networkFirst(request, cacheName, key) {
  try {
    const response = await fetch(request);
    if (response.ok && response.type === "basic") {
      const cache = await caches.open(cacheName);
      await cache.put(key || request, response.clone());
    }
    return response;
  } catch (error) {
    const cached = await caches.match(key || request, { ignoreVary: true });
    if (cached) return cached;
    throw error;
  }
}

async function page(request) {
  const url = new URL(request.url);
  const keep = KEPT_PAGES.includes(url.pathname);
  // Pages are kept by path: the report form opened at any place works offline.
  const key = new Request(url.pathname);
  try {
    const response = await fetch(request);
    if (keep && response.ok) {
      const cache = await caches.open(PAGE_CACHE);
      await cache.put(key, response.clone());
    }
    return response;
  } catch (error) {
    const cached = (keep && (await caches.match(key, { ignoreVary: true }))) ||
      (await caches.match(OFFLINE_URL, { ignoreVary: true }));
    if (cached) return cached;
    throw error;
  }
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (request.mode === "navigate") {
    event.respondWith(page(request));
  } else if (url.pathname.startsWith("{{ static_prefix }}")) {
    event.respondWith(
      caches.match(request, { ignoreVary: true }).then((cached) => cached || fetch(request).then((response) => {
        if (response.ok) {
          const copy = response.clone();
          caches.open(SHELL_CACHE).then((cache) => cache.put(request, copy));
        }
        return response;
      }))
    );
  } else if (NETWORK_FIRST.some((prefix) => url.pathname.startsWith(prefix))) {
    event.respondWith(networkFirst(request, SHELL_CACHE));
  }
});
