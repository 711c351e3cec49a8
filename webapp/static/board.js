// The board's own behaviour on every page (a file of its own: the CSP allows no inline script).
// A table wider than a phone scrolls sideways in its .table-responsive box; such a box is made
// reachable by the keyboard (a named, focusable region) so that it can be scrolled without a mouse.
(function () {
  "use strict";

  function regionName(box) {
    var caption = box.querySelector("caption");
    if (caption) { return caption.textContent.trim(); }
    var heading = box.closest("section, .card, main");
    heading = heading && heading.querySelector("h1, h2, h3");
    return heading ? heading.textContent.trim() : document.title;
  }

  function markScrollable() {
    document.querySelectorAll(".table-responsive").forEach(function (box) {
      if (box.scrollWidth > box.clientWidth) {
        if (!box.hasAttribute("tabindex")) {
          box.setAttribute("tabindex", "0");
          box.setAttribute("role", "region");
          box.setAttribute("aria-label", regionName(box));
          box.dataset.boardScroll = "1";
        }
      } else if (box.dataset.boardScroll) {
        box.removeAttribute("tabindex");
        box.removeAttribute("role");
        box.removeAttribute("aria-label");
        delete box.dataset.boardScroll;
      }
    });
  }

  markScrollable();
  window.addEventListener("resize", markScrollable);
}());
