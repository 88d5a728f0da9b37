// Select-all checkbox for the review queues (no inline scripts: CSP).
document.addEventListener("change", function (event) {
  var box = event.target;
  if (!box.matches || !box.matches("[data-select-all]")) return;
  var name = box.getAttribute("data-select-all");
  document.querySelectorAll('input[type=checkbox][name="' + name + '"]').forEach(function (b) {
    b.checked = box.checked;
  });
});
