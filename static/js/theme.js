/* Light or dark beside the system preference (issue 17, item 20).
   Loaded in <head> without defer, so the chosen theme is on <html> before the page paints (no
   flash). The choice lives in localStorage: it never leaves the browser, so it needs no cookie and
   no banner. Without script, or with storage refused, the system preference rules. */
(function () {
  "use strict";
  var KEY = "theme";
  var CHOICES = ["light", "dark"];
  var root = document.documentElement;

  function stored() {
    try {
      var value = window.localStorage.getItem(KEY);
      return CHOICES.indexOf(value) >= 0 ? value : "system";
    } catch (error) {
      return "system";
    }
  }

  function store(value) {
    try {
      if (CHOICES.indexOf(value) >= 0) window.localStorage.setItem(KEY, value);
      else window.localStorage.removeItem(KEY);
    } catch (error) { /* storage refused: the choice lasts for this page only */ }
  }

  function apply(value) {
    if (CHOICES.indexOf(value) >= 0) root.setAttribute("data-theme", value);
    else root.removeAttribute("data-theme");
  }

  apply(stored());
  root.classList.add("js");  // the header's compact menu (static/js/menu.js) collapses only with script

  document.addEventListener("DOMContentLoaded", function () {
    var current = stored();
    document.querySelectorAll("[data-theme-switch]").forEach(function (group) {
      group.querySelectorAll('input[name="theme"]').forEach(function (input) {
        input.checked = input.value === current;
      });
      group.hidden = false;
      group.addEventListener("change", function (event) {
        if (event.target.name !== "theme") return;
        store(event.target.value);
        apply(event.target.value);
      });
    });
  });
})();
