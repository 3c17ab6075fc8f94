/* Keeps the public board fresh on a lobby screen nobody touches.
 *
 * Every data-refresh-seconds, asks for this same address again and swaps in the new page's
 * #bang block, so the screen never goes blank while the next copy loads. When the server or
 * the network fails, the last standings stay on screen with a note, and it keeps trying. When
 * the answer says to stop (a revoked link: data-stop), it shows that answer and stops. An
 * answer without a board (a login page once a user's session ended) reloads the page, which
 * then shows that page itself.
 * No inline script: loaded from static/ by templates/dashboard/board.html (the CSP forbids
 * inline scripts).
 */
(function () {
  "use strict";

  var board = document.getElementById("bang");
  var note = document.getElementById("bang-ket-noi");
  if (!board || !window.fetch || !window.DOMParser) {
    return;
  }
  var seconds = parseInt(board.getAttribute("data-refresh-seconds") || "60", 10);
  if (!(seconds > 0)) {
    return;
  }

  function later() {
    window.setTimeout(refresh, seconds * 1000);
  }

  function offline() {
    if (note) {
      var now = new Date();
      var time = ("0" + now.getHours()).slice(-2) + ":" + ("0" + now.getMinutes()).slice(-2);
      note.textContent = "Mất kết nối lúc " + time + ": đang hiển thị số liệu lần trước, sẽ thử lại.";
      note.hidden = false;
    }
  }

  function refresh() {
    fetch(window.location.href, {
      credentials: "same-origin",
      cache: "no-store",
      headers: { "Accept": "text/html" }
    }).then(function (response) {
      return response.text().then(function (text) {
        return { ok: response.ok, text: text };
      });
    }).then(function (answer) {
      var fresh = new DOMParser().parseFromString(answer.text, "text/html").getElementById("bang");
      if (!fresh) {
        if (answer.ok) {
          window.location.reload();
          return;
        }
        throw new Error("no board in the answer");
      }
      board.replaceWith(document.importNode(fresh, true));
      board = document.getElementById("bang");
      if (note) {
        note.hidden = true;
      }
      if (fresh.getAttribute("data-stop") === "1") {
        return;
      }
      later();
    }).catch(function () {
      offline();
      later();
    });
  }

  later();
}());
