// Reader-insert: fills the reader's name into a second-person story's placeholders, which
// the server marks as <span class="rp-insert" data-insert> (threads/lib/markup.py). The name
// comes from the server as JSON and is set with textContent, so whatever it contains stays
// text. Only the story's own placeholders are filled; without JavaScript, or without a name,
// they show as the writers typed them.
(function () {
  "use strict";

  var config = document.getElementById("reader-insert");
  if (!config) return;
  var spans = document.querySelectorAll("main .rp-insert[data-insert]");
  if (!spans.length) return;
  var tokens = (config.getAttribute("data-placeholders") || "")
    .split(",")
    .map(function (token) { return token.trim().toLowerCase(); })
    .filter(Boolean);

  fetch(config.getAttribute("data-name-url"), {
    credentials: "same-origin",
    headers: { Accept: "application/json" },
  })
    .then(function (response) { return response.ok ? response.json() : { name: "" }; })
    .then(function (data) {
      var name = typeof data.name === "string" ? data.name.trim() : "";
      if (!name) return;
      spans.forEach(function (span) {
        var written = span.getAttribute("data-placeholder") || span.textContent;
        if (tokens.indexOf(written.trim().toLowerCase()) === -1) return;
        span.setAttribute("data-placeholder", written);
        span.setAttribute("title", written);
        span.textContent = name;
        span.classList.add("rp-insert-filled");
      });
    })
    .catch(function () {
      // The placeholders stay as written.
    });
})();
