// Keyboard navigation in the chapter reader: the left and right arrow keys move between
// chapters, j and k to the next and previous post, unless the reader is typing somewhere.
(function () {
  "use strict";

  var RELATIONS = { ArrowLeft: "prev", ArrowRight: "next" };
  var POST_STEPS = { j: 1, k: -1 };
  // A post whose top is within this many pixels of the window's top counts as the one read.
  var SLACK = 8;
  var SCROLL_MS = 500;

  function isTyping(target) {
    return Boolean(
      target.closest && target.closest("input, textarea, select, [contenteditable]")
    );
  }

  function posts() {
    return Array.prototype.slice.call(document.querySelectorAll(".chapter article.post"));
  }

  // The post being read: the last one whose top has reached the top of the window.
  function currentIndex(list) {
    var current = -1;
    list.forEach(function (post, index) {
      if (post.getBoundingClientRect().top <= SLACK) current = index;
    });
    return current;
  }

  // While a (smooth) scroll is still on its way, the next key steps on from where it goes.
  var moving = { index: -1, until: 0 };

  function movePost(step) {
    var list = posts();
    if (!list.length) return;
    var scrolling = Date.now() < moving.until;
    var current = scrolling ? moving.index : currentIndex(list);
    var target;
    if (step > 0 || scrolling) target = current + step;
    // k in the middle of a long post goes back to its start first.
    else if (current >= 0 && list[current].getBoundingClientRect().top < -SLACK) target = current;
    else target = current - 1;
    target = Math.max(0, Math.min(list.length - 1, target));
    moving = { index: target, until: Date.now() + SCROLL_MS };
    var post = list[target];
    if (!post.hasAttribute("tabindex")) post.setAttribute("tabindex", "-1");
    post.scrollIntoView({ block: "start" });
    post.focus({ preventScroll: true });
  }

  document.addEventListener("keydown", function (event) {
    if (event.altKey || event.ctrlKey || event.metaKey || event.shiftKey) return;
    if (isTyping(event.target)) return;
    if (POST_STEPS[event.key]) {
      event.preventDefault();
      movePost(POST_STEPS[event.key]);
      return;
    }
    var rel = RELATIONS[event.key];
    var link = rel && document.querySelector('.chapter-nav a[rel="' + rel + '"]');
    if (link) window.location.href = link.href;
  });
})();
