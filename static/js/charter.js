// The box of the charter must be scrolled to its end before the box can be ticked, as on the
// real ENT. Without JavaScript the box can be ticked at once (progressive enhancement).
(function () {
  "use strict";
  var text = document.getElementById("charter-text");
  var checkbox = document.getElementById("id_accept");
  var note = document.getElementById("charter-scroll-note");
  if (!text || !checkbox) {
    return;
  }
  function atEnd() {
    return text.scrollTop + text.clientHeight >= text.scrollHeight - 8;
  }
  function update() {
    if (atEnd()) {
      checkbox.disabled = false;
      if (note) { note.hidden = true; }
      text.removeEventListener("scroll", update);
    }
  }
  // The error summary's link leads to the box; while the box waits for the end of the text, it
  // leads to the text, which is what must be done first.
  document.querySelectorAll('#form-errors a[href="#id_accept"]').forEach(function (link) {
    link.addEventListener("click", function (event) {
      if (checkbox.disabled) {
        event.preventDefault();
        text.focus();
      }
    });
  });
  if (!atEnd() && !checkbox.checked) {
    checkbox.disabled = true;
    if (note) { note.hidden = false; }
    text.addEventListener("scroll", update, { passive: true });
  }
})();
