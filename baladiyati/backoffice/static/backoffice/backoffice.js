/* Baladiyati back office: keyboard shortcuts, ticking rows, the caller's history on the 1111
 * screen, response templates, the call form's questions and pin. Plain JavaScript; every
 * page also works without it. */
(function () {
  "use strict";
  function typing(target) {
    return target && (/^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName) || target.isContentEditable);
  }

  // Keys: "/" search, j/k move between rows, x tick, o or Enter open, "g i"/"g c"/"g p" go.
  var pending = "";
  function rows() { return Array.prototype.slice.call(document.querySelectorAll("tr[data-row]")); }
  function move(step) {
    var all = rows(); if (!all.length) return;
    var index = all.findIndex(function (r) { return r.classList.contains("current"); });
    if (index >= 0) all[index].classList.remove("current");
    index = Math.max(0, Math.min(all.length - 1, index + step));
    all[index].classList.add("current");
    var link = all[index].querySelector("[data-open]");
    if (link) link.focus();
  }
  document.addEventListener("keydown", function (event) {
    if (event.ctrlKey || event.metaKey || event.altKey || typing(event.target)) return;
    var key = event.key;
    if (pending === "g") {
      pending = "";
      var nav = document.querySelector('[data-key="g ' + key + '"]');
      if (nav) { event.preventDefault(); nav.click(); }
      return;
    }
    if (key === "g") { pending = "g"; return; }
    if (key === "/") {
      var search = document.querySelector("[data-search]");
      if (search) { event.preventDefault(); search.focus(); search.select(); }
    } else if (key === "j") { event.preventDefault(); move(1); }
    else if (key === "k") { event.preventDefault(); move(-1); }
    else if (key === "x" || key === "o") {
      var row = document.querySelector("tr[data-row].current");
      if (!row) return;
      event.preventDefault();
      if (key === "x") { var box = row.querySelector('input[type="checkbox"]'); if (box) box.checked = !box.checked; }
      else { var open = row.querySelector("[data-open]"); if (open) open.click(); }
    } else {
      var field = document.querySelector('textarea[data-key="' + key + '"]');
      if (field) { event.preventDefault(); field.focus(); }
    }
  });

  function ready() {
    var all = document.querySelector("[data-select-all]");
    if (all) all.addEventListener("change", function () {
      document.querySelectorAll('#cases input[name="case"]').forEach(function (box) { box.checked = all.checked; });
    });

    // Response templates: the text in the citizen's language fills the reply.
    var templates = document.querySelector("[data-templates]");
    if (templates) templates.addEventListener("change", function () {
      var option = templates.selectedOptions[0];
      var reply = document.getElementById("f-reply");
      if (!option || !option.value || !reply) return;
      reply.value = option.dataset[templates.dataset.language === "en" ? "en" : "ar"] || option.dataset.ar;
      reply.focus();
    });

    // 1111: the caller's history as the number is typed (a fragment rendered by the server).
    var phone = document.getElementById("f-phone");
    var panel = document.getElementById("caller-history");
    if (phone && panel && phone.dataset.history) {
      var timer = null, last = "", controller = null;
      phone.addEventListener("input", function () {
        clearTimeout(timer);
        timer = setTimeout(function () {
          var value = phone.value.trim();
          if (value === last) return;
          last = value;
          if (controller) controller.abort();
          controller = new AbortController();
          fetch(phone.dataset.history + "?phone=" + encodeURIComponent(value), { credentials: "same-origin", signal: controller.signal })
            .then(function (r) { return r.ok ? r.text() : ""; })
            .then(function (html) {
              if (!html) return;
              var holder = document.createElement("div");
              holder.innerHTML = html;
              var fresh = holder.querySelector("#caller-history");
              var current = document.getElementById("caller-history");
              if (fresh && current) current.replaceWith(fresh);
            })
            .catch(function () {});
        }, 250);
      });
    }

    // 1111: only the chosen service's questions are shown and sent.
    var service = document.querySelector("[data-service-select]");
    if (service) {
      var show = function () {
        document.querySelectorAll("fieldset[data-questions]").forEach(function (set) {
          var on = set.dataset.questions === service.value;
          set.hidden = !on; set.disabled = !on;
        });
      };
      service.addEventListener("change", show);
      show();
    }
    var map = document.getElementById("call-map");
    if (map) map.addEventListener("pick", function (event) {
      document.getElementById("f-lat").value = event.detail.lat.toFixed(6);
      document.getElementById("f-lon").value = event.detail.lon.toFixed(6);
    });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", ready);
  else ready();
})();
