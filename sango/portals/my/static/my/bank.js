// 振込先の口座: the bank's and branch's names appear as the codes are typed. Without this
// script the names appear after the page is sent (and on the check page).
(function () {
  "use strict";
  var box = document.querySelector("[data-bank-lookup]");
  if (!box) { return; }
  var bank = box.querySelector("[data-bank-code]");
  var branch = box.querySelector("[data-branch-code]");
  var shown = box.querySelector("[data-bank-names]");
  var csrf = box.closest("form").querySelector("[name=csrfmiddlewaretoken]");
  var asked = 0;
  function look() {
    var ask = ++asked;
    // POST, so that nothing typed appears in an address or an access log.
    fetch(box.dataset.bankLookup, {
      method: "POST",
      body: new URLSearchParams({ bank_code: bank.value, branch_code: branch.value }),
      headers: { "Accept": "application/json", "X-CSRFToken": csrf.value },
      credentials: "same-origin"
    })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (data) {
        if (!data || ask !== asked) { return; }  // an answer overtaken by a later question
        shown.textContent = data.bank ? data.bank + (data.branch ? " " + data.branch + "支店" : "") : "";
      })
      .catch(function () { /* the names show on the next page */ });
  }
  bank.addEventListener("change", look);
  branch.addEventListener("change", look);
})();
