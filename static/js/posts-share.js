// A photo post's page: "Copy link" beside the post's address, and "Share…" through the device's
// own share sheet where the browser has one (navigator.share). Without JavaScript both buttons
// stay hidden: the address can be selected by hand and the share links work as plain links.
(function () {
  "use strict";

  function copyText(text, input) {
    if (navigator.clipboard && window.isSecureContext) {
      return navigator.clipboard.writeText(text);
    }
    return new Promise(function (resolve, reject) {
      input.focus();
      input.select();
      var done = false;
      try { done = document.execCommand("copy"); } catch (e) { done = false; }
      if (done) { resolve(); } else { reject(new Error("copy failed")); }
    });
  }

  function status(element) {
    var box = element.closest(".share-link");
    return box && box.querySelector("[data-copy-status]");
  }

  function setUpCopy(button) {
    if (button.getAttribute("data-ready")) { return; }
    var input = document.getElementById(button.getAttribute("data-copy-target"));
    if (!input) { return; }
    var said = status(button);
    button.setAttribute("data-ready", "1");
    button.hidden = false;
    button.addEventListener("click", function () {
      copyText(input.value, input).then(function () {
        if (said) { said.textContent = said.getAttribute("data-copied"); }
      }, function () {
        input.focus();
        input.select();
        if (said) { said.textContent = said.getAttribute("data-failed"); }
      });
    });
  }

  function setUpShare(button) {
    if (button.getAttribute("data-ready") || typeof navigator.share !== "function") { return; }
    button.setAttribute("data-ready", "1");
    button.hidden = false;
    button.addEventListener("click", function () {
      navigator.share({ url: button.getAttribute("data-share-url"), text: button.getAttribute("data-share-text") })
        .catch(function () { /* the member closed the share sheet: nothing to do */ });
    });
  }

  function init() {
    Array.prototype.forEach.call(document.querySelectorAll(".post-share [data-copy-target]"), setUpCopy);
    Array.prototype.forEach.call(document.querySelectorAll(".post-share [data-share-url]"), setUpShare);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
}());
