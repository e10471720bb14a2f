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
  if (!atEnd() && !checkbox.checked) {
    checkbox.disabled = true;
    if (note) { note.hidden = false; }
    text.addEventListener("scroll", update, { passive: true });
  }
})();
