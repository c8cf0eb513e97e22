/* The header's compact menu on phones (issue 17, item 8): the Menu button opens and closes the
   navigation, search and account links. Escape closes it and gives the focus back to the button.
   Without script the menu is simply open (the CSS collapses it only under html.js). */
(function () {
  "use strict";
  var button = document.querySelector(".menu-toggle");
  var menu = button && document.getElementById(button.getAttribute("aria-controls"));
  if (!menu) return;

  function set(open) {
    button.setAttribute("aria-expanded", open ? "true" : "false");
    menu.classList.toggle("is-open", open);
  }

  button.addEventListener("click", function () {
    set(button.getAttribute("aria-expanded") !== "true");
  });
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && button.getAttribute("aria-expanded") === "true") {
      set(false);
      button.focus();
    }
  });
})();
