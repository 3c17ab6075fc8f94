/* Keyboard and screen-reader help shared by every page (docs/accessibility.md).
 *
 * 1. After a refused save the page comes back with its errors; the focus goes to the first
 *    wrong field (its label and its message are read with it, through aria-describedby), or,
 *    when no single field is at fault, to the error message itself. Without this the focus
 *    starts on <body> and a keyboard or screen-reader user has to hunt for what went wrong.
 *    Drawn from the skip link, the focus moves past the menu without adding "#noi-dung" to
 *    the address: a form posted from that page would keep the fragment, and the browser would
 *    then move the focus to <main> after this script had put it on the wrong field.
 * 2. A table box that scrolls sideways (Bootstrap's .table-responsive on a narrow screen) is
 *    made reachable by Tab and named, so it can be scrolled with the arrow keys; a box that
 *    fits gets no extra Tab stop.
 * Loaded from static/ by templates/base.html: the CSP forbids inline scripts.
 */
(function () {
  "use strict";

  function focusFirstError() {
    var field = document.querySelector(
      "main [aria-invalid='true'], main .is-invalid:not(div):not(fieldset)"
    );
    if (field && !field.disabled) {
      field.focus();
      return;
    }
    var alert = document.querySelector(
      "main [data-error-summary], main .alert-danger:not([role='status'])"
    );
    if (alert) {
      if (!alert.hasAttribute("tabindex")) {
        alert.setAttribute("tabindex", "-1");
      }
      alert.focus();
    }
  }

  function focusErrorUnlessPlaced() {
    var current = document.activeElement;
    if (!current || current === document.body || current.tagName === "MAIN") {
      focusFirstError();
    }
  }

  function followSkipLinks() {
    var links = document.querySelectorAll("a.skip-link");
    for (var i = 0; i < links.length; i += 1) {
      links[i].addEventListener("click", function (event) {
        var target = document.getElementById(this.getAttribute("href").slice(1));
        if (target) {
          event.preventDefault();
          target.focus();
        }
      });
    }
  }

  function tableName(box) {
    var caption = box.querySelector("caption");
    if (caption && caption.textContent.trim()) {
      return caption.textContent.trim();
    }
    var heading = box.previousElementSibling;
    while (heading && !/^H[1-6]$/.test(heading.tagName)) {
      heading = heading.previousElementSibling;
    }
    return heading ? heading.textContent.trim() : "Bảng số liệu";
  }

  function markScrollableTables() {
    var boxes = document.querySelectorAll(".table-responsive");
    for (var i = 0; i < boxes.length; i += 1) {
      var box = boxes[i];
      if (box.scrollWidth > box.clientWidth + 1) {
        box.setAttribute("tabindex", "0");
        box.setAttribute("role", "region");
        box.setAttribute("aria-label", tableName(box) + " (cuộn ngang để xem hết)");
      } else if (box.getAttribute("role") === "region") {
        box.removeAttribute("tabindex");
        box.removeAttribute("role");
        box.removeAttribute("aria-label");
      }
    }
  }

  function start() {
    followSkipLinks();
    focusFirstError();
    // An address that already carries the skip link's fragment moves the focus to <main> when
    // the page has loaded; the wrong field takes it back.
    window.addEventListener("load", function () {
      window.setTimeout(focusErrorUnlessPlaced, 0);
    });
    markScrollableTables();
    var pending = null;
    window.addEventListener("resize", function () {
      window.clearTimeout(pending);
      pending = window.setTimeout(markScrollableTables, 150);
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
