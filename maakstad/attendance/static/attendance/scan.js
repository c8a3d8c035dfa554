// Camera check-in: html5-qrcode reads the rotating code and posts it like the typed-code form.
(function () {
  var form = document.getElementById("code-form");
  var button = document.getElementById("start-scan");
  var outcome = document.getElementById("outcome");
  if (!form || !button || typeof Html5Qrcode === "undefined") return;
  var busy = false;
  function send(text) {
    if (busy) return;
    busy = true;
    var data = new FormData(form);
    data.set("code", text);
    fetch(window.location.pathname, { method: "POST", body: data, headers: { "Accept": "application/json" }, credentials: "same-origin" })
      .then(function (r) { return r.json(); })
      .then(function (result) {
        var p = document.createElement("p");
        p.className = "message " + (result.outcome.indexOf("ok") === 0 ? "success" : "error");
        p.dataset.outcome = result.outcome;
        p.textContent = result.message;
        outcome.replaceChildren(p);
        if (result.outcome.indexOf("ok") === 0 || result.outcome.indexOf("already") === 0) scanner.stop().catch(function () {});
      })
      .finally(function () { setTimeout(function () { busy = false; }, 1500); });
  }
  var scanner = new Html5Qrcode("reader");
  button.addEventListener("click", function () {
    scanner.start({ facingMode: "environment" }, { fps: 10, qrbox: 250 }, send, function () {})
      .catch(function (error) {
        var p = document.createElement("p");
        p.className = "message error";
        p.textContent = "De camera werkt niet (" + error + "). Typ de code hieronder.";
        outcome.replaceChildren(p);
      });
  });
})();
