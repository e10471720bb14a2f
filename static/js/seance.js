// « Séance »: the live part of the page is asked again every few seconds and put in place,
// so the teacher watches the bars move without reloading. Without JavaScript, the page
// reloads itself (<noscript> refresh) and has a « Rafraîchir » link.
(function () {
  "use strict";
  var live = document.getElementById("seance-live");
  if (!live || !window.fetch) {
    return;
  }
  var url = live.getAttribute("data-url");
  var part = live.getAttribute("data-part");
  var summary = live.getAttribute("data-summary");
  var seconds = parseInt(live.getAttribute("data-seconds"), 10) || 5;
  function refresh() {
    if (document.hidden) {
      return;
    }
    fetch(url, { credentials: "same-origin", headers: { "X-Requested-With": "fetch" } })
      .then(function (response) { return response.ok ? response.text() : null; })
      .then(function (html) {
        if (html === null) {
          return;
        }
        if (part) {
          var doc = new DOMParser().parseFromString(html, "text/html");
          var fresh = doc.querySelector(part);
          var current = live.querySelector(part);
          // The button the teacher is on keeps the focus (found again by its id).
          var focused = document.activeElement;
          var focusedId = current && focused && current.contains(focused) ? focused.id : "";
          if (fresh && current) {
            current.replaceWith(fresh);
          }
          if (focusedId && document.getElementById(focusedId)) {
            document.getElementById(focusedId).focus();
          }
          // One short polite summary is announced, and only when it changes (data-summary).
          if (summary) {
            var freshSummary = doc.querySelector(summary);
            var currentSummary = live.querySelector(summary);
            if (freshSummary && currentSummary &&
                freshSummary.textContent !== currentSummary.textContent) {
              currentSummary.textContent = freshSummary.textContent;
            }
          }
        } else {
          live.innerHTML = html;
        }
      })
      .catch(function () { /* the next tick tries again */ });
  }
  window.setInterval(refresh, seconds * 1000);
})();
