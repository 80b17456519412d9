// Reader settings kept in this browser (localStorage), never sent to the server, so no page
// differs by reader and anonymous pages stay cacheable. Loaded in <head> without defer: the
// theme, text size and line width are set on <html> before the page paints. The controls
// (the chapter page's "Reading settings") are shown only when this script runs.
(function () {
  "use strict";

  var PREFS = ["theme", "text-size", "line-width"];
  var PREFIX = "rp-reader:";
  var root = document.documentElement;

  function read(name) {
    try {
      return window.localStorage.getItem(PREFIX + name) || "";
    } catch (error) {
      return ""; // storage refused (private mode): the defaults apply
    }
  }

  function write(name, value) {
    try {
      if (value) window.localStorage.setItem(PREFIX + name, value);
      else window.localStorage.removeItem(PREFIX + name);
    } catch (error) {
      // Not remembered, but still applied to this page.
    }
  }

  function apply(name, value) {
    if (value) root.setAttribute("data-" + name, value);
    else root.removeAttribute("data-" + name);
  }

  PREFS.forEach(function (name) {
    apply(name, read(name));
  });

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-reader-settings], [data-keyboard-hint]").forEach(function (el) {
      el.hidden = false;
    });
    document.querySelectorAll("select[data-reader-pref]").forEach(function (select) {
      var name = select.getAttribute("data-reader-pref");
      select.value = read(name);
      select.addEventListener("change", function () {
        write(name, select.value);
        apply(name, select.value);
      });
    });
  });
})();
