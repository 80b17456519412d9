// Logging out forgets the writer's unsent drafts that post-form.js keeps in this browser,
// so whoever uses the browser next cannot find them. Drafts are keyed
// "draft:<user id>:<page path>"; older ones, keyed by path alone, belong to nobody now and
// go too.
(function () {
  "use strict";

  function storage() {
    try {
      return window.localStorage;
    } catch (error) {
      return null; // private browsing or storage turned off: nothing was kept
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

  document.querySelectorAll("form[data-clear-drafts]").forEach(function (form) {
    form.addEventListener("submit", function () {
      forgetDrafts(form.dataset.clearDrafts);
    });
  });
})();
