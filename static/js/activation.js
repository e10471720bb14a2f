// Shows the password rules live while the pupil types (the server checks them again on submit;
// the errors of a failed submit are static/js/form-errors.js's).
// Without JavaScript the rules stay visible as a plain list: nothing depends on this file.
(function () {
  "use strict";
  var password1 = document.getElementById("id_password1");
  var password2 = document.getElementById("id_password2");
  if (!password1) {
    return;
  }
  var specials = password1.getAttribute("data-specials") || "";
  var checks = {
    length: function (value) { return value.length >= 8; },
    uppercase: function (value) { return /\p{Lu}/u.test(value); },
    special: function (value) {
      return Array.prototype.some.call(value, function (c) { return specials.indexOf(c) !== -1; });
    },
    match: function () { return password2 && password2.value !== "" && password2.value === password1.value; }
  };
  function update() {
    document.querySelectorAll("[data-rule]").forEach(function (element) {
      var check = checks[element.getAttribute("data-rule")];
      if (check) {
        element.classList.toggle("is-valid", check(password1.value));
      }
    });
  }
  password1.addEventListener("input", update);
  if (password2) {
    password2.addEventListener("input", update);
  }
  update();
})();
