/* The report form, step by step: place → problem → details → send.
 *
 * Without JavaScript the same form works as one long page, checked by the server. Here it
 * becomes four steps with the map, GPS, service search, photos made smaller in the browser,
 * similar reports nearby, and sending by fetch: errors come back as JSON keyed by field and
 * are shown in place; without a connection the report goes to the outbox (app.js).
 */
(function () {
  "use strict";
  var form = document.getElementById("report-form");
  if (!form || !window.Baladiyati) return;
  var B = window.Baladiyati;
  var Maps = window.BaladiyatiMaps;
  var M = JSON.parse(document.getElementById("report-messages").textContent);
  var slug = form.dataset.municipality;
  var steps = Array.prototype.slice.call(form.querySelectorAll("[data-step]"));
  var indicator = document.getElementById("steps");
  var stepCount = document.getElementById("step-count");
  var latInput = form.elements.lat, lonInput = form.elements.lon;
  var district = form.elements.district;
  var whereStatus = document.getElementById("where-status");
  var pickEl = document.getElementById("pick-map");
  var picker = pickEl && pickEl.baladiyatiMap;
  var fileInput = document.getElementById("f-photos");
  var thumbs = document.getElementById("thumbs");
  var similarBox = document.getElementById("similar");
  var maxPhotos = parseInt(form.dataset.maxPhotos, 10) || 5;
  var maxBytes = parseInt(form.dataset.maxPhotoBytes, 10) || 10485760;
  var EDGE = 1600;
  var photos = [];
  var current = 0;
  var boundaryData = null;
  var standalone = window.matchMedia && window.matchMedia("(display-mode: standalone)").matches;

  /* ---------------------------------------------------------------- set-up */
  form.elements.submission_id.value = B.uuid();  // a fresh key for every report written
  form.elements.channel.value = standalone ? "app" : "web";
  indicator.hidden = false;
  stepCount.hidden = false;
  form.querySelectorAll("[data-next], [data-back]").forEach(function (b) { b.hidden = false; });
  var searchField = form.querySelector(".field.search");
  if (searchField) searchField.hidden = false;
  var locateButton = document.getElementById("locate-me");
  if (navigator.geolocation && locateButton) locateButton.hidden = false;
  if (picker) {
    picker.ready.then(function (data) { boundaryData = data; describePlace(); });
  } else if (Maps && pickEl) {
    Maps.boundaries(pickEl.dataset.boundaries).then(function (data) { boundaryData = data; });
  }

  function say(node, text) { if (node) node.textContent = text || ""; }
  function errorNode(key) {
    var match = /^attribute\[(.+)\]$/.exec(key);
    var id = match ? "error-a-" + chosenService() + "-" + match[1] : "error-" + key;
    return document.getElementById(id) || document.getElementById("error-form");
  }
  function clearErrors() {
    form.querySelectorAll(".error").forEach(function (node) { node.textContent = ""; });
    form.querySelectorAll("[aria-invalid]").forEach(function (node) { node.removeAttribute("aria-invalid"); });
    form.querySelectorAll(".field.invalid").forEach(function (node) { node.classList.remove("invalid"); });
    var summary = document.getElementById("error-summary");
    if (summary) summary.remove();
  }
  function showError(key, text) {
    var node = errorNode(key);
    node.textContent = node.textContent ? node.textContent + " " + text : text;
    var field = node.closest(".field");
    if (field) {
      field.classList.add("invalid");
      field.querySelectorAll("input, select, textarea").forEach(function (i) { i.setAttribute("aria-invalid", "true"); });
    }
    return node;
  }

  /* ---------------------------------------------------------------- steps */
  function stepOf(node) { return steps.indexOf(node.closest("[data-step]")); }
  function go(index, push) {
    current = Math.max(0, Math.min(index, steps.length - 1));
    steps.forEach(function (step, i) { step.hidden = i !== current; });
    Array.prototype.forEach.call(indicator.children, function (li, i) {
      li.classList.toggle("current", i === current);
      li.classList.toggle("done", i < current);
      if (i === current) li.setAttribute("aria-current", "step"); else li.removeAttribute("aria-current");
    });
    say(stepCount, B.fill(M.step, { number: B.digits(current + 1), total: B.digits(steps.length) }));
    if (steps[current].dataset.step === "where" && picker) {
      if (hasPoint()) picker.resize(parseFloat(latInput.value), parseFloat(lonInput.value));
      else picker.resize(null, null);
    }
    if (steps[current].dataset.step === "details") checkSimilar();
    if (steps[current].dataset.step === "send") summarise();
    if (push !== false && window.history && history.pushState) history.pushState({ step: current }, "");
    var heading = steps[current].querySelector("h2");
    if (heading && push !== false) heading.focus();
  }
  window.addEventListener("popstate", function (event) {
    go(event.state && typeof event.state.step === "number" ? event.state.step : 0, false);
  });
  form.addEventListener("click", function (event) {
    var next = event.target.closest("[data-next]");
    var back = event.target.closest("[data-back]");
    if (next) {
      event.preventDefault();
      validateStep(current).then(function (ok) { if (ok) go(current + 1); });
    } else if (back) {
      event.preventDefault();
      go(current - 1);
    }
  });

  /* ---------------------------------------------------------------- place */
  function hasPoint() { return latInput.value !== "" && lonInput.value !== ""; }
  function setPoint(lat, lon) {
    latInput.value = lat.toFixed(6);
    lonInput.value = lon.toFixed(6);
    say(document.getElementById("error-location"), "");
    describePlace();
  }
  function describePlace() {
    if (!hasPoint() || !boundaryData) {
      if (!hasPoint() && district.value) {
        say(whereStatus, B.fill(M.chosenPlace, { place: district.options[district.selectedIndex].text }));
      }
      return;
    }
    var lat = parseFloat(latInput.value), lon = parseFloat(lonInput.value);
    var area = Maps.featureAt(boundaryData, "district", lat, lon);
    var city = Maps.featureAt(boundaryData, "municipality", lat, lon);
    if (area && area.properties.municipality === slug) district.value = String(area.properties.id);
    else district.value = "";
    var place = area ? Maps.nameOf(area.properties) : city ? Maps.nameOf(city.properties) : "";
    say(whereStatus, place ? B.fill(M.chosenPlace, { place: place }) : "");
  }
  if (pickEl) {
    pickEl.addEventListener("pick", function (event) { setPoint(event.detail.lat, event.detail.lon); });
  }
  if (locateButton) {
    locateButton.addEventListener("click", function () {
      say(whereStatus, M.locating);
      navigator.geolocation.getCurrentPosition(function (position) {
        var lat = position.coords.latitude, lon = position.coords.longitude;
        if (picker) picker.moveTo(lat, lon, 17, false);
        setPoint(lat, lon);
      }, function () {
        say(whereStatus, M.locateFailed);
      }, { enableHighAccuracy: true, timeout: 15000, maximumAge: 60000 });
    });
  }
  district.addEventListener("change", function () {
    var option = district.options[district.selectedIndex];
    if (!option || !option.value) return;
    if (option.dataset.municipality !== slug) {
      window.location.href = form.action + "?district=" + encodeURIComponent(option.value);
      return;
    }
    // The wilayat as a whole: the server places the report inside it (moving the map after
    // this makes it precise).
    latInput.value = "";
    lonInput.value = "";
    say(document.getElementById("error-location"), "");
    say(whereStatus, B.fill(M.chosenPlace, { place: option.text }));
    if (picker && boundaryData) {
      var feature = (boundaryData.features || []).filter(function (f) {
        return f.properties.kind === "district" && String(f.properties.id) === option.value;
      })[0];
      if (feature) picker.fit(L.geoJSON(feature));
    }
  });
  function checkPlace() {
    if (!hasPoint()) {
      if (district.value) return true;
      showError("location", M.chooseLocation);
      return false;
    }
    if (!boundaryData || !(boundaryData.features || []).length) return true;  // the server decides
    var lat = parseFloat(latInput.value), lon = parseFloat(lonInput.value);
    var city = Maps.featureAt(boundaryData, "municipality", lat, lon);
    if (!city) {
      showError("location", M.outside);
      return false;
    }
    if (city.properties.slug !== slug) {
      say(whereStatus, B.fill(M.otherCity, { municipality: Maps.nameOf(city.properties) }));
      window.location.href = form.action + "?lat=" + latInput.value + "&lon=" + lonInput.value;
      return false;
    }
    return true;
  }

  /* ---------------------------------------------------------------- service */
  function chosenService() {
    var checked = form.querySelector("input[name=service]:checked");
    return checked ? checked.value : "";
  }
  function showQuestions() {
    var code = chosenService();
    form.querySelectorAll("[data-questions]").forEach(function (set) {
      var on = set.dataset.questions === code;
      set.hidden = !on;
      set.disabled = !on;
    });
  }
  // An answer given clears the complaint about its question.
  function answeredNow(event) {
    var field = event.target.closest && event.target.closest(".field.invalid");
    if (!field || !answered(field)) return;
    field.classList.remove("invalid");
    field.querySelectorAll("[aria-invalid]").forEach(function (i) { i.removeAttribute("aria-invalid"); });
    var message = field.querySelector(".error");
    if (message && event.target.type !== "file") message.textContent = "";
  }
  form.addEventListener("input", answeredNow);
  form.addEventListener("change", answeredNow);
  form.addEventListener("change", function (event) {
    if (event.target.name === "service") {
      showQuestions();
      say(document.getElementById("error-service_code"), "");
      form.elements.similar_checked.value = "0";
      similarBox.textContent = "";
    }
  });
  showQuestions();

  var FOLD = { "أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ة": "ه", "ى": "ي", "ئ": "ي", "ؤ": "و", "ک": "ك", "ی": "ي" };
  var PREFIXES = ["وال", "بال", "كال", "فال", "لل", "ال"];
  var SUFFIXES = ["يات", "ات", "ون", "ين", "ان", "يه", "ها", "هم", "ه", "ي"];
  // The same folding and light stemming as baladiyati.core.text.search_terms.
  function terms(text) {
    var folded = String(text || "").normalize("NFKC")
      .replace(/[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640]/g, "")
      .replace(/[أإآٱةىئؤکی]/g, function (c) { return FOLD[c]; })
      .replace(/[٠-٩]/g, function (d) { return String("٠١٢٣٤٥٦٧٨٩".indexOf(d)); })
      .replace(/[۰-۹]/g, function (d) { return String("۰۱۲۳۴۵۶۷۸۹".indexOf(d)); })
      .toLowerCase();
    return (folded.match(/[\p{L}\p{N}_]+/gu) || []).map(stem);
  }
  function stem(word) {
    if (!/^[\u0600-\u06ff]/.test(word)) return word;
    var i;
    for (i = 0; i < PREFIXES.length; i++) {
      if (word.indexOf(PREFIXES[i]) === 0 && word.length - PREFIXES[i].length >= 3) { word = word.slice(PREFIXES[i].length); break; }
    }
    for (i = 0; i < SUFFIXES.length; i++) {
      var s = SUFFIXES[i];
      if (word.slice(-s.length) === s && word.length - s.length >= 3) { word = word.slice(0, -s.length); break; }
    }
    return word;
  }
  var items = Array.prototype.slice.call(form.querySelectorAll("[data-service]"));
  function showOnly(codes) {
    var shown = 0;
    items.forEach(function (item) {
      var on = codes === null || codes.indexOf(item.dataset.service) >= 0;
      item.hidden = !on;
      if (on) shown += 1;
    });
    form.querySelectorAll("[data-group]").forEach(function (group) {
      group.hidden = !group.querySelector("[data-service]:not([hidden])");
    });
    document.getElementById("no-services").hidden = shown > 0;
    return shown;
  }
  function localMatches(text) {
    var wanted = terms(text);
    return items.filter(function (item) {
      var words = (item.dataset.search || "").split(" ");
      return wanted.every(function (t) { return words.some(function (w) { return w.indexOf(t) === 0; }); });
    }).map(function (item) { return item.dataset.service; });
  }
  function matchesText(count) {
    if (!count) return M.noMatch;
    return count === 1 ? M.matchOne : B.fill(M.matches, { count: B.digits(count) });
  }
  var search = document.getElementById("service-search");
  var searchStatus = document.getElementById("search-status");
  var searchTimer = null, searchSeq = 0;
  if (search) {
    search.addEventListener("input", function () {
      var text = search.value.trim();
      clearTimeout(searchTimer);
      if (!text) { showOnly(null); say(searchStatus, ""); return; }
      var count = showOnly(localMatches(text));
      say(searchStatus, matchesText(count));
      if (!navigator.onLine) return;
      var seq = ++searchSeq;
      searchTimer = setTimeout(function () {
        var url = form.dataset.servicesUrl + "?m=" + encodeURIComponent(slug) + "&q=" + encodeURIComponent(text);
        fetch(url, { credentials: "same-origin", headers: { "Accept": "application/json" } })
          .then(function (r) { return r.ok ? r.json() : null; })
          .then(function (data) {
            if (!data || seq !== searchSeq) return;
            var n = showOnly(data.results.map(function (r) { return r.code; }));
            say(searchStatus, matchesText(n));
          })
          .catch(function () { /* offline: the local matches stay */ });
      }, 250);
    });
    search.addEventListener("keydown", function (event) {
      if (event.key === "Enter") event.preventDefault();  // search, not send
    });
  }

  /* ---------------------------------------------------------------- questions */
  function answered(field) {
    var inputs = field.querySelectorAll("input, textarea, select");
    return Array.prototype.some.call(inputs, function (input) {
      if (input.type === "radio" || input.type === "checkbox") return input.checked;
      return input.value.trim() !== "";
    });
  }
  function checkQuestions() {
    var ok = true;
    var set = form.querySelector("[data-questions='" + chosenService() + "']");
    if (!set) return true;
    set.querySelectorAll(".field[data-required]").forEach(function (field) {
      if (!answered(field)) {
        ok = false;
        var node = document.getElementById(field.dataset.error);
        node.textContent = M.required;
        field.classList.add("invalid");
      }
    });
    return ok;
  }

  /* ---------------------------------------------------------------- photos */
  function shrink(file) {
    if (!/^image\/(jpeg|png|webp)$/.test(file.type)) return Promise.reject(M.notImage);
    return createImageBitmap(file, { imageOrientation: "from-image" }).catch(function () {
      return Promise.reject(M.notImage);
    }).then(function (bitmap) {
      var scale = Math.min(1, EDGE / Math.max(bitmap.width, bitmap.height));
      var canvas = document.createElement("canvas");
      canvas.width = Math.max(1, Math.round(bitmap.width * scale));
      canvas.height = Math.max(1, Math.round(bitmap.height * scale));
      canvas.getContext("2d").drawImage(bitmap, 0, 0, canvas.width, canvas.height);
      if (bitmap.close) bitmap.close();
      return new Promise(function (resolve, reject) {
        canvas.toBlob(function (blob) {
          if (!blob) reject(M.notImage);
          else if (blob.size > maxBytes) reject(B.fill(M.tooLarge, { size: B.digits(Math.floor(maxBytes / 1048576)) }));
          else resolve(blob);
        }, "image/jpeg", 0.82);
      });
    });
  }
  function drawThumbs() {
    photos.forEach(function (photo) { if (!photo.url) photo.url = URL.createObjectURL(photo.blob); });
    thumbs.textContent = "";
    photos.forEach(function (photo, index) {
      var number = B.digits(index + 1);
      var li = B.el("li");
      li.appendChild(B.el("img", { src: photo.url, alt: B.fill(M.photo, { number: number }) }));
      var remove = B.el("button", { type: "button", "aria-label": B.fill(M.removePhoto, { number: number }) }, "×");
      remove.addEventListener("click", function () {
        URL.revokeObjectURL(photo.url);
        photos.splice(index, 1);
        drawThumbs();
        fileInput.focus();
      });
      li.appendChild(remove);
      thumbs.appendChild(li);
    });
  }
  if (fileInput) {
    // A big "Add photos" button stands for the browser's file field (still the one focused).
    fileInput.classList.add("file-input");
    var addPhotos = form.querySelector(".add-photos");
    if (addPhotos) addPhotos.hidden = false;
    fileInput.addEventListener("change", function () {
      var files = Array.prototype.slice.call(fileInput.files || []);
      var errorBox = document.getElementById("error-photos");
      say(errorBox, "");
      fileInput.closest(".field").classList.remove("invalid");
      var problems = [];
      var work = Promise.resolve();
      files.forEach(function (file, index) {
        work = work.then(function () {
          if (photos.length >= maxPhotos) {
            var tooMany = B.fill(M.tooManyPhotos, { count: B.digits(maxPhotos) });
            if (problems.indexOf(tooMany) < 0) problems.push(tooMany);
            return;
          }
          return shrink(file).then(function (blob) {
            photos.push({ blob: blob, name: file.name });
          }, function (message) {
            problems.push((file.name ? file.name + ": " : "") + message);
          });
        });
      });
      work.then(function () {
        fileInput.value = "";
        drawThumbs();
        if (problems.length) {
          showError("photos", problems.join(" "));
        }
      });
    });
  }

  /* ---------------------------------------------------------------- similar reports */
  function checkSimilar() {
    var code = chosenService();
    if (!code || !hasPoint() || !navigator.onLine) return;
    var url = form.dataset.similarUrl + "?m=" + encodeURIComponent(slug) + "&service=" + encodeURIComponent(code) +
      "&lat=" + latInput.value + "&lon=" + lonInput.value;
    fetch(url, { credentials: "same-origin" }).then(function (response) {
      if (!response.ok) return;
      return response.text().then(function (html) {
        similarBox.innerHTML = html;
        form.elements.similar_checked.value = "1";
      });
    }).catch(function () { /* offline: the server checks again */ });
  }
  similarBox.addEventListener("click", function (event) {
    var button = event.target.closest("[data-follow]");
    if (!button) return;
    event.preventDefault();
    var item = button.closest(".similar-item");
    var contactInput = item.querySelector("[data-follow-contact]");
    var data = new FormData();
    if (contactInput && contactInput.value.trim()) data.append("contact", contactInput.value.trim());
    button.disabled = true;
    fetch(button.dataset.follow, {
      method: "POST", body: data, credentials: "same-origin",
      headers: { "Accept": "application/json", "X-CSRFToken": B.csrf() }
    }).then(function (response) {
      return response.json().then(function (answer) { return { ok: response.ok, answer: answer }; });
    }).then(function (result) {
      button.disabled = false;
      if (!result.ok) {
        var errors = result.answer.errors || {};
        say(item.querySelector("[data-follow-error]"), (errors.contact || [M.followFailed]).join(" "));
        return;
      }
      finished(result.answer.message, result.answer.url, result.answer.reference);
    }).catch(function () {
      button.disabled = false;
      say(item.querySelector("[data-follow-error]"), M.followFailed);
    });
  });

  // The report ends without a new case (followed an existing one, or kept for later).
  function finished(message, url, linkText) {
    var panel = B.el("section", { "class": "card done", id: "report-finished", tabindex: "-1" });
    panel.appendChild(B.el("p", { role: "status" }, message));
    if (url) {
      var p = B.el("p");
      p.appendChild(B.el("a", { href: url, dir: "ltr" }, linkText || url));
      panel.appendChild(p);
    }
    panel.appendChild(B.el("a", { href: form.action, "class": "button" }, form.dataset.againLabel));
    form.hidden = true;
    indicator.hidden = true;
    stepCount.hidden = true;
    form.parentNode.insertBefore(panel, form);
    panel.focus();
  }

  /* ---------------------------------------------------------------- summary, checks, send */
  function summarise() {
    var list = document.getElementById("summary");
    list.textContent = "";
    var option = district.options[district.selectedIndex];
    var placeText = whereStatus.textContent || (option && option.value ? option.text : "");
    var checked = form.querySelector("input[name=service]:checked");
    var rows = [
      [M.summaryPlace, placeText],
      [M.summaryService, checked ? checked.parentNode.querySelector(".name").textContent : ""],
      [M.summaryPhotos, B.digits(photos.length)]
    ];
    rows.forEach(function (row) {
      list.appendChild(B.el("dt", {}, row[0]));
      list.appendChild(B.el("dd", {}, row[1]));
    });
    list.hidden = false;
  }
  function validateStep(index) {
    var name = steps[index].dataset.step;
    steps[index].querySelectorAll(".error").forEach(function (node) { node.textContent = ""; });
    var ok = true;
    if (name === "where") ok = checkPlace();
    if (name === "what" && !chosenService()) { showError("service_code", M.chooseService); ok = false; }
    if (name === "details") ok = checkQuestions();
    if (!ok) {
      var first = steps[index].querySelector(".error:not(:empty)");
      if (first) {
        var field = first.closest(".field") || first.parentNode;
        var input = field.querySelector("input:not([type=hidden]), select, textarea");
        if (input) input.focus();
      }
    }
    return Promise.resolve(ok);
  }

  function record(data) {
    var fields = [];
    data.forEach(function (value, key) {
      if (typeof value === "string" && key !== "csrfmiddlewaretoken") fields.push([key, value]);
    });
    fields = fields.filter(function (pair) { return pair[0] !== "similar_checked"; });
    fields.push(["similar_checked", "1"]);  // sent later, unattended: no one to ask
    var checked = form.querySelector("input[name=service]:checked");
    var label = (checked ? checked.parentNode.querySelector(".name").textContent : "") +
      (whereStatus.textContent ? " · " + whereStatus.textContent : "");
    return {
      id: form.elements.submission_id.value, created: Date.now(), fields: fields,
      photos: photos.map(function (p) { return { blob: p.blob }; }), label: label, error: null
    };
  }
  function keepForLater(data) {
    return B.outbox.put(record(data)).then(function () {
      finished(M.savedOffline);
      B.renderOutbox();
    });
  }
  function showServerErrors(errors) {
    clearErrors();
    var firstStep = steps.length;
    Object.keys(errors).forEach(function (key) {
      var node = showError(key, errors[key].join(" "));
      firstStep = Math.min(firstStep, stepOf(node) < 0 ? steps.length - 1 : stepOf(node));
    });
    go(firstStep === steps.length ? steps.length - 1 : firstStep);
    var first = steps[current].querySelector(".error:not(:empty)");
    if (first) first.scrollIntoView({ block: "center" });
  }

  var sending = false;
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    if (sending) return;
    clearErrors();
    var checks = [0, 1, 2].map(function (i) { return validateStep(i); });
    Promise.all(checks).then(function (results) {
      var bad = results.indexOf(false);
      if (bad >= 0) { go(bad); return; }
      var data = new FormData(form);
      data["delete"]("photos");
      photos.forEach(function (photo, index) { data.append("photos", photo.blob, "photo-" + (index + 1) + ".jpg"); });
      var sendButton = document.getElementById("send");
      var status = document.getElementById("send-status");
      if (!navigator.onLine) { keepForLater(data); return; }
      sending = true;
      sendButton.disabled = true;
      say(status, M.sending);
      fetch(form.action, {
        method: "POST", body: data, credentials: "same-origin",
        headers: { "Accept": "application/json", "X-CSRFToken": B.csrf() }
      }).then(function (response) {
        if (response.status === 201) {
          return response.json().then(function (sent) {
            B.remember(sent);
            window.location.href = sent.sent_url;
          });
        }
        sending = false;
        sendButton.disabled = false;
        say(status, "");
        if (response.status === 400) return response.json().then(function (d) { showServerErrors(d.errors || {}); });
        if (response.status === 409) {
          return response.json().then(function (d) {
            similarBox.innerHTML = d.similar;
            form.elements.similar_checked.value = "1";
            go(2);
            similarBox.scrollIntoView({ block: "start" });
          });
        }
        if (response.status >= 500) return keepForLater(data);
        showError("form", M.serverError);
      }).catch(function () {
        sending = false;
        sendButton.disabled = false;
        say(status, "");
        keepForLater(data);
      });
    });
  });

  /* ---------------------------------------------------------------- draft kept on leaving */
  // Signing in, or switching the language, leaves the page: what was written so far, photos
  // included, waits in IndexedDB (app.js, store "drafts") and comes back when the form opens
  // again, on the step it was left at. A draft is used once, and dropped after a day. Without
  // IndexedDB both still work; the form then opens empty.
  var DRAFT_ID = "report";
  var DRAFT_MAX_AGE = 24 * 3600 * 1000;
  var PLACE_FIELDS = ["lat", "lon", "district"];
  function worthKeeping() { return current > 0 || photos.length > 0 || !!chosenService(); }
  function saveDraft() {
    if (!("indexedDB" in window) || !worthKeeping()) return Promise.resolve();
    var fields = [];
    new FormData(form).forEach(function (value, key) {
      if (typeof value === "string" && ["csrfmiddlewaretoken", "submission_id"].indexOf(key) < 0) fields.push([key, value]);
    });
    var draft = {
      id: DRAFT_ID, saved: Date.now(), municipality: slug, step: current, fields: fields,
      photos: photos.map(function (p) { return { blob: p.blob, name: p.name }; })
    };
    return B.drafts.put(draft)["catch"](function () { /* storage full or off: leave anyway */ });
  }
  document.querySelectorAll("[data-keep-draft]").forEach(function (link) {
    link.addEventListener("click", function (event) {
      var back = form.action + (hasPoint() ? "?lat=" + latInput.value + "&lon=" + lonInput.value : "?m=" + slug);
      var target = link.pathname + "?next=" + encodeURIComponent(back);
      event.preventDefault();
      saveDraft().then(function () { window.location.href = target; });
    });
  });
  document.querySelectorAll("form.lang-switch").forEach(function (switcher) {
    switcher.addEventListener("submit", function (event) {
      if (!worthKeeping()) return;
      event.preventDefault();
      var button = event.submitter;
      if (button && button.name) switcher.appendChild(B.el("input", { type: "hidden", name: button.name, value: button.value }));
      saveDraft().then(function () { HTMLFormElement.prototype.submit.call(switcher); });
    });
  });
  function restoreDraft() {
    if (!("indexedDB" in window)) return Promise.resolve(null);
    return B.drafts.get(DRAFT_ID).then(function (draft) {
      if (!draft) return null;
      return B.drafts.remove(DRAFT_ID).then(function () {
        if (Date.now() - draft.saved > DRAFT_MAX_AGE || draft.municipality !== slug) return null;
        // The place comes from the address the form was opened at, when it names one.
        var keepPlace = hasPoint() || !!district.value;
        draft.fields.forEach(function (pair) {
          var name = pair[0], value = pair[1];
          if (["m", "channel", "similar_checked"].indexOf(name) >= 0) return;
          if (PLACE_FIELDS.indexOf(name) >= 0 && keepPlace) return;
          Array.prototype.forEach.call(form.elements, function (input) {
            if (input.name !== name) return;
            if (input.type === "radio" || input.type === "checkbox") { if (input.value === value) input.checked = true; }
            else if (input.type !== "file" && (input.type !== "hidden" || PLACE_FIELDS.indexOf(name) >= 0)) input.value = value;
          });
        });
        if (!keepPlace && hasPoint() && picker) {
          var back = function () { picker.moveTo(parseFloat(latInput.value), parseFloat(lonInput.value), 16, false); };
          back();
          picker.ready.then(back);  // after the outlines load and fit the city
        }
        (draft.photos || []).slice(0, maxPhotos).forEach(function (p) { photos.push({ blob: p.blob, name: p.name }); });
        drawThumbs();
        showQuestions();
        describePlace();
        return draft;
      });
    })["catch"](function () { return null; });
  }

  /* ---------------------------------------------------------------- start */
  var serverErrors = document.getElementById("error-summary");
  if (serverErrors) {
    var firstError = form.querySelector(".error:not(:empty)");
    go(firstError ? stepOf(firstError) : 0, false);
    serverErrors.focus();
  } else {
    go(0, false);
  }
  if (history.replaceState) history.replaceState({ step: current }, "");
  restoreDraft().then(function (draft) {
    if (!draft || serverErrors) return;
    go(typeof draft.step === "number" ? draft.step : steps.length - 1, false);
    if (history.replaceState) history.replaceState({ step: current }, "");
    form.setAttribute("data-draft-restored", "");
    B.notify([M.draftRestored]);
  });
})();
