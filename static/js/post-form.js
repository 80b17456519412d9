// The post and edit forms, enhanced: a live preview rendered by the server (the same
// Markdown and sanitizer as a saved post) and a live word count; drafts.js keeps the
// unsent text. Without JavaScript the forms still work: the Preview button posts the form.
(function () {
  "use strict";

  var PREVIEW_DELAY_MS = 600;

  function countWords(text) {
    var trimmed = text.trim();
    return trimmed ? trimmed.split(/\s+/).length : 0;
  }

  function setUpWordCount(form, textarea) {
    var output = form.querySelector("[data-word-count]");
    var limit = parseInt(form.dataset.maxLength, 10) || 0;
    function update() {
      var words = countWords(textarea.value);
      var text = words + (words === 1 ? " word" : " words");
      var over = limit && textarea.value.length > limit;
      if (over) {
        text += " · " + (textarea.value.length - limit).toLocaleString() +
          " characters over the limit of " + limit.toLocaleString();
      }
      output.textContent = text;
      output.classList.toggle("over-limit", Boolean(over));
    }
    textarea.addEventListener("input", update);
    update();
  }

  function setUpPreview(form, textarea) {
    var section = form.parentNode.querySelector("[data-preview]");
    var body = section && section.querySelector("[data-preview-body]");
    var button = form.querySelector("[data-preview-button]");
    if (!body) return;
    var timer = null;
    var latest = 0;

    function refresh() {
      var request = ++latest;
      var data = new FormData();
      data.append("csrfmiddlewaretoken", form.elements.csrfmiddlewaretoken.value);
      data.append("body", textarea.value);
      fetch(form.dataset.previewUrl, { method: "POST", body: data, credentials: "same-origin" })
        .then(function (response) {
          return response.text().then(function (text) {
            return { ok: response.ok, text: text };
          });
        })
        .then(function (result) {
          if (request !== latest) return; // an older answer arriving late
          section.hidden = false;
          if (result.ok) {
            body.innerHTML = result.text; // sanitized by threads/markup.py on the server
          } else {
            body.textContent = result.text || "The preview is not available right now.";
          }
        })
        .catch(function () {
          if (request !== latest) return;
          section.hidden = false;
          body.textContent = "The preview is not available right now; your text is safe.";
        });
    }

    textarea.addEventListener("input", function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(refresh, PREVIEW_DELAY_MS);
    });
    if (button) {
      button.addEventListener("click", function (event) {
        event.preventDefault();
        window.clearTimeout(timer);
        refresh();
      });
    }
  }

  document.querySelectorAll("form.post-form").forEach(function (form) {
    var textarea = form.querySelector("textarea[name=body]");
    if (!textarea) return;
    setUpWordCount(form, textarea);
    setUpPreview(form, textarea);
    // drafts.js, loaded on every signed-in page, keeps the unsent text.
    if (window.rpDrafts) window.rpDrafts.keep(form, textarea);
  });
})();
