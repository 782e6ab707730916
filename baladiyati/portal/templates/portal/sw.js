/* Baladiyati service worker, release {{ release }}.
 *
 * The app shell (styles, scripts, the report form, the outlines, the offline page) is cached
 * when the worker installs. Static files are served from the cache first (their names change
 * with their content in production). Pages are fetched from the network first; the report
 * form, home and list pages are kept so that they open without a connection, and any other
 * page falls back to the offline page. Posts are never touched: the report form keeps
 * unsent reports itself (IndexedDB, app.js) and resends them with the same idempotency key.
 *
 * Background Sync: the page registers "baladiyati-outbox" when reports wait; the browser
 * wakes this worker when the connection returns, even with the app closed, and it sends
 * them as the page would. What arrived goes to the "sent" store and the open pages are told
 * (they keep the tracking links on the device). A refused report stays with its reason for
 * the page to show; a lost connection or a server error makes the browser try again later.
 */
"use strict";
const RELEASE = "{{ release }}";
const SHELL_CACHE = "baladiyati-shell-" + RELEASE;
const PAGE_CACHE = "baladiyati-pages-" + RELEASE;
const SHELL = {{ shell|safe }};
const OFFLINE_URL = "{{ offline_url }}";
const KEPT_PAGES = ["/", "/report", "/requests", "/cases", OFFLINE_URL];
const NETWORK_FIRST = ["/geo/", "/report/services.json"];
const REPORT_URL = "{{ report_url }}";
const SYNC_TAG = "baladiyati-outbox";

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

/* ------------------------------------------------------------------ Background Sync */
// The database of app.js, opened the same way (same version, same stores).
function openDatabase() {
  return new Promise((resolve, reject) => {
    const request = indexedDB.open("baladiyati", 2);
    request.onupgradeneeded = () => {
      const db = request.result;
      for (const [name, keyPath] of [["outbox", "id"], ["drafts", "id"], ["sent", "reference"]]) {
        if (!db.objectStoreNames.contains(name)) db.createObjectStore(name, { keyPath });
      }
    };
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
}

function inStore(db, name, mode, action) {
  return new Promise((resolve, reject) => {
    const tx = db.transaction(name, mode);
    const request = action(tx.objectStore(name));
    tx.oncomplete = () => resolve(request.result);
    tx.onerror = tx.onabort = () => reject(tx.error);
  });
}

// A CSRF token to post with (a worker cannot read cookies): every page carries one in its
// forms, and fetching a page also sets the cookie it pairs with when it is missing.
async function csrfToken() {
  const response = await fetch(OFFLINE_URL, { credentials: "same-origin", cache: "no-store" });
  const match = /name="csrfmiddlewaretoken" value="([^"]+)"/.exec(await response.text());
  return match ? match[1] : "";
}

async function sendOutbox() {
  const db = await openDatabase();
  try {
    const records = (await inStore(db, "outbox", "readonly", (s) => s.getAll()))
      .filter((record) => !record.error)
      .sort((a, b) => a.created - b.created);
    if (!records.length) return;
    const token = await csrfToken();
    let delivered = 0;
    for (const record of records) {
      const data = new FormData();
      for (const [name, value] of record.fields) data.append(name, value);
      (record.photos || []).forEach((photo, index) => data.append("photos", photo.blob, `photo-${index + 1}.jpg`));
      // A network failure throws: the browser schedules the sync again.
      const response = await fetch(REPORT_URL, {
        method: "POST", body: data, credentials: "same-origin",
        headers: { "Accept": "application/json", "X-CSRFToken": token }
      });
      if (response.status === 201 || response.status === 200) {
        const sent = await response.json();
        await inStore(db, "sent", "readwrite", (s) => s.put({
          reference: sent.reference, tracking_url: sent.tracking_url, service: sent.service || ""
        }));
        await inStore(db, "outbox", "readwrite", (s) => s.delete(record.id));
        delivered += 1;
      } else if (response.status === 400 || response.status === 409) {
        const answer = await response.json().catch(() => ({}));
        const messages = Object.values(answer.errors || {}).flat();
        record.error = messages.join(" ") || String(response.status);
        await inStore(db, "outbox", "readwrite", (s) => s.put(record));
      } else {
        throw new Error(`The server answered ${response.status}; trying again later.`);
      }
    }
    if (delivered) {
      const pages = await self.clients.matchAll({ type: "window" });
      pages.forEach((client) => client.postMessage({ type: "outbox-sent" }));
    }
  } finally {
    db.close();
  }
}

self.addEventListener("sync", (event) => {
  if (event.tag === SYNC_TAG) event.waitUntil(sendOutbox());
});
