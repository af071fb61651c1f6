// Answers before asking: while the subject and description of a new request are typed, the
// matching knowledge-base articles are loaded into #suggestions (debounced). Without script the
// form's "Najít odpověď" button asks the server for the same list.
(function () {
  "use strict";
  var DELAY = 400;
  document.addEventListener("DOMContentLoaded", function () {
    var box = document.getElementById("suggestions");
    if (!box) return;
    var form = document.querySelector("form[data-suggest]");
    if (!form) return;
    var url = box.getAttribute("data-suggest-url");
    var channel = box.getAttribute("data-suggest-channel") || "portal";
    var timer = null, last = "", seq = 0;
    function value(name) {
      var el = form.elements.namedItem(name);
      return el && el.value ? el.value : "";
    }
    function load() {
      var params = new URLSearchParams();
      params.set("subject", value("subject"));
      params.set("body", value("body"));
      params.set("product", value("product"));
      params.set("channel", channel);
      var query = params.toString();
      if (query === last) return;
      last = query;
      var mine = ++seq;
      fetch(url + "?" + query, { credentials: "same-origin", headers: { "X-Requested-With": "fetch" } })
        .then(function (r) { return r.ok ? r.text() : ""; })
        .then(function (html) { if (mine === seq) box.innerHTML = html; })
        .catch(function () { /* the button still works */ });
    }
    function later() {
      clearTimeout(timer);
      timer = setTimeout(load, DELAY);
    }
    ["subject", "body", "product"].forEach(function (name) {
      var el = form.elements.namedItem(name);
      if (el) {
        el.addEventListener("input", later);
        el.addEventListener("change", later);
      }
    });
  });
})();
