// The pending activation's idle limit (templates/accounts/_idle_limit.html): two minutes
// before it ends (data-warn-minutes), the note becomes an alert; « Je suis encore là » extends
// it without leaving the page, so that what is typed stays. Without JavaScript the button posts
// and comes back.
(function () {
  "use strict";
  var box = document.getElementById("idle-limit");
  if (!box) {
    return;
  }
  var form = box.querySelector("form");
  var text = document.getElementById("idle-limit-text");
  var seconds = parseInt(box.getAttribute("data-idle-seconds"), 10) || 600;
  var warnSeconds = (parseInt(box.getAttribute("data-warn-minutes"), 10) || 2) * 60;
  var timer = null;
  function warnLater() {
    window.clearTimeout(timer);
    timer = window.setTimeout(function () {
      text.textContent = text.getAttribute("data-soon");
      box.classList.remove("alert-info");
      box.classList.add("alert-warning");
      box.setAttribute("role", "alert");
    }, Math.max(seconds - warnSeconds, 1) * 1000);
  }
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    fetch(form.action, {
      method: "POST",
      body: new FormData(form),
      credentials: "same-origin",
      redirect: "manual",
      headers: { "X-Activation-Extend": "1" }
    }).then(function (response) {
      if (response.status === 204) {
        box.classList.remove("alert-warning");
        box.classList.add("alert-info");
        box.setAttribute("role", "status");
        text.textContent = text.getAttribute("data-renewed");
        warnLater();
      } else if (response.type === "opaqueredirect") {
        // Too late, the activation has ended: the sign-in says why (a followed redirect would
        // have spent its message on a page nobody sees).
        window.location.assign(box.getAttribute("data-ended-url"));
      } else {
        form.submit();
      }
    }, function () { form.submit(); });
  });
  warnLater();
})();
