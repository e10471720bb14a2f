// A job's page (staff/jobs.py): asks every 2 seconds how far the worker is; the progress bar
// and its sentence change only when the number does (the sentence is a polite live region,
// read once per change). When the job ends, the page is loaded again to offer the PDF.
// Without JavaScript, the « Actualiser » link does the same by hand.
(function () {
  "use strict";
  var job = document.getElementById("letter-job");
  if (!job || !window.fetch || job.getAttribute("data-working") !== "1") {
    return;
  }
  var url = job.getAttribute("data-status-url");
  var done = job.getAttribute("data-done");
  var bar = document.getElementById("letter-job-progress");
  var text = document.getElementById("letter-job-text");
  var timer = window.setInterval(function () {
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (state) {
        if (state === null) {
          return;
        }
        if (String(state.done) !== done) {
          done = String(state.done);
          bar.max = state.total;
          bar.value = state.done;
          bar.textContent = state.done + " / " + state.total;
          text.textContent = state.text;
        }
        if (!state.working) {
          window.clearInterval(timer);
          window.location.reload();
        }
      })
      .catch(function () { /* the next tick tries again */ });
  }, 2000);
})();
