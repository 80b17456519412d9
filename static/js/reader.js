// Keyboard navigation in the chapter reader: the left and right arrow keys move between
// chapters, unless the reader is typing somewhere.
(function () {
  "use strict";

  var RELATIONS = { ArrowLeft: "prev", ArrowRight: "next" };

  function isTyping(target) {
    return Boolean(
      target.closest && target.closest("input, textarea, select, [contenteditable]")
    );
  }

  document.addEventListener("keydown", function (event) {
    if (event.altKey || event.ctrlKey || event.metaKey || event.shiftKey) return;
    if (isTyping(event.target)) return;
    var rel = RELATIONS[event.key];
    var link = rel && document.querySelector('.chapter-nav a[rel="' + rel + '"]');
    if (link) window.location.href = link.href;
  });
})();
