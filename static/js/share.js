/* Blog share buttons (issue 17, item 19): the links work without script; this adds "Copy link"
   and, where the browser has one, the device's own share sheet. Nothing is loaded from elsewhere. */
(function () {
  "use strict";
  document.querySelectorAll("[data-share]").forEach(function (list) {
    var url = list.getAttribute("data-share-url");
    var title = list.getAttribute("data-share-title");
    var copy = list.querySelector("[data-share-copy]");
    var status = copy && copy.querySelector("[role=status]");
    if (copy && navigator.clipboard && window.isSecureContext) {
      copy.hidden = false;
      copy.querySelector("button").addEventListener("click", function () {
        navigator.clipboard.writeText(url).then(function () {
          status.textContent = copy.getAttribute("data-copied") || status.getAttribute("data-copied") || "✓";
        });
      });
    }
    var native = list.querySelector("[data-share-native]");
    if (native && navigator.share) {
      native.hidden = false;
      native.querySelector("button").addEventListener("click", function () {
        navigator.share({ title: title, url: url }).catch(function () { /* dismissed */ });
      });
    }
  });
})();
