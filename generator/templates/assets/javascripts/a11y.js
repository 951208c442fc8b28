/* mxt: accessible names the theme leaves out. Material's search overlay is a
   role="dialog" without a name; it is named after its search box. */
(function () {
  "use strict";
  function name() {
    document.querySelectorAll('[role="dialog"]:not([aria-label]):not([aria-labelledby])')
      .forEach(function (dialog) {
        var input = dialog.querySelector("input[aria-label], input[placeholder]");
        var label = input && (input.getAttribute("aria-label") || input.placeholder);
        if (label) dialog.setAttribute("aria-label", label);
      });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", name);
  } else {
    name();
  }
})();
