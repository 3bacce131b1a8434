/* マイページ: the voucher page she opened is kept on her phone for when there is no connection
   (the service worker of sango.portals.my.views.voucher), and the print button of the print view. */
(function () {
  "use strict";
  document.querySelectorAll("[data-print]").forEach(function (button) {
    button.hidden = false;
    button.addEventListener("click", function () { window.print(); });
  });
  var box = document.querySelector("[data-offline-cache]");
  if (!box || !("serviceWorker" in navigator) || !("caches" in window)) return;
  var now = document.querySelector("[data-offline-now]");
  if (now && !navigator.onLine) now.hidden = false;
  function ready() {
    var note = document.querySelector("[data-offline-ready]");
    if (note) note.hidden = false;
    document.documentElement.setAttribute("data-offline", "ready");
  }
  navigator.serviceWorker.register(box.getAttribute("data-sw"), { scope: box.getAttribute("data-scope") })
    .catch(function () { return null; })
    .then(function () { return navigator.serviceWorker.ready; })
    .then(function () { return caches.open(box.getAttribute("data-offline-cache")); })
    .then(function (cache) {
      return cache.add(location.pathname).catch(function () {
        return cache.match(location.pathname).then(function (kept) { if (!kept) throw new Error("not kept"); });
      });
    })
    .then(ready)
    .catch(function () { /* no offline copy: the page still works online */ });
})();
