// Product pages: review photos open in a <dialog> viewer. Without JavaScript each thumbnail is a
// plain link to the full photo. With it, a click (or Enter) opens the viewer; the left and right
// arrow keys (and the buttons) move between the photos of the same list, Esc closes it (the
// dialog's own behaviour) and focus returns to the thumbnail that opened it.
(function () {
  "use strict";

  function setUp(list) {
    var dialog = document.getElementById(list.getAttribute("data-photo-viewer"));
    if (!dialog || typeof dialog.showModal !== "function") { return; }
    var links = Array.prototype.slice.call(list.querySelectorAll("[data-photo-viewer-item]"));
    var image = dialog.querySelector(".photo-viewer__image");
    var caption = dialog.querySelector(".photo-viewer__caption");
    var index = 0;
    var opener = null;

    function show(i) {
      index = (i + links.length) % links.length;
      var link = links[index];
      var thumb = link.querySelector("img");
      image.src = link.href;
      image.alt = thumb ? thumb.alt : "";
      caption.textContent = (thumb && thumb.alt) ? thumb.alt : "";
      dialog.currentList = api;
    }

    var api = {
      step: function (delta) { show(index + delta); },
      close: function () { dialog.close(); }
    };

    links.forEach(function (link, i) {
      link.addEventListener("click", function (event) {
        event.preventDefault();
        opener = link;
        show(i);
        dialog.showModal();
      });
    });
    dialog.addEventListener("close", function () {
      if (opener && dialog.currentList === api) { opener.focus(); }
    });
  }

  function wireDialog(dialog) {
    if (dialog.wired) { return; }
    dialog.wired = true;
    function step(delta) { if (dialog.currentList) { dialog.currentList.step(delta); } }
    dialog.querySelector("[data-photo-viewer-prev]").addEventListener("click", function () { step(-1); });
    dialog.querySelector("[data-photo-viewer-next]").addEventListener("click", function () { step(1); });
    dialog.querySelector("[data-photo-viewer-close]").addEventListener("click", function () { dialog.close(); });
    dialog.addEventListener("keydown", function (event) {
      var rtl = document.documentElement.dir === "rtl";
      if (event.key === "ArrowRight") { event.preventDefault(); step(rtl ? -1 : 1); }
      if (event.key === "ArrowLeft") { event.preventDefault(); step(rtl ? 1 : -1); }
    });
    dialog.addEventListener("click", function (event) { if (event.target === dialog) { dialog.close(); } });
  }

  document.querySelectorAll("[data-photo-viewer]").forEach(function (list) {
    var dialog = document.getElementById(list.getAttribute("data-photo-viewer"));
    if (dialog) { wireDialog(dialog); }
    setUp(list);
  });
}());
