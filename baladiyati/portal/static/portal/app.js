/* Baladiyati citizen app, on every page. Plain JavaScript, no framework.
 *
 * - registers the service worker (offline app shell);
 * - the outbox: reports written without a connection wait in IndexedDB and are sent when
 *   the connection returns (by the service worker's Background Sync where the browser has
 *   it, and by the page on "online", on load and every few seconds), each with the
 *   idempotency key made when it was written (`submission_id`), so that sending twice never
 *   files two cases;
 * - drafts: the report being written is kept in IndexedDB (photos included) while the
 *   citizen signs in or switches the language, and comes back afterwards (report.js);
 * - remembers the reports sent from this device (reference and private tracking link), shown
 *   under "My requests" even without an account.
 */
(function () {
  "use strict";
  var body = document.body;
  var root = document.documentElement;
  root.classList.add("js");
  var ARABIC = "٠١٢٣٤٥٦٧٨٩";
  var SENT_KEY = "baladiyati.sent";
  var RETRY_MS = 5000;

  function digits(value) {
    var text = String(value);
    return root.dataset.digits === "arab" ? text.replace(/[0-9]/g, function (d) { return ARABIC[d]; }) : text;
  }
  function fill(template, values) {
    return String(template).replace(/\{(\w+)\}/g, function (match, key) {
      return Object.prototype.hasOwnProperty.call(values, key) ? values[key] : match;
    });
  }
  function csrf() {
    var match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    if (match) return decodeURIComponent(match[1]);
    var field = document.querySelector("input[name=csrfmiddlewaretoken]");
    return field ? field.value : "";
  }
  function uuid() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    var bytes = crypto.getRandomValues(new Uint8Array(16));
    bytes[6] = (bytes[6] & 15) | 64;
    bytes[8] = (bytes[8] & 63) | 128;
    var hex = Array.prototype.map.call(bytes, function (b) { return (b + 256).toString(16).slice(1); }).join("");
    return hex.slice(0, 8) + "-" + hex.slice(8, 12) + "-" + hex.slice(12, 16) + "-" + hex.slice(16, 20) + "-" + hex.slice(20);
  }
  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (key) { node.setAttribute(key, attrs[key]); });
    if (text !== undefined) node.textContent = text;
    return node;
  }
  function notify(parts, kind) {
    var box = document.getElementById("notices");
    if (!box) return;
    var p = el("p", { "class": "notice" + (kind ? " notice-" + kind : "") });
    parts.forEach(function (part) { p.appendChild(typeof part === "string" ? document.createTextNode(part) : part); });
    box.appendChild(p);
  }

  /* ------------------------------------------------------------------ outbox (IndexedDB) */
  // One database, shared with the service worker (sw.js opens it the same way):
  //   outbox  reports waiting for a connection (key: submission_id);
  //   drafts  a report being written, kept while the page is left to sign in or to switch
  //           the language (key: "report");
  //   sent    reports the service worker delivered (Background Sync), told to the page.
  var DB_VERSION = 2;
  var database = null;
  function open() {
    if (database) return database;
    database = new Promise(function (resolve, reject) {
      var request = indexedDB.open("baladiyati", DB_VERSION);
      request.onupgradeneeded = function () {
        var db = request.result;
        if (!db.objectStoreNames.contains("outbox")) db.createObjectStore("outbox", { keyPath: "id" });
        if (!db.objectStoreNames.contains("drafts")) db.createObjectStore("drafts", { keyPath: "id" });
        if (!db.objectStoreNames.contains("sent")) db.createObjectStore("sent", { keyPath: "reference" });
      };
      request.onsuccess = function () {
        // A newer page or worker upgrading the database: let it.
        request.result.onversionchange = function () { request.result.close(); database = null; };
        resolve(request.result);
      };
      request.onerror = function () { database = null; reject(request.error); };
    });
    return database;
  }
  function store(name, mode, action) {
    return open().then(function (db) {
      return new Promise(function (resolve, reject) {
        var tx = db.transaction(name, mode);
        var request = action(tx.objectStore(name));
        tx.oncomplete = function () { resolve(request.result); };
        tx.onerror = tx.onabort = function () { reject(tx.error); };
      });
    });
  }
  function table(name) {
    return {
      put: function (record) { return store(name, "readwrite", function (s) { return s.put(record); }); },
      get: function (id) { return store(name, "readonly", function (s) { return s.get(id); }); },
      all: function () { return store(name, "readonly", function (s) { return s.getAll(); }); },
      remove: function (id) { return store(name, "readwrite", function (s) { return s["delete"](id); }); }
    };
  }
  var outbox = table("outbox");
  var drafts = table("drafts");
  var sentByWorker = table("sent");

  // Asks the service worker to send the outbox when the connection returns (Background
  // Sync), even if the app is closed by then. Where the browser has no Background Sync, the
  // page sends it: on "online", on every load, and every few seconds while reports wait.
  function requestSync() {
    if (!("serviceWorker" in navigator) || !body.dataset.sw) return Promise.resolve(false);
    return navigator.serviceWorker.getRegistration("/").then(function (registration) {
      if (!registration || !registration.sync) return false;
      return registration.sync.register("baladiyati-outbox").then(function () { return true; });
    })["catch"](function () { return false; });
  }

  function send(record) {
    var data = new FormData();
    record.fields.forEach(function (pair) { data.append(pair[0], pair[1]); });
    (record.photos || []).forEach(function (photo, index) {
      data.append("photos", photo.blob, "photo-" + (index + 1) + ".jpg");
    });
    return fetch(body.dataset.reportUrl, {
      method: "POST",
      body: data,
      credentials: "same-origin",
      headers: { "Accept": "application/json", "X-CSRFToken": csrf() }
    });
  }

  function remember(sent) {
    var list = [];
    try { list = JSON.parse(localStorage.getItem(SENT_KEY) || "[]"); } catch (e) { list = []; }
    list = list.filter(function (item) { return item.reference !== sent.reference; });
    list.unshift({ reference: sent.reference, tracking_url: sent.tracking_url, service: sent.service || "", at: Date.now() });
    try { localStorage.setItem(SENT_KEY, JSON.stringify(list.slice(0, 50))); } catch (e) { /* storage full or off */ }
  }
  function rememberedReports() {
    try { return JSON.parse(localStorage.getItem(SENT_KEY) || "[]"); } catch (e) { return []; }
  }

  function messagesOf(errors) {
    var out = [];
    Object.keys(errors || {}).forEach(function (key) { out = out.concat(errors[key]); });
    return out;
  }

  var flushing = null;
  function flush() {
    if (flushing) return flushing;
    if (!("indexedDB" in window)) return Promise.resolve();
    flushing = outbox.all().then(function (records) {
      var chain = Promise.resolve(true);
      records.sort(function (a, b) { return a.created - b.created; }).forEach(function (record) {
        chain = chain.then(function (goOn) {
          if (!goOn || record.error) return goOn;
          return deliver(record, true);
        });
      });
      return chain;
    }).then(renderOutbox, renderOutbox).then(function () { flushing = null; }, function () { flushing = null; });
    return flushing;
  }

  // Sends one waiting report; resolves false when the connection (or server) is not there.
  function deliver(record, retryForbidden) {
    return send(record).then(function (response) {
      if (response.status === 201 || response.status === 200) {
        return response.json().then(function (sent) {
          return outbox.remove(record.id).then(function () {
            announceSent(sent);
            return true;
          });
        });
      }
      if (response.status === 403 && retryForbidden) {
        // The CSRF cookie went away (cleared, or signed in since): fetch a page to get one.
        return fetch("/offline", { credentials: "same-origin" }).then(function () { return deliver(record, false); });
      }
      if (response.status === 400 || response.status === 409) {
        return response.json().catch(function () { return {}; }).then(function (data) {
          record.error = messagesOf(data.errors).join(" ") || String(response.status);
          return outbox.put(record).then(function () { return true; });
        });
      }
      return false;
    }, function () { return false; });
  }

  // A waiting report has arrived (sent by this page, or by the service worker): keep its
  // tracking link on the device and say so, once even if both sent it.
  var announced = {};
  function announceSent(sent) {
    remember(sent);
    if (announced[sent.reference]) return;
    announced[sent.reference] = true;
    var link = el("a", { href: sent.tracking_url }, body.dataset.msgTrack);
    notify([fill(body.dataset.msgSent, { reference: sent.reference }) + " ", link], "success");
  }
  // What the service worker sent while no page (or this one) was looking.
  function absorbSent() {
    if (!("indexedDB" in window)) return Promise.resolve();
    return sentByWorker.all().then(function (items) {
      return Promise.all(items.map(function (sent) {
        return sentByWorker.remove(sent.reference).then(function () { announceSent(sent); });
      }));
    }).then(renderOutbox, function () { /* IndexedDB unavailable */ });
  }

  // While reports wait, try again every few seconds: the "online" event alone is not enough
  // (it does not come when the phone goes from a dead network to a working one).
  var retry = null;
  function retryWhileWaiting(count) {
    if (count && !retry) {
      retry = setInterval(function () { if (navigator.onLine) flush(); }, RETRY_MS);
    } else if (!count && retry) {
      clearInterval(retry);
      retry = null;
    }
  }

  function renderOutbox() {
    if (!("indexedDB" in window)) return Promise.resolve();
    var box = document.getElementById("outbox");
    return outbox.all().then(function (records) {
      var waiting = records.filter(function (r) { return !r.error; }).length;
      retryWhileWaiting(waiting);
      if (waiting) requestSync();
      if (!box) return;
      box.textContent = "";
      box.hidden = records.length === 0;
      if (!records.length) return;
      box.appendChild(el("p", {}, body.dataset.msgWaiting));
      var list = el("ul");
      records.forEach(function (record) {
        var item = el("li", { "data-outbox": record.id }, record.label || record.id);
        if (record.error) {
          item.appendChild(el("p", { "class": "error" }, body.dataset.msgFailed + " " + record.error));
          var remove = el("button", { type: "button", "class": "link" }, body.dataset.msgDelete);
          remove.addEventListener("click", function () { outbox.remove(record.id).then(renderOutbox); });
          item.appendChild(remove);
        }
        list.appendChild(item);
      });
      box.appendChild(list);
    }, function () { /* IndexedDB unavailable (private mode) */ });
  }

  function renderDeviceRequests() {
    var section = document.getElementById("device-requests");
    if (!section) return;
    var known = {};
    document.querySelectorAll("#my-requests [dir=ltr]").forEach(function (node) { known[node.textContent] = true; });
    var items = rememberedReports().filter(function (item) { return !known[item.reference]; });
    if (!items.length) return;
    var list = section.querySelector("ul");
    items.forEach(function (item) {
      var link = el("a", { href: item.tracking_url });
      link.appendChild(el("span", { "class": "title" }, item.service || item.reference));
      link.appendChild(el("span", { "class": "meta", dir: "ltr" }, item.reference));
      var li = el("li");
      li.appendChild(link);
      list.appendChild(li);
    });
    section.hidden = false;
  }

  function offlineBanner() {
    var banner = document.getElementById("offline-banner");
    if (!banner) return;
    banner.textContent = body.dataset.msgOffline;
    banner.hidden = navigator.onLine;
  }

  window.Baladiyati = {
    digits: digits, fill: fill, csrf: csrf, uuid: uuid, el: el, notify: notify,
    outbox: outbox, drafts: drafts, flush: flush, deliver: deliver, send: send, remember: remember,
    renderOutbox: renderOutbox, requestSync: requestSync
  };

  document.addEventListener("DOMContentLoaded", function () {
    offlineBanner();
    absorbSent().then(renderDeviceRequests);
    if (navigator.onLine) flush();
    var sent = document.querySelector("[data-sent]");
    if (sent) {
      remember({ reference: sent.dataset.reference, tracking_url: sent.dataset.trackingUrl, service: sent.dataset.service });
    }
    // Signing out forgets the pages kept for offline use (they may show this citizen's data)
    // and a report being written. Reports waiting to be sent stay: they are sent as written.
    document.querySelectorAll("form[data-signout]").forEach(function (signout) {
      signout.addEventListener("submit", function (event) {
        if (!window.caches) return;
        event.preventDefault();
        var draft = "indexedDB" in window ? drafts.remove("report")["catch"](function () {}) : Promise.resolve();
        draft.then(function () { return caches.keys(); }).then(function (keys) {
          return Promise.all(keys.filter(function (k) { return k.indexOf("baladiyati-") === 0; }).map(function (k) { return caches["delete"](k); }));
        }).then(function () { signout.submit(); }, function () { signout.submit(); });
      });
    });
    document.querySelectorAll("[data-copy]").forEach(function (button) {
      if (!navigator.clipboard) return;
      button.hidden = false;
      button.addEventListener("click", function () {
        navigator.clipboard.writeText(button.dataset.copy).then(function () {
          var done = button.parentNode.querySelector("[data-copied]");
          if (done) done.hidden = false;
        });
      });
    });
  });
  window.addEventListener("online", function () { offlineBanner(); flush(); });
  window.addEventListener("offline", offlineBanner);

  if ("serviceWorker" in navigator && body.dataset.sw) {
    navigator.serviceWorker.addEventListener("message", function (event) {
      if (event.data && event.data.type === "outbox-sent") absorbSent();
    });
    window.addEventListener("load", function () {
      navigator.serviceWorker.register(body.dataset.sw, { scope: "/" }).catch(function () { /* not fatal */ });
    });
  }
})();
