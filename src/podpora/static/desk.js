// The agent's ticket page: keyboard shortcuts and who else is on the ticket. No inline
// script (CSP); everything works without it, this only saves clicks.
(function () {
  "use strict";
  var typing = false;

  function editable(el) {
    return el && (el.isContentEditable || /^(INPUT|TEXTAREA|SELECT|BUTTON)$/.test(el.tagName));
  }

  function focusTarget(selector) {
    var el = document.querySelector(selector);
    if (!el) return false;
    var details = el.closest("details");
    if (details) details.open = true;
    el.scrollIntoView({ block: "center" });
    el.focus();
    return true;
  }

  // r reply, n note, a assign to me, s state, j next ticket of the queue
  var keys = {
    r: function () { return focusTarget("#reply_body"); },
    n: function () { return focusTarget("#note_body"); },
    s: function () { return focusTarget("#state_state"); },
    a: function () {
      var form = document.getElementById("assign-me-form");
      var button = form && form.querySelector("button");
      if (!button || button.disabled) return false;
      button.click();
      return true;
    },
    j: function () {
      var next = document.getElementById("next-ticket");
      if (!next) return false;
      window.location.assign(next.href);
      return true;
    }
  };

  document.addEventListener("keydown", function (ev) {
    if (ev.key === "Escape" && editable(document.activeElement)) {
      document.activeElement.blur();
      return;
    }
    if (ev.ctrlKey || ev.metaKey || ev.altKey || editable(ev.target)) return;
    var action = keys[ev.key];
    if (action && document.getElementById("ticket-page") && action()) ev.preventDefault();
  });

  // the shortcut links of the action bar focus their field too (a click on "Odpovědět")
  document.addEventListener("click", function (ev) {
    var link = ev.target.closest && ev.target.closest("a[data-key]");
    if (link && link.getAttribute("href").charAt(0) === "#") {
      if (focusTarget(link.getAttribute("href"))) ev.preventDefault();
    }
  });

  document.addEventListener("input", function (ev) {
    if (ev.target.id === "reply_body") typing = ev.target.value.trim() !== "";
  });

  function heartbeat() {
    var page = document.getElementById("ticket-page");
    var box = document.getElementById("presence");
    var token = page && page.querySelector("input[name=csrfmiddlewaretoken]");
    if (!page || !box || !token) return;
    var body = new URLSearchParams();
    body.set("csrfmiddlewaretoken", token.value);
    body.set("mode", typing ? "replying" : "viewing");
    fetch(page.getAttribute("data-presence-url"), {
      method: "POST",
      body: body,
      credentials: "same-origin",
      headers: { "X-Requested-With": "fetch" }
    }).then(function (response) {
      return response.ok ? response.text() : null;
    }).then(function (html) {
      if (html !== null) box.innerHTML = html;
    }).catch(function () { /* offline for a moment: the next beat tries again */ });
  }

  // after htmx replaced the page's part: the reply box is new, tell the others at once
  document.addEventListener("htmx:afterSettle", function () {
    var box = document.getElementById("reply_body");
    typing = !!(box && box.value.trim());
    heartbeat();
  });

  document.addEventListener("DOMContentLoaded", function () {
    if (!document.getElementById("ticket-page")) return;
    heartbeat();
    setInterval(heartbeat, 15000);
  });
})();
