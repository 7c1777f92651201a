// Saves each answer the moment it is chosen, so a dropped connection loses nothing.
// The form works without this script: "Save and continue" saves the whole page.
(function () {
  var form = document.querySelector("form[data-autosave]");
  if (!form || !window.fetch) return;
  var status = form.querySelector(".autosave-status");
  var token = form.querySelector("input[name=csrf_token]").value;
  form.addEventListener("change", function (event) {
    var input = event.target;
    if (!input.name || input.name.indexOf("item-") !== 0) return;
    var body = new URLSearchParams({item: input.name.slice(5), value: input.value});
    fetch(form.dataset.autosave, {method: "POST", body: body, headers: {"X-CSRFToken": token},
                                  credentials: "same-origin"})
      .then(function (response) {
        // Read the (tiny) body: an unread body keeps the request open in Chromium, and with it the
        // connection, and Playwright's "networkidle" never comes.
        return response.text().then(function () {
          status.textContent = response.ok ? status.dataset.saved || "✓" : status.dataset.failed || "!";
        });
      })
      .catch(function () { status.textContent = status.dataset.failed || "!"; });
  });
})();
