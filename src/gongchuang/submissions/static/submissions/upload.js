// Resumable uploads of work materials (protocol: gongchuang/submissions/resumable.py).
// A form.upload-form[data-upload-create] is sent in chunks of data-upload-chunk bytes;
// without fetch/Blob.slice the form falls back to a normal multipart upload.
// Several forms may upload at once, each with its own progress: the page never reloads
// while one runs (that would kill the others); once all have ended, the elements marked
// data-upload-refresh (file lists, next steps) are refreshed in place. No inline scripts (CSP).
// The progress tells size done / total, speed and time left; choosing the same file again
// resumes it (the upload's URL is kept in localStorage). Every text is the page's own,
// translated by the server (data-msg-* of the element marked data-upload-texts).
(function () {
  "use strict";

  var DEFAULT_CHUNK = 4 * 1024 * 1024;
  var MAX_FAILURES = 8;

  // --- What to say: every text comes from the page (submissions/_upload_texts.html) -----

  function fill(text, values) {
    return String(text || "").replace(/\{(\w+)\}/g, function (all, name) {
      return name in values ? values[name] : all;
    });
  }

  function formatSize(bytes) {
    var units = ["B", "KB", "MB", "GB"], i = 0, n = bytes;
    while (n >= 1024 && i < units.length - 1) { n /= 1024; i += 1; }
    return (i === 0 ? String(n) : n.toFixed(1)) + " " + units[i];
  }

  // The texts of the element around ``form`` marked data-upload-texts (data-msg-*).
  function Texts(form) {
    this.box = form.closest("[data-upload-texts]") || document.documentElement;
  }
  Texts.prototype.get = function (key, values) {
    return fill(this.box.dataset["msg" + key.charAt(0).toUpperCase() + key.slice(1)], values || {});
  };
  Texts.prototype.timeLeft = function (seconds) {
    var s = Math.max(1, Math.round(seconds)), h = Math.floor(s / 3600), m = Math.floor((s % 3600) / 60);
    if (h) return this.get("hours", { h: h, m: m });
    if (m) return this.get("minutes", { m: m, s: s % 60 });
    return this.get("seconds", { s: s });
  };
  Texts.prototype.size = formatSize;

  // Size done / total, and once it can be told, speed and time left.
  function Meter(texts) { this.texts = texts; this.samples = []; }
  Meter.prototype.text = function (done, total) {
    var now = Date.now();
    this.samples.push([now, done]);
    while (this.samples.length > 2 && now - this.samples[0][0] > 10000) this.samples.shift();
    var first = this.samples[0], values = {
      done: formatSize(done), total: formatSize(total),
      percent: total ? Math.floor(done * 100 / total) : 100
    };
    var seconds = (now - first[0]) / 1000, speed = seconds > 0.3 ? (done - first[1]) / seconds : 0;
    if (speed <= 0 || done >= total) return this.texts.get("uploading", values);
    values.speed = formatSize(Math.round(speed));
    values.left = this.texts.timeLeft((total - done) / speed);
    return this.texts.get("uploadingRate", values);
  };

  // --- The page: uploads running, refresh once all have ended -----------------

  var running = 0;
  var changed = false;

  function markBusy() {
    document.documentElement.toggleAttribute("data-uploading", running > 0);
    // Submitting (or anything marked so) waits until every upload has ended.
    document.querySelectorAll("[data-wait-for-uploads]").forEach(function (el) {
      el.disabled = running > 0;
    });
  }

  function refresh() {
    fetch(window.location.href, { credentials: "same-origin", headers: { "X-Requested-With": "fetch" } })
      .then(function (r) { if (!r.ok) throw new Error(String(r.status)); return r.text(); })
      .then(function (html) {
        if (running > 0) { changed = true; return; } // another upload began: refresh after it
        var fresh = new DOMParser().parseFromString(html, "text/html");
        document.querySelectorAll("[data-upload-refresh][id]").forEach(function (el) {
          var replacement = fresh.getElementById(el.id);
          if (replacement) el.replaceWith(document.importNode(replacement, true));
        });
        markBusy();
        document.dispatchEvent(new CustomEvent("uploads:refreshed"));
      })
      .catch(function () { if (running === 0) window.location.reload(); });
  }

  var uploads = {
    begin: function () { running += 1; markBusy(); },
    end: function (stored) {
      running -= 1;
      changed = changed || !!stored;
      markBusy();
      if (running === 0 && changed) { changed = false; refresh(); }
    },
    running: function () { return running; }
  };
  uploads.texts = function (form) { return new Texts(form); };
  uploads.meter = function (texts) { return new Meter(texts); };
  window.gongchuangUploads = uploads; // direct_upload.js reports its uploads here too

  window.addEventListener("beforeunload", function (event) {
    if (running > 0) { event.preventDefault(); event.returnValue = ""; }
  });

  // --- One upload ---------------------------------------------------------------

  function sleep(ms) { return new Promise(function (r) { setTimeout(r, ms); }); }

  function Uploader(form) {
    this.form = form;
    this.input = form.querySelector("input[type=file]");
    this.slot = form.querySelector("input[name=slot]").value;
    this.csrf = form.querySelector("input[name=csrfmiddlewaretoken]").value;
    this.progress = form.querySelector(".upload-progress");
    this.status = form.querySelector(".upload-status");
    this.button = form.querySelector("button[type=submit]");
    this.chunk = parseInt(form.getAttribute("data-upload-chunk"), 10) || DEFAULT_CHUNK;
    this.texts = new Texts(form);
    this.meter = new Meter(this.texts);
  }

  Uploader.prototype.say = function (text, isError) {
    this.status.textContent = text;
    this.status.classList.toggle("error", !!isError);
    this.status.setAttribute("role", isError ? "alert" : "status");
  };

  Uploader.prototype.headers = function (extra) {
    var h = { "X-CSRFToken": this.csrf, "X-Requested-With": "fetch" };
    for (var k in extra) h[k] = extra[k];
    return h;
  };

  Uploader.prototype.storageKey = function (file) {
    return "gc-upload:" + this.form.getAttribute("data-upload-create") + ":" + this.slot + ":" +
      file.name + ":" + file.size + ":" + file.lastModified;
  };

  Uploader.prototype.remoteOffset = function (url) {
    return fetch(url, { method: "HEAD", credentials: "same-origin", headers: this.headers({}) })
      .then(function (r) { return r.ok ? parseInt(r.headers.get("Upload-Offset"), 10) : -1; });
  };

  Uploader.prototype.create = function (file) {
    var self = this;
    return fetch(this.form.getAttribute("data-upload-create"), {
      method: "POST", credentials: "same-origin",
      headers: this.headers({ "Content-Type": "application/json" }),
      body: JSON.stringify({ slot: this.slot, name: file.name, size: file.size })
    }).then(function (r) {
      return r.json().then(function (data) {
        if (!r.ok) throw new Error(data.error || self.texts.get("failed"));
        if (data.chunk_size) self.chunk = data.chunk_size;
        return data.url;
      });
    }).then(function (url) { try { localStorage.setItem(self.storageKey(file), url); } catch (e) {} return url; });
  };

  Uploader.prototype.show = function (offset, size) {
    this.progress.hidden = false;
    this.progress.value = size ? Math.floor(offset * 100 / size) : 100;
    var text = this.meter.text(offset, size);
    // A resumed upload says so until its first new chunk has arrived.
    if (offset !== this.resumedAt) this.say(text);
  };

  Uploader.prototype.send = async function (url, file, offset) {
    var failures = 0;
    while (offset < file.size) {
      this.show(offset, file.size);
      try {
        var r = await fetch(url, {
          method: "PATCH", credentials: "same-origin",
          headers: this.headers({ "Upload-Offset": String(offset), "Content-Type": "application/offset+octet-stream" }),
          body: file.slice(offset, Math.min(offset + this.chunk, file.size))
        });
        if (r.status === 204 || r.status === 409) {
          offset = parseInt(r.headers.get("Upload-Offset"), 10);
          failures = 0;
          continue;
        }
        if (r.status === 423 && ++failures <= MAX_FAILURES) {
          // Another request of this upload (an earlier attempt) is still being stored.
          await sleep(1000 * failures);
          offset = parseInt(r.headers.get("Upload-Offset"), 10);
          continue;
        }
        var data = await r.json().catch(function () { return {}; });
        // Refused (expired, deadline passed…): the next attempt starts a new upload.
        try { localStorage.removeItem(this.storageKey(file)); } catch (e) {}
        throw new Error(data.error || this.texts.get("failed"));
      } catch (err) {
        if (err instanceof TypeError && ++failures <= MAX_FAILURES) {
          // Network error: wait, ask the server how much arrived, go on from there.
          this.say(this.texts.get("retrying"));
          await sleep(Math.min(30000, 1000 * Math.pow(2, failures)));
          try { var o = await this.remoteOffset(url); if (o >= 0) offset = o; } catch (e) {}
          continue;
        }
        throw err;
      }
    }
    this.show(offset, file.size);
    return offset;
  };

  Uploader.prototype.upload = async function (file) {
    var key = this.storageKey(file);
    var url = null, offset = 0;
    try { url = localStorage.getItem(key); } catch (e) {}
    if (url) {
      offset = await this.remoteOffset(url);
      if (offset < 0) { url = null; offset = 0; }
      if (offset > 0) {
        // The same file chosen again: go on from what arrived before.
        this.resumedAt = offset;
        this.say(this.texts.get("resuming", { done: formatSize(offset), total: formatSize(file.size) }));
        this.progress.hidden = false;
        this.progress.value = Math.floor(offset * 100 / file.size);
      }
    }
    if (!url) url = await this.create(file);
    await this.send(url, file, offset);
    this.say(this.texts.get("checking"));
    var r = await fetch(url + "finalize/", { method: "POST", credentials: "same-origin", headers: this.headers({}) });
    var data = await r.json().catch(function () { return {}; });
    try { localStorage.removeItem(key); } catch (e) {}
    if (!r.ok) throw new Error(data.error || this.texts.get("failed"));
  };

  Uploader.prototype.run = async function () {
    var file = this.input.files && this.input.files[0];
    if (!file) { this.say(this.texts.get("choose"), true); return; }
    this.form.setAttribute("data-busy", "");
    this.button.disabled = true;
    this.say(this.texts.get("preparing"));
    uploads.begin();
    var stored = false;
    try {
      await this.upload(file);
      stored = true;
      this.progress.value = 100;
      this.input.value = "";
      this.say(this.texts.get("done", { total: formatSize(file.size) }));
    } catch (err) {
      this.say(err && err.message ? err.message : this.texts.get("failed"), true);
    } finally {
      this.button.disabled = false;
      this.form.removeAttribute("data-busy");
      uploads.end(stored);
    }
  };

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.matches || !form.matches("form.upload-form[data-upload-create]")) return;
    if (!window.fetch || !window.Blob || !Blob.prototype.slice) return; // plain upload
    event.preventDefault();
    if (form.hasAttribute("data-busy")) return; // this form's upload is still running
    new Uploader(form).run();
  });
})();
