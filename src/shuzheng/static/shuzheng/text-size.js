// Larger-text mode (issue 4, item 5): toggle html.large-text at once and remember it in the
// same cookie the server reads (views.text_size), so the next page renders it too. Without
// JavaScript the button's form posts to /text-size/ and the server sets the cookie.
document.addEventListener("click", function (event) {
  var button = event.target.closest(".text-size-toggle");
  if (!button) return;
  event.preventDefault();
  var large = button.getAttribute("aria-pressed") !== "true";
  document.documentElement.classList.toggle("large-text", large);
  button.setAttribute("aria-pressed", large ? "true" : "false");
  button.value = large ? "0" : "1";
  document.cookie = "large_text=" + (large ? "1" : "0") + "; path=/; max-age=31536000; SameSite=Lax";
});
