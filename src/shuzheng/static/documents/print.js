// The print view's button (documents/print.html): prints the page. No inline handlers (CSP).
document.addEventListener("DOMContentLoaded", () => {
  for (const button of document.querySelectorAll(".print-button")) {
    button.addEventListener("click", () => window.print());
  }
});
