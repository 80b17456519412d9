// Saves a signed-in reader's place as they scroll: the story post at the top of the window,
// sent with a small POST (the page's #reading-position form gives the address and the CSRF
// token) at most once every few seconds, and once more when the page is left. The server
// keeps its own ceiling. Without this script, the form's button saves the chapter.
(function () {
  "use strict";

  var form = document.getElementById("reading-position");
  if (!form || !("IntersectionObserver" in window) || !window.fetch) return;

  var INTERVAL = 4000;
  var token = form.querySelector("[name=csrfmiddlewaretoken]").value;
  var chapter = form.querySelector("[name=chapter]").value;
  // OOC notes and skips are not places in the story: only its text counts.
  var posts = Array.prototype.slice.call(
    document.querySelectorAll(".chapter article.post-ic, .chapter article.post-narration")
  );
  var visible = new Set();
  var current = null;
  var sent = null;
  var lastSent = 0;
  var timer = null;

  function send() {
    timer = null;
    if (!current || current === sent) return;
    var match = /^post-(\d+)-(\d+)$/.exec(current.id);
    if (!match) return;
    sent = current;
    lastSent = Date.now();
    var body = new FormData();
    body.append("chapter", chapter);
    body.append("scene", match[1]);
    body.append("number", match[2]);
    fetch(form.action, {
      method: "POST",
      body: body,
      credentials: "same-origin",
      keepalive: true,
      headers: { "X-CSRFToken": token, Accept: "application/json" },
    }).catch(function () {
      sent = null; // try again with the next change
    });
  }

  function schedule() {
    if (timer) return;
    timer = window.setTimeout(send, Math.max(0, lastSent + INTERVAL - Date.now()));
  }

  var observer = new IntersectionObserver(function (entries) {
    entries.forEach(function (entry) {
      if (entry.isIntersecting) visible.add(entry.target);
      else visible.delete(entry.target);
    });
    // The first post still in view, in reading order: where the reader is.
    var first = posts.filter(function (post) { return visible.has(post); })[0];
    if (first && first !== current) {
      current = first;
      schedule();
    }
  });
  posts.forEach(function (post) { observer.observe(post); });

  window.addEventListener("pagehide", function () {
    if (timer) {
      window.clearTimeout(timer);
      send();
    }
  });
})();
