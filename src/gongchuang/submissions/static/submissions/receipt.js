// Receipt page: the "print or save as PDF" button (no inline scripts: CSP).
(function () {
  "use strict";
  document.addEventListener("click", function (event) {
    if (event.target.closest("[data-print]")) window.print();
  });
})();
