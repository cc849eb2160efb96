// "Use my location": fills the hidden lat/lon fields from the browser and submits the form.
// Without JavaScript (or permission) people type a place instead; nothing leaves the page
// except in the search request to this site.
(function () {
  "use strict";
  document.addEventListener("DOMContentLoaded", function () {
    var box = document.querySelector("[data-locate]");
    if (!box || !("geolocation" in navigator)) return;
    var form = box.closest("form");
    var button = box.querySelector("[data-locate-button]");
    var status = box.querySelector("[data-locate-status]");
    box.hidden = false;
    button.addEventListener("click", function () {
      status.textContent = "Finding your location…";
      navigator.geolocation.getCurrentPosition(
        function (pos) {
          form.querySelector("[name=lat]").value = pos.coords.latitude.toFixed(4);
          form.querySelector("[name=lon]").value = pos.coords.longitude.toFixed(4);
          form.querySelector("[name=place]").value = "";
          status.textContent = "Searching near you…";
          form.submit();
        },
        function () {
          status.textContent = "We couldn't get your location. Please type a town or ZIP code.";
        },
        { enableHighAccuracy: false, timeout: 10000, maximumAge: 600000 }
      );
    });
  });
})();
