// Keeps a campaign's countdown ticking: each <p data-countdown> holds a <time datetime="..."> whose
// text the server wrote ("in 3 days"); this rewrites it in the page's language with
// Intl.RelativeTimeFormat, by the same rule (whole days, then hours, then minutes), and shows the
// paragraph's data-ended text once the moment has passed. Without JavaScript (or Intl) the
// server's text stays. No inline code: the Content-Security-Policy forbids it.
(function () {
  "use strict";

  var MINUTE = 60 * 1000;
  var HOUR = 60 * MINUTE;
  var DAY = 24 * HOUR;

  function phrase(format, left) {
    if (left >= DAY) return format.format(Math.floor(left / DAY), "day");
    if (left >= HOUR) return format.format(Math.floor(left / HOUR), "hour");
    if (left >= MINUTE) return format.format(Math.floor(left / MINUTE), "minute");
    return format.format(Math.max(1, Math.ceil(left / 1000)), "second");
  }

  function start() {
    if (typeof Intl === "undefined" || !Intl.RelativeTimeFormat) return;
    var lang = document.documentElement.lang || undefined;
    var format;
    try {
      format = new Intl.RelativeTimeFormat(lang, { numeric: "always" });
    } catch (error) {
      return;
    }
    var items = Array.prototype.slice.call(document.querySelectorAll("[data-countdown]"));
    var clocks = [];
    items.forEach(function (item) {
      var time = item.querySelector("time[datetime]");
      var target = time ? Date.parse(time.getAttribute("datetime")) : NaN;
      if (!isNaN(target)) clocks.push({ item: item, time: time, target: target });
    });
    if (!clocks.length) return;

    function tick() {
      var now = Date.now();
      var soonest = Infinity;
      clocks = clocks.filter(function (clock) {
        var left = clock.target - now;
        if (left <= 0) {
          clock.item.textContent = clock.item.getAttribute("data-ended") || "";
          clock.item.classList.add("countdown--ended");
          return false;
        }
        var text = phrase(format, left);
        if (clock.time.textContent !== text) clock.time.textContent = text;
        soonest = Math.min(soonest, left);
        return true;
      });
      if (clocks.length) window.setTimeout(tick, soonest <= 2 * MINUTE ? 1000 : 15000);
    }
    tick();
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
