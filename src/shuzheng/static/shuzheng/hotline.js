// The hotline's forms (templates/hotline/): a character counter under a description
// (data-counter names the element it writes to), and only the chosen service's Open311
// attributes shown. Without JavaScript every service's attributes are shown with their
// service named, and the server counts the characters.
(function () {
  "use strict";
  function counter(box) {
    var out = document.getElementById(box.getAttribute("data-counter"));
    if (!out) { return; }
    var max = parseInt(out.getAttribute("data-max"), 10);
    var template = out.getAttribute("data-template") || "{count} / {max}";
    function update() {
      var count = Array.from(box.value).length;
      out.textContent = template.replace("{count}", count).replace("{max}", max);
      out.classList.toggle("counter-over", count > max);
    }
    box.addEventListener("input", update);
    update();
  }
  function attributes(select) {
    function update() {
      document.querySelectorAll("fieldset.service-attributes").forEach(function (group) {
        var shown = group.getAttribute("data-service") === select.value;
        group.hidden = !shown;
        group.disabled = !shown;
      });
    }
    select.addEventListener("change", update);
    update();
  }
  // The console: Ctrl+Enter in the description files the request (Enter in a line does so
  // natively); a suggested category's button picks it in the category list.
  document.addEventListener("keydown", function (event) {
    var box = event.target;
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey) && box.tagName === "TEXTAREA" && box.form) {
      event.preventDefault();
      box.form.requestSubmit();
    }
  });
  document.addEventListener("click", function (event) {
    var button = event.target.closest("button[data-pick]");
    var select = document.getElementById("id_service_code");
    if (!button || !select) { return; }
    select.value = button.getAttribute("data-pick");
    select.dispatchEvent(new Event("change", { bubbles: true }));
    select.focus();
  });
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("textarea[data-counter]").forEach(counter);
    var select = document.getElementById("id_service_code");
    if (select) { attributes(select); }
  });
})();
