// Meeting mode without a mouse: → or N next statement, ← or P previous, 1–4 choose the agreed score.
// Only a convenience: the links and the form work without it. Keys typed into a text field, a
// select or a radio button (whose arrow keys move the choice) keep their usual meaning.
(function () {
  function follow(key) {
    var link = document.querySelector("a[data-key=" + key + "]");
    if (link) link.click();
  }
  document.addEventListener("keydown", function (event) {
    if (event.altKey || event.ctrlKey || event.metaKey || event.defaultPrevented) return;
    var target = event.target;
    var tag = target && target.tagName;
    if (tag === "TEXTAREA" || tag === "SELECT" || (tag === "INPUT" && target.type !== "radio")) return;
    var onRadio = tag === "INPUT" && target.type === "radio";
    if (!onRadio && (event.key === "ArrowRight" || event.key === "n" || event.key === "N")) {
      follow("next");
    } else if (!onRadio && (event.key === "ArrowLeft" || event.key === "p" || event.key === "P")) {
      follow("previous");
    } else if (/^[1-4]$/.test(event.key)) {
      var radio = document.querySelector("input[name=score][value='" + event.key + "']");
      if (!radio) return;
      radio.checked = true;
      radio.focus();
      event.preventDefault();
    } else {
      return;
    }
  });
})();
