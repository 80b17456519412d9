// Tells the server which posts a member was shown, so the next visit can mark what is new
// ("New since your last visit"). Reading the page stays a plain GET that writes nothing;
// this sends the page's small hidden form once the page is actually on screen, not when
// it is opened in a background tab. Without JavaScript the marker moves when you post.
(function () {
  "use strict";

  var form = document.querySelector("form[data-scene-seen]");
  if (!form) return;
  var sent = false;

  function send() {
    if (sent || document.visibilityState !== "visible") return;
    sent = true;
    fetch(form.action, {
      method: "POST",
      body: new FormData(form),
      credentials: "same-origin",
      keepalive: true
    }).catch(function () {
      // Nothing to tell the reader: the posts just stay marked new until next time.
    });
  }

  document.addEventListener("visibilitychange", send);
  send();
})();
