// Filters fold away on a phone: a <details data-fold-narrow> is open in the HTML (so without JavaScript every
// filter stays visible) and is closed here when the screen is narrow, leaving the results at the top.
(function () {
  if (!window.matchMedia || !window.matchMedia("(max-width: 40em)").matches) return;
  document.querySelectorAll("details[data-fold-narrow]").forEach(function (d) {
    if (!d.querySelector(".has-error")) d.removeAttribute("open");
  });
})();
