/* The projector's countdown of the on-site task, from the server's clock.
 *
 * Each render of the page body (the page itself, then every htmx poll) carries the task's
 * deadline and the server's time in milliseconds (data-deadline-ms, data-now-ms). The
 * difference between the server's time and this machine's clock is measured the first
 * time a body is seen, so a projector whose clock is wrong still counts down to the
 * server's deadline; each poll brings a fresh measurement (and a changed deadline).
 */
(function () {
  "use strict";
  var root = document.getElementById("screen");
  if (!root) return;

  function pad(n) { return (n < 10 ? "0" : "") + n; }

  function format(ms) {
    var total = Math.max(0, Math.floor(ms / 1000));
    var hours = Math.floor(total / 3600);
    var minutes = Math.floor((total % 3600) / 60);
    var seconds = total % 60;
    return hours ? hours + ":" + pad(minutes) + ":" + pad(seconds) : pad(minutes) + ":" + pad(seconds);
  }

  function tick() {
    var el = root.querySelector("[data-countdown]");
    if (!el || !el.getAttribute("data-deadline-ms")) return;
    if (!el.hasAttribute("data-offset")) {
      el.setAttribute("data-offset", String(Number(el.getAttribute("data-now-ms")) - Date.now()));
    }
    var serverNow = Date.now() + Number(el.getAttribute("data-offset"));
    var left = Number(el.getAttribute("data-deadline-ms")) - serverNow;
    if (left <= 0) {
      el.textContent = root.getAttribute("data-msg-over");
      el.classList.add("is-over");
    } else {
      el.textContent = format(left);
      el.classList.remove("is-over");
    }
  }

  tick();
  window.setInterval(tick, 250);
  document.body.addEventListener("htmx:afterSwap", tick);
})();
