// Live SLA countdowns on queue rows and the language switch; no inline script (CSP).
(function () {
  function fmt(ms) {
    var neg = ms < 0, s = Math.floor(Math.abs(ms) / 1000);
    var d = Math.floor(s / 86400), h = Math.floor((s % 86400) / 3600), m = Math.floor((s % 3600) / 60);
    var out = (d ? d + " d " : "") + (d || h ? h + " h " : "") + m + " min";
    return neg ? "−" + out : out;
  }
  function tick() {
    var now = Date.now();
    document.querySelectorAll("[data-due]").forEach(function (el) {
      var due = Date.parse(el.getAttribute("data-due"));
      if (isNaN(due)) return;
      var left = due - now;
      el.textContent = fmt(left);
      el.classList.toggle("overdue", left < 0);
      el.classList.toggle("soon", left >= 0 && left < 3600 * 1000);
    });
  }
  document.addEventListener("DOMContentLoaded", function () {
    tick();
    setInterval(tick, 30000);
    // the queue's bulk work: "select all on the page", and only the fields the action needs
    document.documentElement.classList.add("js");
    document.querySelectorAll("input[data-select-all]").forEach(function (box) {
      box.addEventListener("change", function () {
        var name = box.getAttribute("data-select-all");
        box.form.querySelectorAll("input[type=checkbox][name='" + name + "']").forEach(function (el) {
          el.checked = box.checked;
        });
      });
    });
    var action = document.getElementById("bulk-action");
    if (action) {
      var show = function () {
        action.form.querySelectorAll("[data-for]").forEach(function (el) {
          el.hidden = el.getAttribute("data-for").split(" ").indexOf(action.value) < 0;
        });
      };
      action.addEventListener("change", show);
      show();
    }
    document.querySelectorAll("select[data-autosubmit]").forEach(function (el) {
      el.addEventListener("change", function () { el.form.submit(); });
    });
  });
})();
