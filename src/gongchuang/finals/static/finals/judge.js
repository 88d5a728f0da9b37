// Gongchuang final: judges' scoring on phones, with an offline queue (IndexedDB) and idempotent sync.
(function () {
  "use strict";

  function registerWorker(el) {
    if (!el || !("serviceWorker" in navigator)) return;
    navigator.serviceWorker.register(el.dataset.swUrl, { scope: el.dataset.swScope }).catch(function () {});
  }

  registerWorker(document.getElementById("judge-home"));
  var app = document.getElementById("judge-app");
  if (!app) return;
  registerWorker(app);

  var DB = "gongchuang-final-scores", STORE = "queue";
  var csrf = (document.querySelector('meta[name="csrf-token"]') || {}).content || "";
  var min = parseInt(app.dataset.min, 10), max = parseInt(app.dataset.max, 10);
  var status = app.querySelector("[data-testid=sync-status]");
  var flushing = false, again = false;
  var saving = 0; // edits not yet written to the device queue: the bar must not say "all saved"

  // --- a few lines of IndexedDB -------------------------------------------------------
  function openDb() {
    return new Promise(function (resolve, reject) {
      var req = indexedDB.open(DB, 1);
      req.onupgradeneeded = function () { req.result.createObjectStore(STORE, { keyPath: "client_uuid" }); };
      req.onsuccess = function () { resolve(req.result); };
      req.onerror = function () { reject(req.error); };
    });
  }
  function withStore(mode, fn) {
    return openDb().then(function (db) {
      return new Promise(function (resolve, reject) {
        var tx = db.transaction(STORE, mode), out = fn(tx.objectStore(STORE));
        tx.oncomplete = function () { db.close(); resolve(out && out.result); };
        tx.onerror = function () { db.close(); reject(tx.error); };
      });
    });
  }
  function queuePut(item) { return withStore("readwrite", function (s) { return s.put(item); }); }
  function queueAll() { return withStore("readonly", function (s) { return s.getAll(); }); }
  function queueDone(uuid, rev) {
    // Remove only if no newer edit replaced the entry while it was being sent.
    return withStore("readwrite", function (s) {
      var get = s.get(uuid);
      get.onsuccess = function () { if (get.result && get.result.rev <= rev) s.delete(uuid); };
    });
  }

  // --- sheets ---------------------------------------------------------------------------
  function newUuid() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    var b = crypto.getRandomValues(new Uint8Array(16));
    b[6] = (b[6] & 15) | 64; b[8] = (b[8] & 63) | 128;
    var h = Array.prototype.map.call(b, function (x) { return (x + 256).toString(16).slice(1); }).join("");
    return h.slice(0, 8) + "-" + h.slice(8, 12) + "-" + h.slice(12, 16) + "-" + h.slice(16, 20) + "-" + h.slice(20);
  }
  function sheetKey(sheet) {
    var work = sheet.closest("[data-work]").dataset.work;
    return "gc-final:" + app.dataset.session + ":" + work + ":" + sheet.dataset.kind;
  }
  function sheetUuid(sheet) {
    if (!sheet.dataset.uuid) {
      var key = sheetKey(sheet);
      sheet.dataset.uuid = localStorage.getItem(key) || newUuid();
      localStorage.setItem(key, sheet.dataset.uuid);
    }
    return sheet.dataset.uuid;
  }
  function sheetFor(uuid) { return app.querySelector('.sheet[data-uuid="' + uuid + '"]'); }
  function setState(sheet, text, cls) {
    var el = sheet && sheet.querySelector(".sheet-state");
    if (!el) return;
    el.textContent = text;
    el.className = "sheet-state " + (cls || "muted");
  }
  function localTotal(sheet) {
    var inputs = sheet.querySelectorAll("input[data-dim]"), sum = 0;
    for (var i = 0; i < inputs.length; i++) {
      if (inputs[i].value === "") return "—";
      sum += parseInt(inputs[i].dataset.weight, 10) * parseInt(inputs[i].value, 10);
    }
    return (sum / max).toFixed(2);
  }

  function saveSheet(sheet) {
    var values = {};
    sheet.querySelectorAll("input[data-dim]").forEach(function (input) {
      if (input.value !== "") values[input.dataset.dim] = parseInt(input.value, 10);
    });
    var rev = Math.max(Date.now(), parseInt(sheet.dataset.rev || "0", 10) + 1);
    sheet.dataset.rev = String(rev);
    sheet.querySelector(".sheet-total").textContent = localTotal(sheet);
    var item = {
      client_uuid: sheetUuid(sheet), session: parseInt(app.dataset.session, 10),
      work: parseInt(sheet.closest("[data-work]").dataset.work, 10), kind: sheet.dataset.kind,
      values: values, rev: rev
    };
    setState(sheet, app.dataset.msgSaving);
    saving += 1;
    return queuePut(item).finally(function () { saving -= 1; }).then(flush);
  }

  function clamp(input) {
    if (input.value === "") return;
    var v = parseInt(input.value, 10);
    if (isNaN(v)) { input.value = ""; return; }
    input.value = String(Math.min(max, Math.max(min, v)));
  }

  app.addEventListener("change", function (e) {
    if (!e.target.matches("input[data-dim]")) return;
    clamp(e.target);
    saveSheet(e.target.closest(".sheet"));
  });
  app.addEventListener("click", function (e) {
    var button = e.target.closest("button[data-step]");
    if (!button) return;
    var input = button.parentNode.querySelector("input[data-dim]");
    if (input.disabled) return;
    var current = input.value === "" ? (parseInt(button.dataset.step, 10) > 0 ? min - 1 : max + 1) : parseInt(input.value, 10);
    input.value = String(current + parseInt(button.dataset.step, 10));
    clamp(input);
    saveSheet(input.closest(".sheet"));
  });

  // --- sync -----------------------------------------------------------------------------
  function sheetsLeft() {
    // [sheets not complete, sheets with no value at all, all sheets] on this page.
    var sheets = app.querySelectorAll(".sheet"), open = 0, empty = 0;
    sheets.forEach(function (sheet) {
      var values = Array.prototype.map.call(sheet.querySelectorAll("input[data-dim]"), function (i) { return i.value; });
      if (values.indexOf("") !== -1) open += 1;
      if (values.every(function (v) { return v === ""; })) empty += 1;
    });
    return [open, empty, sheets.length];
  }
  function nothingQueued() {
    // Nothing waits on this device: say so only when every sheet is scored, else what is left.
    var left = sheetsLeft(), open = left[0], empty = left[1], total = left[2];
    if (open === 0) return app.dataset.msgAllSynced;
    var text = empty === total ? app.dataset.msgTodoNone : app.dataset.msgTodo;
    return text.replace("{n}", String(open)).replace("{total}", String(total));
  }
  function showQueue(count, offline) {
    if (!status) return;
    if (count === 0 && saving > 0) { status.textContent = app.dataset.msgSaving; status.className = "sync-bar"; }
    else if (count === 0) {
      status.textContent = nothingQueued();
      status.className = sheetsLeft()[0] === 0 ? "sync-bar ok" : "sync-bar todo";
    }
    else { status.textContent = app.dataset.msgWaiting.replace("{count}", count); status.className = "sync-bar waiting"; }
    if (offline) status.classList.add("offline");
  }

  function flush() {
    if (flushing) { again = true; return Promise.resolve(); }
    flushing = true;
    return queueAll().then(function (items) {
      if (!items.length) { showQueue(0); return null; }
      if (!navigator.onLine) {
        items.forEach(function (it) { setState(sheetFor(it.client_uuid), app.dataset.msgQueued, "pending"); });
        showQueue(items.length, true);
        return null;
      }
      return fetch(app.dataset.syncUrl, {
        method: "POST", credentials: "same-origin",
        headers: { "Content-Type": "application/json", "X-CSRFToken": csrf },
        body: JSON.stringify({ items: items })
      }).then(function (response) {
        if (response.status === 403) { status.textContent = app.dataset.msgLogin; throw new Error("login"); }
        if (!response.ok) throw new Error("http " + response.status);
        return response.json();
      }).then(function (data) {
        var revs = {};
        items.forEach(function (it) { revs[it.client_uuid] = it.rev; });
        return Promise.all(data.results.map(function (r) {
          var sheet = sheetFor(r.client_uuid);
          if (r.status === "error") setState(sheet, r.message, "error");
          else {
            setState(sheet, app.dataset.msgSaved, "ok");
            if (sheet && r.total) sheet.querySelector(".sheet-total").textContent = r.total;
          }
          return queueDone(r.client_uuid, revs[r.client_uuid]);
        }));
      }).then(function () { return queueAll(); }).then(function (left) {
        showQueue(left.length, false);
      }).catch(function () {
        items.forEach(function (it) { setState(sheetFor(it.client_uuid), app.dataset.msgQueued, "pending"); });
        showQueue(items.length, true);
      });
    }).finally(function () {
      flushing = false;
      if (again) { again = false; flush(); }
    });
  }

  // Sheets first created on this device: restore their uuid so a reload cannot fork them.
  app.querySelectorAll(".sheet").forEach(function (sheet) {
    if (!sheet.dataset.uuid) {
      var known = localStorage.getItem(sheetKey(sheet));
      if (known) sheet.dataset.uuid = known;
    }
  });
  // Show values still waiting on this device (e.g. the page was reopened offline).
  queueAll().then(function (items) {
    items.forEach(function (it) {
      var sheet = sheetFor(it.client_uuid);
      if (!sheet || String(it.session) !== app.dataset.session) return;
      Object.keys(it.values).forEach(function (dim) {
        var input = sheet.querySelector('input[data-dim="' + dim + '"]');
        if (input) input.value = it.values[dim];
      });
      sheet.dataset.rev = String(it.rev);
      sheet.querySelector(".sheet-total").textContent = localTotal(sheet);
    });
    return flush();
  });
  window.addEventListener("online", flush);
  window.addEventListener("offline", function () { queueAll().then(function (i) { showQueue(i.length, true); }); });
  setInterval(flush, 5000);
})();
