/* Tessera booking page for other sites:
 *   <script src="https://tessera.example/static/web/js/embed.js" data-resource="12" async></script>
 * inserts an iframe of https://tessera.example/embed/resources/12/ after itself. The frame is
 * shown only on the sites the owner allowed (Content-Security-Policy: frame-ancestors). */
(function () {
  "use strict";
  var script = document.currentScript;
  if (!script || !/^[0-9]+$/.test(script.getAttribute("data-resource") || "")) {
    return;
  }
  var origin = new URL(script.src).origin;
  var frame = document.createElement("iframe");
  frame.src = origin + "/embed/resources/" + script.getAttribute("data-resource") + "/";
  frame.title = script.getAttribute("data-title") || "Book online";
  frame.loading = "lazy";
  frame.style.width = "100%";
  frame.style.maxWidth = "48rem";
  frame.style.border = "0";
  frame.style.minHeight = (parseInt(script.getAttribute("data-height"), 10) || 640) + "px";
  script.parentNode.insertBefore(frame, script.nextSibling);
})();
