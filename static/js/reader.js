// Keyboard navigation in the chapter reader: the left and right arrow keys move between
// chapters, unless the reader is typing somewhere.
document.addEventListener("keydown", (event) => {
  if (event.altKey || event.ctrlKey || event.metaKey || event.shiftKey) return;
  const target = event.target;
  if (target.closest && target.closest("input, textarea, select, [contenteditable]")) return;
  const rel = { ArrowLeft: "prev", ArrowRight: "next" }[event.key];
  const link = rel && document.querySelector(`.chapter-nav a[rel="${rel}"]`);
  if (link) window.location.href = link.href;
});
