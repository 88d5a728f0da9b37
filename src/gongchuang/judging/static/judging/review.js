// Gongchuang expert review form: −/＋ steppers (the final's control), the running weighted
// total as one types, and the draft autosaved to the server. Texts come from data-msg-*.
(function () {
  "use strict";
  var form = document.getElementById("review-form");
  if (!form) return;
  var min = parseInt(form.dataset.min, 10), max = parseInt(form.dataset.max, 10);
  var totalEl = form.querySelector("[data-testid=running-total]");
  var progressEl = form.querySelector("[data-testid=running-progress]");
  var statusEl = form.querySelector("[data-testid=autosave-status]");
  var timer = null, inFlight = false, again = false;

  function inputs() { return form.querySelectorAll("input[data-dim]"); }

  // Same arithmetic as judging.scoring.weighted_total: Σ score × weight × 100 / (max × Σ weight);
  // while dimensions are missing, the total so far (missing ones count 0).
  function updateTotal() {
    var sum = 0, weights = 0, scored = 0, all = inputs();
    all.forEach(function (input) {
      var w = parseInt(input.dataset.weight, 10) || 0, v = parseInt(input.value, 10);
      weights += w;
      if (input.value !== "" && !isNaN(v) && v >= min && v <= max) { sum += v * w; scored += 1; }
    });
    totalEl.textContent = scored ? (sum * 100 / (max * (weights || 1))).toFixed(1) : "—";
    progressEl.textContent = scored === all.length ? "" :
      form.dataset.msgPartial.replace("{n}", String(scored)).replace("{total}", String(all.length));
  }

  function clamp(input) {
    if (input.value === "") return;
    var v = parseInt(input.value, 10);
    if (isNaN(v)) { input.value = ""; return; }
    input.value = String(Math.min(max, Math.max(min, v)));
  }

  function say(text) { if (statusEl) statusEl.textContent = text; }

  function save() {
    if (!form.dataset.autosave) return;
    if (inFlight) { again = true; return; }
    inFlight = true;
    say(form.dataset.msgSaving);
    var data = new FormData(form);
    fetch(form.dataset.draftUrl, { method: "POST", body: data, credentials: "same-origin" })
      .then(function (response) {
        return response.json().then(function (body) { return { ok: response.ok, body: body }; });
      })
      .then(function (r) {
        if (r.ok) say(form.dataset.msgSaved + " " + new Date().toLocaleTimeString());
        else say(form.dataset.msgError + " " + (r.body.message || ""));
      })
      .catch(function () { say(form.dataset.msgError); })
      .finally(function () {
        inFlight = false;
        if (again) { again = false; save(); }
      });
  }
  function scheduleSave() {
    if (!form.dataset.autosave) return;
    clearTimeout(timer);
    timer = setTimeout(save, 1200);
  }

  form.addEventListener("input", function (e) {
    if (e.target.matches("input[data-dim]")) updateTotal();
    scheduleSave();
  });
  form.addEventListener("change", function (e) {
    if (!e.target.matches("input[data-dim]")) return;
    clamp(e.target);
    updateTotal();
  });
  form.addEventListener("click", function (e) {
    var button = e.target.closest("button[data-step]");
    if (!button) return;
    var input = button.parentNode.querySelector("input[data-dim]");
    if (!input || input.disabled) return;
    var step = parseInt(button.dataset.step, 10);
    var current = input.value === "" ? (step > 0 ? min - 1 : max + 1) : parseInt(input.value, 10);
    input.value = String(current + step);
    clamp(input);
    updateTotal();
    scheduleSave();
  });
  form.addEventListener("submit", function () { clearTimeout(timer); form.dataset.autosave = ""; });
  updateTotal();
})();
