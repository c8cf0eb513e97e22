// /me/points/: a "Copy code" button beside each discount code that is ready. Without JavaScript
// the button stays hidden and the code (a read-only field) can be selected and copied by hand;
// with it, the button copies the code and says so in the code's live region.
(function () {
  "use strict";

  function copyText(text, input) {
    if (navigator.clipboard && window.isSecureContext) {
      return navigator.clipboard.writeText(text);
    }
    return new Promise(function (resolve, reject) {
      input.select();
      var done = false;
      try { done = document.execCommand("copy"); } catch (e) { done = false; }
      if (done) { resolve(); } else { reject(new Error("copy failed")); }
    });
  }

  function setUp(button) {
    if (button.getAttribute("data-code-copy-ready")) { return; }
    var input = document.getElementById(button.getAttribute("data-code-copy"));
    if (!input) { return; }
    var box = input.closest(".share-link");
    var status = box && box.querySelector("[data-code-copy-status]");
    button.setAttribute("data-code-copy-ready", "1");
    button.hidden = false;
    button.addEventListener("click", function () {
      copyText(input.value, input).then(function () {
        if (status) { status.textContent = status.getAttribute("data-copied"); }
      }, function () {
        input.focus();
        input.select();
        if (status) { status.textContent = status.getAttribute("data-failed"); }
      });
    });
  }

  function init() {
    Array.prototype.forEach.call(document.querySelectorAll("[data-code-copy]"), setUp);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
}());
