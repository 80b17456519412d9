// Unsent drafts kept in this browser, until the server confirms they were saved. The post
// and edit forms keep theirs through rpDrafts.keep (called by post-form.js); logging out
// forgets the writer's drafts, so whoever uses the browser next cannot find them. Drafts
// are keyed "draft:<user id>:<page path>"; older ones, keyed by path alone, belong to
// nobody now and go too.
(function () {
  "use strict";

  function storage() {
    try {
      return window.localStorage;
    } catch (error) {
      return null; // private browsing or storage turned off: nothing is kept
    }
  }

  function forgetDrafts(userId) {
    var store = storage();
    if (!store) return;
    var mine = "draft:" + userId + ":";
    var keys = [];
    for (var i = 0; i < store.length; i++) keys.push(store.key(i));
    keys.forEach(function (key) {
      if (key && (key.indexOf(mine) === 0 || key.indexOf("draft:/") === 0)) {
        store.removeItem(key);
      }
    });
  }

  // After this writer's own save the server redirects with ?saved=<signed token>, and the
  // page it renders names the saved draft in data-saved-draft, only when the token was
  // signed for this writer minutes ago. The address alone never clears a draft: a link
  // with ?saved= in someone's post must not wipe a writer's unsent text.
  function forgetSavedDraft() {
    var marker = document.querySelector("[data-saved-draft]");
    var key = marker ? marker.dataset.savedDraft : "";
    var store = storage();
    if (key && key.indexOf("draft:") === 0 && store) store.removeItem(key);
    var url = new URL(window.location.href);
    if (!url.searchParams.has("saved")) return;
    // Reloading or sharing this address later should not carry the token along.
    url.searchParams.delete("saved");
    window.history.replaceState(null, "", url.pathname + url.search + url.hash);
  }

  // Keep the form's text as it is typed, bring it back after a reload, and warn before
  // leaving with unsent text.
  function keep(form, textarea) {
    var store = storage();
    // "draft:<user id>:<page path>", from the server: another account on this browser has
    // its own drafts.
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

  window.rpDrafts = { keep: keep };

  forgetSavedDraft();
  document.querySelectorAll("form[data-clear-drafts]").forEach(function (form) {
    form.addEventListener("submit", function () {
      forgetDrafts(form.dataset.clearDrafts);
    });
  });
})();
