// The idle timeout, told before it strikes. Loaded by every signed-in page, ours
// (templates/base.html) and the admin's (UNFOLD["SCRIPTS"]), with the session's idle
// seconds and the ping address in its own URL. While someone types or clicks, the
// page tells the server now and then (a long interview at the counter must not end
// in a lost form); the page's notice (templates/_session_warning.html, on our pages
// and the admin's) shows a minute or two before an idle session lapses and offers to
// stay signed in. Tabs share the time of the last request through localStorage (a
// timestamp, nothing personal).
(() => {
  const params = new URL(document.currentScript.src).searchParams;
  const idle = Number(params.get("idle"));
  const pingUrl = params.get("ping");
  if (!idle || !pingUrl) {
    return;
  }
  const key = "dinsos:last-request";
  const lead = Math.min(120, idle / 3);
  const pingGap = Math.min(300, idle / 3);
  let ended = false;
  let pinging = false;
  let notice = null;
  const remember = () => localStorage.setItem(key, String(Date.now()));
  const last = () => Number(localStorage.getItem(key)) || 0;
  // Every signed-in page has a POST form (at least the sign-out) with the token.
  const csrf = () =>
    document.querySelector("input[name=csrfmiddlewaretoken]")?.value || "";

  function show(state) {
    ended = state === "ended";
    if (!notice) {
      return;
    }
    notice.hidden = state === "hidden";
    notice.querySelectorAll("[data-when]").forEach((part) => {
      part.hidden = part.dataset.when !== state;
    });
  }
  async function ping() {
    let response;
    pinging = true;
    try {
      response = await fetch(pingUrl, {
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
  function start() {
    notice = document.getElementById("session-warning");
    remember();
    ["keydown", "pointerdown", "input"].forEach((type) => {
      document.addEventListener(type, active, { passive: true });
    });
    notice?.querySelector("#session-stay").addEventListener("click", ping);
    document.addEventListener("htmx:afterRequest", remember);
    setInterval(tick, 1000);
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
