// Draft autosave: form[data-autosave] is posted in the background a moment after typing stops.
// Its texts are the page's (data-msg-saved, data-msg-failed: {time}, {errors} filled in).
(function () {
  "use strict";

  function init(form) {
    var status = form.querySelector("[data-autosave-status]");
    var timer = null;
    function save() {
      var token = form.querySelector("input[name=csrfmiddlewaretoken]").value;
      fetch(form.action || window.location.href, {
        method: "POST", credentials: "same-origin", body: new FormData(form),
        headers: { "X-Autosave": "1", "X-CSRFToken": token }
      }).then(function (r) {
        return r.json().then(function (data) {
          if (r.ok) status.textContent = form.dataset.msgSaved.replace("{time}", data.saved_at);
          else status.textContent = form.dataset.msgFailed.replace("{errors}", (data.errors || []).join(" "));
        });
      }).catch(function () { /* offline: the next change tries again */ });
    }
    function later() {
      clearTimeout(timer);
      timer = setTimeout(save, 1500);
    }
    form.addEventListener("input", later);
    // Typing can start before this script runs (slow phone, busy evening): save that too.
    if (Array.prototype.some.call(form.elements, edited)) later();
  }

  function edited(field) {
    if (field.type === "checkbox" || field.type === "radio") return field.checked !== field.defaultChecked;
    return "defaultValue" in field && field.type !== "hidden" && field.value !== field.defaultValue;
  }

  function start() {
    document.querySelectorAll("form[data-autosave]").forEach(init);
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
