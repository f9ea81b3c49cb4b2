/* A draft survives an expired session: what is typed is kept in this browser until the incident is
   opened (the next page's message clears it), and put back when the form comes back empty. */
(function () {
  var form = document.querySelector("form[data-draft]");
  if (!form || !window.localStorage) return;
  var key = form.getAttribute("data-draft");
  var fields = Array.prototype.filter.call(form.elements, function (el) {
    return el.name && el.name !== "csrfmiddlewaretoken" && el.type !== "submit";
  });
  var posted = form.getAttribute("data-posted") === "true";
  try {
    var saved = JSON.parse(localStorage.getItem(key) || "null");
    var blank = !form.elements["title"].value && !form.elements["description"].value;
    if (saved && !posted && blank) {
      fields.forEach(function (el) {
        if (!(el.name in saved)) return;
        if (el.type === "radio") el.checked = saved[el.name] === el.value;
        else if (el.type === "checkbox") el.checked = saved[el.name] === true;
        else el.value = saved[el.name];
      });
      var note = document.getElementById("draft-restored");
      if (note) note.hidden = false;
    }
  } catch (e) {}
  function save() {
    var draft = {};
    fields.forEach(function (el) {
      if (el.type === "radio") { if (el.checked) draft[el.name] = el.value; }
      else if (el.type === "checkbox") draft[el.name] = el.checked;
      else draft[el.name] = el.value;
    });
    try { localStorage.setItem(key, JSON.stringify(draft)); } catch (e) {}
  }
  form.addEventListener("input", save);
  form.addEventListener("change", save);
})();
