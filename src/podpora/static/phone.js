// The hotline's type-ahead: as the agent types who is calling, the matches are fetched from the
// look-up's JSON answer and listed; each links to the page with that caller picked. Without
// this script the look-up is a plain search form. No inline script (CSP); text, never HTML.
(function () {
  function render(list, data) {
    list.textContent = "";
    if (!data.hits.length) {
      if (data.empty) {
        var none = document.createElement("li");
        none.className = "meta";
        none.textContent = data.empty;
        list.appendChild(none);
      }
      return;
    }
    data.hits.forEach(function (hit) {
      var li = document.createElement("li");
      var a = document.createElement("a");
      a.href = hit.url;
      a.textContent = hit.title;
      li.appendChild(a);
      if (hit.unconfirmed) {
        var tag = document.createElement("span");
        tag.className = "tag warn unconfirmed";
        tag.textContent = data.unconfirmed;
        li.appendChild(document.createTextNode(" "));
        li.appendChild(tag);
      }
      var meta = document.createElement("span");
      meta.className = "meta";
      meta.textContent = " " + [hit.detail, hit.matched].filter(Boolean).join(" · ");
      li.appendChild(meta);
      list.appendChild(li);
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    var form = document.getElementById("lookup-form");
    var input = document.getElementById("lookup-q");
    var list = document.getElementById("lookup-results");
    if (!form || !input || !list || !window.fetch) return;
    var url = form.getAttribute("data-lookup-url");
    var timer = null, asked = "", controller = null;
    function ask() {
      var q = input.value.trim();
      if (q === asked) return;
      asked = q;
      if (q.length < 2) { list.textContent = ""; return; }
      if (controller) controller.abort();
      controller = window.AbortController ? new AbortController() : null;
      fetch(url + "?q=" + encodeURIComponent(q), {
        credentials: "same-origin",
        headers: { "Accept": "application/json" },
        signal: controller ? controller.signal : undefined
      })
        .then(function (r) { return r.ok ? r.json() : null; })
        .then(function (data) { if (data && data.q === input.value.trim()) render(list, data); })
        .catch(function () { /* a newer question replaced this one, or the network is away */ });
    }
    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(ask, 150);
    });
    input.addEventListener("keydown", function (e) {
      if (e.key === "ArrowDown") {
        var first = list.querySelector("a");
        if (first) { first.focus(); e.preventDefault(); }
      }
    });
  });
})();
