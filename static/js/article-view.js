// Records one view of the article on this page: a beacon (a small POST) to the address the script tag
// names, once the page is really shown. The server decides whether it counts (reviews/views.py).
(function () {
  "use strict";
  var script = document.currentScript;
  var url = script && script.dataset.viewUrl;
  if (!url || !navigator.sendBeacon) {
    return;
  }
  function send() {
    navigator.sendBeacon(url);
  }
  // A page the browser prerenders in case it is opened has no reader until it is.
  if (document.prerendering) {
    document.addEventListener("prerenderingchange", send, { once: true });
  } else {
    send();
  }
})();
