/* The venue check-in desk: read the finalist's QR code with the phone's camera.
 *
 * getUserMedia gives the rear camera's picture; each frame is drawn on a canvas and given
 * to jsQR (npm package "jsqr", served from /static/vendor/jsqr/). The QR code holds the
 * link of this page with ?code=…; the code goes into the form, which is submitted (the
 * server checks in through the attendance service). The desk keeps scanning after each
 * check-in while the camera is on (remembered for the page that follows the submit).
 * Typing the code into the form works without a camera.
 */
(function () {
  "use strict";
  var box = document.getElementById("scanner");
  var form = document.getElementById("checkin-form");
  if (!box || !form) return;
  var video = box.querySelector("[data-scan-video]");
  var canvas = box.querySelector("[data-scan-canvas]");
  var status = box.querySelector("[data-scan-status]");
  var startButton = box.querySelector("[data-scan-start]");
  var stopButton = box.querySelector("[data-scan-stop]");
  var input = form.querySelector("input[name=code]");
  var KEY = "gongchuang-checkin-scanning";
  var stream = null;
  var done = false;

  function say(name) { status.textContent = box.getAttribute("data-msg-" + name) || ""; }

  // What a scanned text means: the code in our check-in link, or a bare code.
  function codeFrom(text) {
    text = (text || "").trim();
    if (/^[A-Za-z0-9]{4,12}$/.test(text)) return text.toUpperCase();
    try {
      var url = new URL(text, window.location.href);
      var code = url.searchParams.get("code");
      if (code && url.pathname === window.location.pathname) return code.toUpperCase();
    } catch (e) { /* not a link */ }
    return "";
  }

  function decode(imageData) {
    var found = window.jsQR(imageData.data, imageData.width, imageData.height, {
      inversionAttempts: "dontInvert"
    });
    return found ? found.data : "";
  }

  function frame() {
    if (!stream || done) return;
    if (video.readyState >= 2 && video.videoWidth) {
      canvas.width = video.videoWidth;
      canvas.height = video.videoHeight;
      var context = canvas.getContext("2d", { willReadFrequently: true });
      context.drawImage(video, 0, 0, canvas.width, canvas.height);
      var text = decode(context.getImageData(0, 0, canvas.width, canvas.height));
      if (text) {
        var code = codeFrom(text);
        if (code) {
          done = true;
          say("found");
          input.value = code;
          stop(true);
          form.submit();
          return;
        }
        say("not-ours");
      }
    }
    window.requestAnimationFrame(frame);
  }

  function stop(keepScanning) {
    if (stream) stream.getTracks().forEach(function (t) { t.stop(); });
    stream = null;
    video.hidden = true;
    stopButton.hidden = true;
    startButton.hidden = false;
    if (!keepScanning) {
      window.sessionStorage.removeItem(KEY);
      status.textContent = "";
    }
  }

  function start() {
    if (!navigator.mediaDevices || !navigator.mediaDevices.getUserMedia || !window.jsQR) {
      say("unsupported");
      return;
    }
    say("starting");
    navigator.mediaDevices
      .getUserMedia({ video: { facingMode: "environment" }, audio: false })
      .then(function (s) {
        stream = s;
        done = false;
        video.srcObject = s;
        video.hidden = false;
        startButton.hidden = true;
        stopButton.hidden = false;
        window.sessionStorage.setItem(KEY, "1");
        return video.play();
      })
      .then(function () { say("scanning"); window.requestAnimationFrame(frame); })
      .catch(function () { stop(false); say("denied"); });
  }

  startButton.addEventListener("click", start);
  stopButton.addEventListener("click", function () { stop(false); });
  if (window.sessionStorage.getItem(KEY)) start();
})();
