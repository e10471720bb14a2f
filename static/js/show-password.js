// « Afficher le mot de passe »: the box exists only when this script runs (it is hidden in the
// HTML), so that without JavaScript no control is shown that would do nothing.
(function () {
  "use strict";
  document.querySelectorAll("[data-toggles]").forEach(function (box) {
    var target = document.getElementById(box.getAttribute("data-toggles"));
    if (!target) {
      return;
    }
    box.closest(".password-toggle").hidden = false;
    box.addEventListener("change", function () { target.type = box.checked ? "text" : "password"; });
  });
})();
