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

// The idle timeout, told before it strikes. Signed-in pages carry the session's idle
// seconds; while someone types or clicks, the page tells the server now and then
// (a long interview at the counter must not end in a lost form), and a minute or two
// before an idle session lapses a notice offers to stay signed in. Tabs share the
// time of the last request through localStorage (a timestamp, nothing personal).
(() => {
  const idle = Number(document.body.dataset.sessionIdle);
  const notice = document.getElementById("session-warning");
  if (!idle || !notice) {
    return;
  }
  const key = "dinsos:last-request";
  const lead = Math.min(120, idle / 3);
  const pingGap = Math.min(300, idle / 3);
  let ended = false;
  let pinging = false;
  const remember = () => localStorage.setItem(key, String(Date.now()));
  const last = () => Number(localStorage.getItem(key)) || 0;
  const csrf = () =>
    JSON.parse(document.body.getAttribute("hx-headers"))["X-CSRFToken"];

  function show(state) {
    ended = state === "ended";
    notice.classList.toggle("d-none", state === "hidden");
    notice.querySelectorAll("[data-when]").forEach((part) => {
      part.classList.toggle("d-none", part.dataset.when !== state);
    });
  }
  async function ping() {
    let response;
    pinging = true;
    try {
      response = await fetch(document.body.dataset.sessionPing, {
        method: "POST",
        headers: { "X-CSRFToken": csrf() },
        credentials: "same-origin",
      });
    } catch {
      return; // the network is down: the next key press tries again
    } finally {
      pinging = false;
    }
    if (response.status === 204) {
      remember();
    } else {
      localStorage.removeItem(key);
      show("ended");
    }
  }
  function tick() {
    const left = idle - (Date.now() - last()) / 1000;
    if (left <= 1) {
      show("ended");
    } else if (left <= lead) {
      show("soon");
    } else {
      show("hidden");
    }
  }
  function active() {
    if (!ended && !pinging && Date.now() - last() > pingGap * 1000) {
      ping();
    }
  }
  remember();
  ["keydown", "pointerdown", "input"].forEach((type) => {
    document.addEventListener(type, active, { passive: true });
  });
  notice.querySelector("#session-stay").addEventListener("click", ping);
  document.addEventListener("htmx:afterRequest", remember);
  setInterval(tick, 1000);
})();
