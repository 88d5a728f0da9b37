// "Send code" buttons of the registration form (accounts/_sms_code_button.html): once a
// code is sent, the button waits data-resend-seconds before it may send another. Every
// text comes from the page (data-text-*), translated by the server.
(function () {
  "use strict";

  function wait(box) {
    var button = box.querySelector("button");
    var left = parseInt(box.dataset.resendSeconds, 10) || 60;
    button.disabled = true;
    function tick() {
      if (left <= 0) {
        button.disabled = false;
        button.textContent = box.dataset.textAgain;
        return;
      }
      button.textContent = box.dataset.textWait.replace("{seconds}", String(left));
      left -= 1;
      window.setTimeout(tick, 1000);
    }
    tick();
  }

  document.addEventListener("htmx:afterSwap", function (event) {
    var box = event.target.closest && event.target.closest("[data-sms-code]");
    if (box && event.target.querySelector("[data-sent]")) wait(box);
  });
})();
