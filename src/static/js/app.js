// Gongchuang — small progressive enhancements (no inline scripts: CSP forbids them).
(function () {
  "use strict";

  function formatRemaining(ms, lang) {
    if (ms <= 0) return lang === "en" ? "closed" : "已截止";
    var s = Math.floor(ms / 1000), d = Math.floor(s / 86400), h = Math.floor((s % 86400) / 3600),
        m = Math.floor((s % 3600) / 60), sec = s % 60;
    if (lang === "en") return (d ? d + "d " : "") + h + "h " + m + "m " + sec + "s left";
    return "剩余 " + (d ? d + " 天 " : "") + h + " 小时 " + m + " 分 " + sec + " 秒";
  }

  function tickCountdowns() {
    var lang = document.documentElement.lang === "en" ? "en" : "zh";
    document.querySelectorAll("[data-countdown]").forEach(function (el) {
      var deadline = Date.parse(el.getAttribute("data-countdown"));
      if (isNaN(deadline)) return;
      if (!el.dataset.label) el.dataset.label = el.textContent.trim();
      el.textContent = el.dataset.label + "（" + formatRemaining(deadline - Date.now(), lang) + "）";
    });
  }

  function initNav() {
    var toggle = document.querySelector("[data-nav-toggle]");
    var nav = document.getElementById("site-nav");
    if (!toggle || !nav) return;
    toggle.addEventListener("click", function () {
      var open = nav.classList.toggle("open");
      toggle.setAttribute("aria-expanded", open ? "true" : "false");
    });
  }

  // <form data-confirm="...">: ask before destructive actions.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    var message = form.getAttribute && form.getAttribute("data-confirm");
    if (message && !window.confirm(message)) event.preventDefault();
  }, true);

  // An htmx reload of a <select>'s options (e.g. the schools of the chosen district) keeps
  // the choice made while the request was on its way, when the new list still offers it.
  document.addEventListener("htmx:beforeSwap", function (event) {
    var target = event.detail.target;
    if (target && target.tagName === "SELECT") target.dataset.keepValue = target.value;
  });
  document.addEventListener("htmx:afterSwap", function (event) {
    var target = event.detail.target;
    if (!target || target.tagName !== "SELECT" || !target.dataset.keepValue) return;
    var kept = target.dataset.keepValue;
    delete target.dataset.keepValue;
    if (Array.prototype.some.call(target.options, function (o) { return o.value === kept; })) {
      target.value = kept;
    }
  });

  document.addEventListener("DOMContentLoaded", function () {
    initNav();
    tickCountdowns();
    setInterval(tickCountdowns, 1000);
  });
})();
