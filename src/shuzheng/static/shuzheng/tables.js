// A table wider than its box scrolls sideways inside .table-scroll (site.css). Such a box
// becomes a named, focusable region so that keyboard users can scroll it too (WCAG 2.1.1;
// axe's scrollable-region-focusable); boxes that fit stay out of the tab order.
(function () {
  "use strict";
  function mark(box) {
    var scrolls = box.scrollWidth > box.clientWidth + 1;
    if (scrolls && !box.hasAttribute("tabindex")) {
      box.setAttribute("tabindex", "0");
      box.setAttribute("role", "region");
      box.setAttribute("aria-label", box.getAttribute("data-label") || "");
    } else if (!scrolls && box.getAttribute("tabindex") === "0") {
      box.removeAttribute("tabindex");
      box.removeAttribute("role");
      box.removeAttribute("aria-label");
    }
  }
  function markAll() {
    document.querySelectorAll(".table-scroll").forEach(mark);
  }
  document.addEventListener("DOMContentLoaded", markAll);
  window.addEventListener("resize", markAll);
  document.addEventListener("htmx:afterSettle", markAll);
})();
