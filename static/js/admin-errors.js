// The admin's error states, as the portal's (static/js/form-errors.js): after a submit that
// failed, the focus goes to the note that says so, so that a screen reader reads it and, on a
// phone, the page opens on it. Django's own forms say it with .errornote over their field
// errors; our notes that follow an action carry data-focus. A read-only note is left alone.
(function () {
  "use strict";
  if (document.getElementById("form-errors")) {
    return; // the portal's summary (templates/includes/error_summary.html) takes the focus
  }
  var note = document.querySelector(".errornote[data-focus]") ||
    (document.querySelector("#content form .errorlist") && document.querySelector(".errornote"));
  if (note) {
    note.setAttribute("tabindex", "-1");
    note.focus();
  }
})();
