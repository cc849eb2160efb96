// Copy buttons for the toolkit's text snippets. Without JavaScript the buttons stay hidden
// and the text can be selected and copied from its read-only box as usual.
(function () {
  "use strict";
  var buttons = document.querySelectorAll("[data-copy]");
  if (!buttons.length || !navigator.clipboard) return;
  buttons.forEach(function (button) {
    var id = button.getAttribute("data-copy");
    var source = document.getElementById(id);
    var status = document.querySelector('[data-copy-status="' + id + '"]');
    if (!source) return;
    button.hidden = false;
    button.addEventListener("click", function () {
      navigator.clipboard.writeText(source.value).then(
        function () { if (status) status.textContent = "Copied."; },
        function () {
          source.focus();
          source.select();
          if (status) status.textContent = "Copying was blocked: the text is selected, copy it yourself.";
        }
      );
    });
  });
})();
