// Asks before a form with a data-confirm attribute is sent, with that attribute's text as
// the question: removing a member, withdrawing an invitation, retiring a character,
// withdrawing a post. Without JavaScript the form is simply sent; the server decides as
// always.
(function () {
  "use strict";

  document.addEventListener("submit", function (event) {
    var form = event.target;
    var question = form.getAttribute && form.getAttribute("data-confirm");
    if (question && !window.confirm(question)) {
      event.preventDefault();
    }
  });
})();
