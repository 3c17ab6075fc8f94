/* Follows the roll-up runs of the ranking page without a manual reload.
 *
 * While the latest run is queued or running, asks scoring:rollup_runs (JSON) every 2 s and
 * swaps in the status block it renders. When the period's lock state changes (a roll-up
 * finished and locked it), reloads once so the standings show the stored snapshot.
 * No inline script and no CDN: loaded from static/ by templates/scoring/ranking.html.
 */
(function () {
  "use strict";

  var box = document.getElementById("rollup-runs");
  if (!box || !window.fetch) {
    return;
  }
  var url = box.getAttribute("data-url");
  var pageLocked = box.getAttribute("data-locked") === "1";
  var interval = parseInt(box.getAttribute("data-poll-ms") || "2000", 10);
  var failures = 0;

  function shownActive() {
    return box.querySelector(".rollup-status[data-active='1']") !== null;
  }

  function later(ms) {
    window.setTimeout(poll, ms);
  }

  function poll() {
    fetch(url, {
      credentials: "same-origin",
      cache: "no-store",
      headers: { "Accept": "application/json" }
    }).then(function (response) {
      if (!response.ok) {
        throw new Error("HTTP " + response.status);
      }
      return response.json();
    }).then(function (data) {
      failures = 0;
      box.innerHTML = data.html;
      box.setAttribute("data-state", data.active ? "active" : "idle");
      if (data.locked !== pageLocked) {
        window.location.reload();
        return;
      }
      if (data.active) {
        later(interval);
      }
    }).catch(function () {
      // The network or the server hiccupped: keep trying, more slowly, for a while.
      failures += 1;
      if (failures < 30) {
        later(interval * Math.min(failures + 1, 5));
      }
    });
  }

  if (shownActive()) {
    box.setAttribute("data-state", "active");
    later(interval);
  }
}());
