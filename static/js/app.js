// Small behaviours shared by the staff pages. No inline scripts (CSP-friendly).
document.addEventListener("click", (event) => {
  const target = event.target.closest("[data-confirm]");
  if (target && !window.confirm(target.dataset.confirm)) {
    event.preventDefault();
  }
});

// A form sent back with errors puts the cursor on the first field to correct, so a
// keyboard or screen-reader user lands on it (its message is tied to it by
// aria-describedby) instead of at the top of the page.
document.addEventListener("DOMContentLoaded", () => {
  const invalid = document.querySelector("main .is-invalid");
  if (invalid && !document.querySelector("[autofocus]")) {
    invalid.focus();
  }
});
