// Suggestions for comma-separated tag inputs (marked data-tag-suggest): as the writer or
// reader types the last tag, a <datalist> offers existing tags that start with it, each
// option being the whole field with that last tag completed, so the browser's own list
// (arrow keys, Enter) fills it in. Without JavaScript the input is a plain text field.
(function () {
  "use strict";

  var URL = "/tags/suggest/";
  var WAIT_MS = 150;

  function lastTag(value) {
    var parts = value.split(",");
    return { before: parts.slice(0, -1).join(",").trim(), last: parts[parts.length - 1].trim() };
  }

  function fill(list, before, names) {
    list.textContent = "";
    names.forEach(function (name) {
      var option = document.createElement("option");
      option.value = (before ? before + ", " : "") + name;
      list.appendChild(option);
    });
  }

  function enhance(input, n) {
    var list = document.createElement("datalist");
    list.id = (input.id || "tag-input-" + n) + "-suggestions";
    input.after(list);
    input.setAttribute("list", list.id);
    var timer = null;
    var asked = "";
    input.addEventListener("input", function () {
      var typed = lastTag(input.value);
      clearTimeout(timer);
      if (typed.last.length < 1 || typed.last === asked) return;
      timer = setTimeout(function () {
        asked = typed.last;
        fetch(URL + "?q=" + encodeURIComponent(typed.last), { credentials: "same-origin" })
          .then(function (response) { return response.ok ? response.json() : { tags: [] }; })
          .then(function (data) { fill(list, typed.before, data.tags || []); })
          .catch(function () { /* no suggestions: the field still takes any tag */ });
      }, WAIT_MS);
    });
  }

  document.querySelectorAll("input[data-tag-suggest]").forEach(enhance);
})();
