// Big work files straight to the S3 bucket (protocol: gongchuang/submissions/direct_upload.py).
// Loaded before upload.js only when the server offers it (form[data-direct-presign]).
// Files from data-direct-min-bytes up, and videos and ZIP archives always, go:
// presign (our server) → POST to the bucket → complete (our server checks the file).
// Anything else is left to upload.js, which also refreshes the page's file lists once
// every upload has ended, and lends its texts (the page's data-msg-*) and progress meter.
// No inline scripts (CSP).
(function () {
  "use strict";

  var ALWAYS = /\.(mp4|m4v|mov|qt|webm|mkv|zip)$/i;

  function goesDirect(form, file) {
    var min = parseInt(form.getAttribute("data-direct-min-bytes"), 10);
    return file.size >= min || /^video\//.test(file.type) || ALWAYS.test(file.name) ||
      file.type === "application/zip" || file.type === "application/x-zip-compressed";
  }

  function postJSON(url, csrf, body, T) {
    return fetch(url, {
      method: "POST", credentials: "same-origin",
      headers: { "X-CSRFToken": csrf, "X-Requested-With": "fetch", "Content-Type": "application/json" },
      body: JSON.stringify(body)
    }).then(function (r) {
      return r.json().catch(function () { return {}; }).then(function (data) {
        if (!r.ok) throw new Error(data.error || T.get("failedDirect"));
        return data;
      });
    });
  }

  // XMLHttpRequest rather than fetch: it reports upload progress.
  function sendToBucket(target, file, onProgress, T) {
    return new Promise(function (resolve, reject) {
      var body = new FormData();
      Object.keys(target.fields).forEach(function (k) { body.append(k, target.fields[k]); });
      body.append("file", file); // S3 ignores form fields after the file
      var xhr = new XMLHttpRequest();
      xhr.open("POST", target.url);
      xhr.upload.onprogress = function (e) { if (e.lengthComputable) onProgress(e.loaded, e.total); };
      xhr.onload = function () {
        if (xhr.status >= 200 && xhr.status < 300) resolve();
        else reject(new Error(T.get(/EntityTooLarge/.test(xhr.responseText) ? "tooLarge" : "failedDirect")));
      };
      xhr.onerror = function () { reject(new Error(T.get("failedDirect"))); };
      xhr.send(body);
    });
  }

  async function run(form, file) {
    var csrf = form.querySelector("input[name=csrfmiddlewaretoken]").value;
    var slot = form.querySelector("input[name=slot]").value;
    var progress = form.querySelector(".upload-progress");
    var status = form.querySelector(".upload-status");
    var button = form.querySelector("button[type=submit]");
    function say(text, isError) {
      status.textContent = text;
      status.classList.toggle("error", !!isError);
      status.setAttribute("role", isError ? "alert" : "status");
    }
    var uploads = window.gongchuangUploads; // upload.js: no reload while others run
    var T = uploads.texts(form), meter = uploads.meter(T);
    var stored = false;
    form.setAttribute("data-busy", "");
    button.disabled = true;
    say(T.get("preparing"));
    uploads.begin();
    try {
      var target = await postJSON(form.getAttribute("data-direct-presign"), csrf,
        { slot: slot, name: file.name, size: file.size }, T);
      progress.hidden = false;
      await sendToBucket(target, file, function (loaded, total) {
        progress.value = Math.floor(loaded * 100 / total);
        say(meter.text(loaded, total));
      }, T);
      say(T.get("checking"));
      await postJSON(form.getAttribute("data-direct-complete"), csrf, { key: target.key, name: file.name }, T);
      stored = true;
      progress.value = 100;
      form.querySelector("input[type=file]").value = "";
      say(T.get("done", { total: T.size(file.size) }));
    } catch (err) {
      say(err && err.message ? err.message : T.get("failedDirect"), true);
    } finally {
      button.disabled = false;
      form.removeAttribute("data-busy");
      uploads.end(stored);
    }
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.matches || !form.matches("form.upload-form[data-direct-presign]")) return;
    if (!window.fetch || !window.FormData) return; // upload.js or a plain upload
    var input = form.querySelector("input[type=file]");
    var file = input.files && input.files[0];
    if (!file || !goesDirect(form, file)) return; // upload.js takes it
    event.preventDefault();
    event.stopImmediatePropagation(); // upload.js listens on the document too
    if (form.hasAttribute("data-busy")) return; // this form's upload is still running
    run(form, file);
  });
})();
