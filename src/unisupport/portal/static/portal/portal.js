/* The portal's behaviour on every page (a file, not inline: the Content-Security-Policy allows no
   inline script). The rules page's address comes from this script tag's data-rules attribute. */
(function () {
  "use strict";
  var rules = document.currentScript.getAttribute("data-rules");
  /* Every rule badge links to its statement on the rules page. */
  document.querySelectorAll("span.rule").forEach(function (badge) {
    var id = badge.textContent.trim();
    if (!/^[A-Z]{2,4}-[0-9]+$/.test(id) || badge.closest("a")) return;
    var link = document.createElement("a");
    link.href = rules + "#" + id;
    link.className = "rule-link";
    // Inside a form the badge is a reference, not a step: Tab goes from field to field.
    if (badge.closest("form")) link.tabIndex = -1;
    badge.parentNode.insertBefore(link, badge);
    link.appendChild(badge);
  });
  /* On a phone a table is shown as stacked cards (app.css); each cell is labelled with its column's
     heading so that a card reads "Severity: A" rather than a bare "A". */
  document.querySelectorAll("main table").forEach(function (table) {
    var head = table.tHead && table.tHead.rows[table.tHead.rows.length - 1];
    if (!head) return;
    var labels = [];
    Array.prototype.forEach.call(head.cells, function (cell) {
      for (var i = 0; i < (cell.colSpan || 1); i++) labels.push(cell.textContent.trim());
    });
    Array.prototype.forEach.call(table.tBodies, function (body) {
      Array.prototype.forEach.call(body.rows, function (row) {
        var column = 0;
        Array.prototype.forEach.call(row.cells, function (cell) {
          if (labels[column] && !cell.hasAttribute("data-label")) cell.setAttribute("data-label", labels[column]);
          column += cell.colSpan || 1;
        });
      });
    });
  });
  /* A message that says an incident was opened clears the open form's draft (incidents/open.html). */
  if (document.querySelector("[data-clears-draft]")) {
    try { localStorage.removeItem("unisupport:incident-draft"); } catch (e) {}
  }
})();
