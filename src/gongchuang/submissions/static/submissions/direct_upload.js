// Big work files straight to the S3 bucket (protocol: gongchuang/submissions/direct_upload.py).
// Loaded before upload.js only when the server offers it (form[data-direct-presign]).
// Files from data-direct-min-bytes up, and videos and ZIP archives always, go:
// presign (our server) → POST to the bucket → complete (our server checks the file).
// Anything else is left to upload.js, which also refreshes the page's file lists once
// every upload has ended. No inline scripts (CSP).
(function () {
  "use strict";

  var zh = document.documentElement.lang !== "en";
  var T = {
    preparing: zh ? "正在准备上传……" : "Preparing upload…",
    uploading: zh ? "正在上传" : "Uploading",
    checking: zh ? "正在检查文件……" : "Checking the file…",
    done: zh ? "上传完成。" : "Upload complete.",
    failed: zh ? "上传失败，请检查网络后重试。" : "Upload failed; check the connection and try again.",
    tooLarge: zh ? "文件超过了该材料允许的大小。" : "The file is larger than this material allows.",
    choose: zh ? "请先选择文件。" : "Please choose a file first."
  };
  var ALWAYS = /\.(mp4|m4v|mov|qt|webm|mkv|zip)$/i;

  function goesDirect(form, file) {
    var min = parseInt(form.getAttribute("data-direct-min-bytes"), 10);
    return file.size >= min || /^video\//.test(file.type) || ALWAYS.test(file.name) ||
      file.type === "application/zip" || file.type === "application/x-zip-compressed";
  }

  function postJSON(url, csrf, body) {
    return fetch(url, {
      method: "POST", credentials: "same-origin",
      headers: { "X-CSRFToken": csrf, "X-Requested-With": "fetch", "Content-Type": "application/json" },
      body: JSON.stringify(body)
    }).then(function (r) {
      return r.json().catch(function () { return {}; }).then(function (data) {
        if (!r.ok) throw new Error(data.error || T.failed);
        return data;
      });
    });
  }

  // XMLHttpRequest rather than fetch: it reports upload progress.
  function sendToBucket(target, file, onProgress) {
    return new Promise(function (resolve, reject) {
      var body = new FormData();
      Object.keys(target.fields).forEach(function (k) { body.append(k, target.fields[k]); });
      body.append("file", file); // S3 ignores form fields after the file
      var xhr = new XMLHttpRequest();
      xhr.open("POST", target.url);
      xhr.upload.onprogress = function (e) { if (e.lengthComputable) onProgress(e.loaded, e.total); };
      xhr.onload = function () {
        if (xhr.status >= 200 && xhr.status < 300) resolve();
        else reject(new Error(/EntityTooLarge/.test(xhr.responseText) ? T.tooLarge : T.failed));
      };
      xhr.onerror = function () { reject(new Error(T.failed)); };
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
    var stored = false;
    form.setAttribute("data-busy", "");
    button.disabled = true;
    say(T.preparing);
    uploads.begin();
    try {
      var target = await postJSON(form.getAttribute("data-direct-presign"), csrf,
        { slot: slot, name: file.name, size: file.size });
      progress.hidden = false;
      await sendToBucket(target, file, function (loaded, total) {
        var pct = Math.floor(loaded * 100 / total);
        progress.value = pct;
        say(T.uploading + " " + pct + "%");
      });
      say(T.checking);
      await postJSON(form.getAttribute("data-direct-complete"), csrf, { key: target.key, name: file.name });
      stored = true;
      progress.value = 100;
      form.querySelector("input[type=file]").value = "";
      say(T.done);
    } catch (err) {
      say(err && err.message ? err.message : T.failed, true);
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
