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

// A table wider than a phone's screen scrolls sideways inside its box: the box then
// takes keyboard focus, so it can be scrolled without a mouse (WCAG 2.1.1).
function focusableWhenScrolling() {
  document.querySelectorAll(".table-responsive").forEach((box) => {
    if (box.scrollWidth > box.clientWidth) {
      box.setAttribute("tabindex", "0");
    } else {
      box.removeAttribute("tabindex");
    }
  });
}
document.addEventListener("DOMContentLoaded", focusableWhenScrolling);
document.addEventListener("htmx:afterSettle", focusableWhenScrolling);
window.addEventListener("resize", focusableWhenScrolling);
