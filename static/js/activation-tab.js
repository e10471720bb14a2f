// The pending activation belongs to the browser tab it started in (a shared classroom computer:
// accounts.flows.activation.tab). The first page after the sign-in hands its tab a random value
// (data-claim), kept in sessionStorage, which is the tab's own: a tab opened by hand starts
// empty. On every later page, a tab that does not hold the value is someone else's: the page is
// hidden before it shows (this script runs in the head, before the body), the activation is
// ended (« Ce n'est pas moi »'s address, with the reason) and the sign-in page says why.
// Without JavaScript, or without sessionStorage, nothing is checked nor hidden.
(function () {
  "use strict";
  var script = document.currentScript;
  var value = script && script.getAttribute("data-tab");
  if (!value) {
    return;
  }
  var KEY = "activation-tab";
  var held;
  try {
    if (script.hasAttribute("data-claim")) {
      window.sessionStorage.setItem(KEY, value);
      return;
    }
    held = window.sessionStorage.getItem(KEY);
  } catch (error) {
    return; // storage refused: as without JavaScript
  }
  if (held === value) {
    return;
  }
  var root = document.documentElement;
  root.classList.add("activation-elsewhere"); // static/css/portal.css hides the page
  function empty() {
    var main = document.getElementById("content");
    if (main) {
      main.replaceChildren();
    }
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", empty);
  } else {
    empty();
  }
  var body = new FormData();
  body.append("csrfmiddlewaretoken", script.getAttribute("data-csrf"));
  body.append("raison", script.getAttribute("data-reason"));
  var login = script.getAttribute("data-login-url");
  function leave() {
    window.location.replace(login);
  }
  // Whatever the answer, the sign-in page: opening it ends a pending activation too
  // (accounts/stages.py), only without saying why.
  fetch(script.getAttribute("data-cancel-url"), {
    method: "POST",
    body: body,
    credentials: "same-origin",
    redirect: "manual"
  }).then(leave, leave);
})();
