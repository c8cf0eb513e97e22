// /me/referrals/: a "Copy link" button beside the invitation link. Without JavaScript the button
// stays hidden and the link can be selected and copied by hand; with it, the button copies the
// link marked ?via=copy (so the member's page can count copied links) and says so in a live region.
(function () {
  "use strict";

  function copyText(text, input) {
    if (navigator.clipboard && window.isSecureContext) {
      return navigator.clipboard.writeText(text);
    }
    return new Promise(function (resolve, reject) {
      var shown = input.value;
      input.value = text;
      input.select();
      var done = false;
      try { done = document.execCommand("copy"); } catch (e) { done = false; }
      input.value = shown;
      if (done) { resolve(); } else { reject(new Error("copy failed")); }
    });
  }

  function setUp(button) {
    var input = document.getElementById(button.getAttribute("data-copy-target"));
    if (!input) { return; }
    var status = input.closest(".share-link") && input.closest(".share-link").querySelector("[data-copy-status]");
    button.hidden = false;
    button.addEventListener("click", function () {
      var text = input.getAttribute("data-copy-value") || input.value;
      copyText(text, input).then(function () {
        if (status) { status.textContent = status.getAttribute("data-copied"); }
      }, function () {
        input.focus();
        input.select();
        if (status) { status.textContent = status.getAttribute("data-failed"); }
      });
    });
  }

  function init() {
    Array.prototype.forEach.call(document.querySelectorAll("[data-copy-target]"), setUp);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
}());
