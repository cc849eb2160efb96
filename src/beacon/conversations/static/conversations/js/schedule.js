// On a new conversation, preselect the host's own time zone (from the browser) while the
// field still shows the default; the host can change it. Without JavaScript it stays UTC.
(function () {
  "use strict";
  var select = document.getElementById("id_time_zone");
  if (!select || select.value !== "UTC" || !window.Intl) return;
  var zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  if (zone && select.querySelector('option[value="' + zone + '"]')) select.value = zone;
})();
