// The photo post form (/posts/new/): a preview of each chosen photo before it is uploaded, and one
// empty slot shown at a time. Without JavaScript all six slots show and nothing is previewed; the
// form works the same. CSP-safe: no inline code, previews are blob: URLs (URL.createObjectURL),
// revoked when the photo is changed. Browsers that cannot show a format (HEIC on most) get a note.
(function () {
  "use strict";

  function slotsOf(form) {
    return Array.prototype.slice.call(form.querySelectorAll(".photo-slot"));
  }

  function hasFile(slot) {
    var input = slot.querySelector("input[type=file]");
    return input && input.files && input.files.length > 0;
  }

  function showSlots(form) {
    var slots = slotsOf(form), emptyShown = false;
    slots.forEach(function (slot, index) {
      var keep = index === 0 || hasFile(slot) || slot.querySelector(".errorlist") || (slot.querySelector("input[type=text]") || {}).value;
      if (keep) {
        slot.hidden = false;
      } else if (!emptyShown && (index === 0 || hasFile(slots[index - 1]))) {
        slot.hidden = false;
        emptyShown = true;
      } else {
        slot.hidden = true;
      }
    });
  }

  function preview(slot) {
    var input = slot.querySelector("input[type=file]");
    var box = slot.querySelector(".photo-slot__preview");
    if (!input || !box) { return; }
    if (box.dataset.url) { URL.revokeObjectURL(box.dataset.url); delete box.dataset.url; }
    box.textContent = "";
    var file = input.files && input.files[0];
    if (!file) { return; }
    var url = URL.createObjectURL(file);
    box.dataset.url = url;
    var img = document.createElement("img");
    img.alt = box.getAttribute("data-preview-alt") || "";
    img.addEventListener("error", function () {
      box.textContent = box.getAttribute("data-no-preview") || "";
    });
    img.src = url;
    box.appendChild(img);
  }

  function init() {
    Array.prototype.forEach.call(document.querySelectorAll("form.post-form"), function (form) {
      slotsOf(form).forEach(function (slot) {
        var input = slot.querySelector("input[type=file]");
        if (!input) { return; }
        input.addEventListener("change", function () {
          preview(slot);
          showSlots(form);
        });
      });
      showSlots(form);
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
}());
