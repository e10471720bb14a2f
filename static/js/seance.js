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
  // The server's stamp of what it last sent (ETag): sent back, it answers 304 Not Modified
  // when no pupil moved, and the page is left exactly as it is (no re-announcement by screen
  // readers, focus kept). Sent by hand: the response is never stored (private page).
  var etag = null;
  // « Mettre en pause la mise à jour automatique » (RGAA 13.1): a toggle button (aria-pressed);
  // while it is pressed, nothing is fetched. Opened with ?pause=1, the page starts paused.
  var pause = document.getElementById("seance-pause");
  var paused = false;
  if (pause) {
    paused = pause.getAttribute("aria-pressed") === "true";
    pause.hidden = false;
    var pausedState = document.getElementById("seance-pause-state");
    pause.addEventListener("click", function () {
      paused = !paused;
      pause.setAttribute("aria-pressed", paused ? "true" : "false");
      if (pausedState) {
        pausedState.hidden = !paused;
      }
    });
  }
  function refresh() {
    if (document.hidden || paused) {
      return;
    }
    var headers = { "X-Requested-With": "fetch" };
    if (etag) {
      headers["If-None-Match"] = etag;
    }
    fetch(url, { credentials: "same-origin", cache: "no-store", headers: headers })
      .then(function (response) {
        // The next poll's address, with a fresh token: the server answers it 304 at little
        // cost while nothing moved (staff/live.py).
        var next = response.headers.get("X-Live-Url");
        if (next) {
          url = next;
        }
        if (response.status === 304 || !response.ok) {
          return null;
        }
        etag = response.headers.get("ETag");
        return response.text();
      })
      .then(function (html) {
        if (html === null) {
          return;
        }
        if (part) {
          var doc = new DOMParser().parseFromString(html, "text/html");
          var fresh = doc.querySelector(part);
          var current = live.querySelector(part);
          // The button the teacher is on keeps the focus (found again by its id); if it went
          // (« Débloquer » once the pupil is unlocked), the focus stays on that pupil's card,
          // so that the next Tab goes on from there and not from the top of the page.
          var focused = document.activeElement;
          var inside = current && focused && current.contains(focused);
          var focusedId = inside ? focused.id : "";
          var card = inside && focused.closest(".seance-card");
          var cardId = card ? card.id : "";
          if (fresh && current) {
            current.replaceWith(fresh);
          }
          var again = (focusedId && document.getElementById(focusedId)) ||
            (cardId && document.getElementById(cardId));
          if (again) {
            again.focus();
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
