/* Live countdowns: every element with data-due (ISO 8601) shows the time left, or how late it is. */
(function () {
  "use strict";
  function pad(n) { return String(n).padStart(2, "0"); }
  function render(el) {
    var left = Math.round((Date.parse(el.dataset.due) - Date.now()) / 1000);
    var s = Math.abs(left), days = Math.floor(s / 86400);
    var text = pad(Math.floor(s % 86400 / 3600)) + ":" + pad(Math.floor(s % 3600 / 60)) + ":" + pad(s % 60);
    if (days) { text = days + " " + el.dataset.day + " " + text; }
    el.textContent = left < 0 ? el.dataset.overdue + " " + text : text;
    el.classList.toggle("overdue", left < 0);
  }
  function tick() { document.querySelectorAll("[data-due]").forEach(render); }
  tick();
  setInterval(tick, 1000);
})();
