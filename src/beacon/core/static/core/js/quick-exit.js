// Quick exit: the header link leaves for the operator's neutral site and replaces this
// page in the history, so the back button does not return here. Escape pressed twice
// within a second does the same. Without JavaScript the link still works (as a plain link).
(function () {
  "use strict";
  var link = document.querySelector("[data-quick-exit]");
  if (!link) return;
  var leave = function () {
    document.documentElement.classList.add("leaving");
    document.title = "";
    window.location.replace(link.href);
  };
  link.addEventListener("click", function (event) {
    event.preventDefault();
    leave();
  });
  var lastEscape = 0;
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") return;
    var now = Date.now();
    if (now - lastEscape < 1000) leave();
    lastEscape = now;
  });
})();
