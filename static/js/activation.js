// Shows the password rule live while the pupil types (the server checks it again on submit),
// and takes away a server error as soon as its field is changed: it was about the old value.
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
  function clearErrors(event) {
    var group = event.target.closest("[data-field]");
    if (!group) {
      return;
    }
    group.querySelectorAll(".field-errors").forEach(function (list) { list.remove(); });
    forgetInSummary(group.getAttribute("data-field"));
    group.querySelectorAll(".is-invalid").forEach(function (input) {
      input.classList.remove("is-invalid");
      input.removeAttribute("aria-invalid");
      var described = (input.getAttribute("aria-describedby") || "").split(" ").filter(function (id) {
        return id && document.getElementById(id);
      });
      input.setAttribute("aria-describedby", described.join(" "));
    });
  }
  // The error summary counts only the errors still on the page.
  var summary = document.getElementById("form-errors");
  function forgetInSummary(name) {
    if (!summary) {
      return;
    }
    summary.querySelectorAll('[data-for="' + name + '"]').forEach(function (item) { item.remove(); });
    var left = summary.querySelectorAll("li[data-for]").length;
    if (left === 0) {
      summary.remove();
      summary = null;
      return;
    }
    var count = summary.querySelector(".error-summary__count");
    count.textContent = left === 1 ? summary.getAttribute("data-one")
      : summary.getAttribute("data-many").replace("%(count)s", String(left));
  }
  if (summary) {
    summary.focus();
  }
  document.querySelectorAll("[data-field] input").forEach(function (input) {
    input.addEventListener("input", clearErrors);
  });
  password1.addEventListener("input", update);
  if (password2) {
    password2.addEventListener("input", update);
  }
  update();
})();
