// The post and edit forms, enhanced: a live preview rendered by the server (the same
// Markdown and sanitizer as a saved post), a live word count, a draft kept in this browser
// until the server confirms it was saved, and a warning before leaving with unsent text.
// Without JavaScript the forms still work: the Preview button posts the form.
(function () {
  "use strict";

  var PREVIEW_DELAY_MS = 600;

  function countWords(text) {
    var trimmed = text.trim();
    return trimmed ? trimmed.split(/\s+/).length : 0;
  }

  function storage() {
    try {
      return window.localStorage;
    } catch (error) {
      return null; // private browsing or storage turned off: no kept drafts
    }
  }

  // After a save the server redirects with ?saved=<draft key>: forget that draft.
  function forgetSavedDraft() {
    var url = new URL(window.location.href);
    var key = url.searchParams.get("saved");
    if (!key) return;
    if (key.indexOf("draft:") === 0 && storage()) storage().removeItem(key);
    url.searchParams.delete("saved");
    window.history.replaceState(null, "", url.pathname + url.search + url.hash);
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

  function setUpDraft(form, textarea) {
    var store = storage();
    // "draft:<user id>:<page path>", from the server: another account on this browser has
    // its own drafts, and drafts.js forgets these when this writer logs out.
    var key = form.dataset.draftKey;
    var note = form.querySelector("[data-draft-note]");
    var submitting = false;
    var initial = textarea.value;

    if (store && key) {
      var kept = store.getItem(key);
      if (kept && kept !== textarea.value && textarea.value === textarea.defaultValue) {
        textarea.value = kept;
        textarea.dispatchEvent(new Event("input"));
        if (note) {
          note.textContent = "Your unsent text was kept in this browser and is back in the form.";
          note.hidden = false;
        }
      }
      textarea.addEventListener("input", function () {
        if (textarea.value.trim()) store.setItem(key, textarea.value);
        else store.removeItem(key);
      });
    }

    form.addEventListener("submit", function () {
      submitting = true;
    });
    window.addEventListener("beforeunload", function (event) {
      if (submitting || textarea.value === initial || !textarea.value.trim()) return;
      event.preventDefault();
      event.returnValue = ""; // browsers show their own "leave this page?" message
    });
  }

  function setUpConfirmations() {
    document.querySelectorAll("form[data-confirm]").forEach(function (form) {
      form.addEventListener("submit", function (event) {
        if (!window.confirm(form.dataset.confirm)) event.preventDefault();
      });
    });
  }

  forgetSavedDraft();
  setUpConfirmations();
  document.querySelectorAll("form.post-form").forEach(function (form) {
    var textarea = form.querySelector("textarea[name=body]");
    if (!textarea) return;
    setUpWordCount(form, textarea);
    setUpPreview(form, textarea);
    setUpDraft(form, textarea);
  });
})();
