// Gongchuang — small progressive enhancements (no inline scripts: CSP forbids them).
(function () {
  "use strict";

  // The texts are the element's own (includes/countdown.html: data-msg-closed,
  // data-msg-days, data-msg-hours with {d} {h} {m} {s}; data-msg-label with {label}
  // {left}), translated by the server.
  function formatRemaining(ms, el) {
    if (ms <= 0) return el.dataset.msgClosed;
    var s = Math.floor(ms / 1000), values = {
      d: Math.floor(s / 86400), h: Math.floor((s % 86400) / 3600), m: Math.floor((s % 3600) / 60), s: s % 60
    };
    return (values.d ? el.dataset.msgDays : el.dataset.msgHours).replace(/\{(\w)\}/g, function (all, k) {
      return k in values ? values[k] : all;
    });
  }

  function tickCountdowns() {
    document.querySelectorAll("[data-countdown][data-msg-closed]").forEach(function (el) {
      var deadline = Date.parse(el.getAttribute("data-countdown"));
      if (isNaN(deadline)) return;
      if (!el.dataset.label) el.dataset.label = el.textContent.trim();
      el.textContent = el.dataset.msgLabel.replace("{label}", el.dataset.label)
        .replace("{left}", formatRemaining(deadline - Date.now(), el));
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

  // <table class="cards">: on phones each row is a card and each cell shows its column's
  // name; the names come from the table head (the page's own translated text).
  function labelCardCells(root) {
    Array.prototype.forEach.call((root || document).querySelectorAll("table.cards"), function (table) {
      var heads = Array.prototype.map.call(table.querySelectorAll("thead th"), function (th) {
        return th.hasAttribute("data-label") ? th.getAttribute("data-label") : th.textContent.trim();
      });
      Array.prototype.forEach.call(table.querySelectorAll("tbody tr"), function (row) {
        Array.prototype.forEach.call(row.children, function (cell, i) {
          if (!cell.hasAttribute("data-label") && heads[i] && !cell.querySelector("input[type=checkbox]")) {
            cell.setAttribute("data-label", heads[i]);
          }
        });
      });
    });
  }
  document.addEventListener("htmx:afterSwap", function (event) { labelCardCells(event.detail.target); });

  // A table wider than its box scrolls sideways inside it (.table-scroll): keyboard users
  // reach that hidden part only if the box itself can take the focus (WCAG 2.1.1).
  function focusableScrollers() {
    document.querySelectorAll(".table-scroll").forEach(function (box) {
      if (box.scrollWidth > box.clientWidth + 1) {
        if (!box.hasAttribute("tabindex")) box.setAttribute("tabindex", "0");
      } else if (box.getAttribute("tabindex") === "0") {
        box.removeAttribute("tabindex");
      }
    });
  }
  document.addEventListener("htmx:afterSettle", focusableScrollers);
  window.addEventListener("resize", focusableScrollers);

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
    labelCardCells();
    focusableScrollers();
    tickCountdowns();
    setInterval(tickCountdowns, 1000);
  });
})();
