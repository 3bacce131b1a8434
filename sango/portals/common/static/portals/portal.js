// A little progressive enhancement for the portals; every main action works without it.
(function () {
  "use strict";

  // A submit button is disabled for a moment after the first click, so a double click sends
  // the form once (the server's one-time token saves once in any case).
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (form.dataset.sending) { event.preventDefault(); return; }
    form.dataset.sending = "1";
    form.querySelectorAll("button[type=submit], button:not([type])").forEach(function (button) {
      button.setAttribute("aria-disabled", "true");
    });
    setTimeout(function () { delete form.dataset.sending; }, 4000);
  });

  // The error summary takes the focus, so a screen reader announces it and Tab reaches it.
  var summary = document.querySelector("[data-autofocus]");
  if (summary) { summary.focus(); }

  // A page waiting for background work (a batch print) looks again every few seconds.
  var waiting = document.querySelector("[data-reload-after]");
  if (waiting) {
    setTimeout(function () { window.location.reload(); }, 1000 * Number(waiting.dataset.reloadAfter));
  }

  // A "print" button (a handout, a letter on screen) prints the page.
  document.querySelectorAll("[data-print]").forEach(function (button) {
    button.addEventListener("click", function () { window.print(); });
  });

  // 郵便番号 → 住所: typing a postal code fills an empty address field from the site's data.
  document.querySelectorAll("[data-postal-lookup]").forEach(function (input) {
    var target = document.getElementById(input.dataset.postalLookup);
    var url = input.dataset.postalUrl;
    if (!target || !url) { return; }
    var csrf = input.form && input.form.querySelector("[name=csrfmiddlewaretoken]");
    input.addEventListener("change", function () {
      // POST, so that the code never appears in an address or an access log.
      var body = new URLSearchParams({ code: input.value });
      fetch(url, {
        method: "POST",
        body: body,
        headers: { "Accept": "application/json", "X-CSRFToken": csrf ? csrf.value : "" },
        credentials: "same-origin"
      })
        .then(function (response) { return response.ok ? response.json() : null; })
        .then(function (data) {
          if (data && data.address && !target.value) { target.value = data.address; }
        })
        .catch(function () { /* the clerk types the address by hand */ });
    });
  });
})();
