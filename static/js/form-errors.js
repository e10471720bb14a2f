// After a submit that failed (templates/includes/error_summary.html): the focus on the error
// summary, so that a screen reader reads it and the next Tab reaches the form. An error is about
// the value that was sent: as soon as its field is changed, its message under the box and its
// line in the summary go, and the summary counts only the errors still on the page.
// Without JavaScript the summary and the messages simply stay until the next submit.
(function () {
  "use strict";
  var summary = document.getElementById("form-errors");
  if (!summary) {
    return;
  }
  function forgetInSummary(name) {
    if (!summary) {
      return;
    }
    summary.querySelectorAll('[data-for="' + name + '"]').forEach(function (item) { item.remove(); });
    var left = summary.querySelectorAll("li").length;
    if (left === 0) {
      summary.remove();
      summary = null;
      return;
    }
    var count = summary.querySelector(".error-summary__count");
    count.textContent = left === 1 ? summary.getAttribute("data-one")
      : summary.getAttribute("data-many").replace("%(count)s", String(left));
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
      if (described.length) {
        input.setAttribute("aria-describedby", described.join(" "));
      } else {
        input.removeAttribute("aria-describedby");
      }
    });
  }
  document.querySelectorAll("[data-field]").forEach(function (group) {
    group.addEventListener("input", clearErrors);
  });
  summary.focus();
})();
