// 明白纸: the 打印 buttons, and ?print=1 opening the print dialog once the page has loaded.
// A static file rather than inline handlers: the pages run under a CSP without inline code.
(function () {
  "use strict";
  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-print]");
    if (button) {
      event.preventDefault();
      window.print();
    }
  });
  if (document.body.dataset.autoPrint === "1") {
    window.addEventListener("load", function () { window.print(); });
  }
})();
