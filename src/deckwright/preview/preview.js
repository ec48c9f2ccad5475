(function () {
  "use strict";
  // Card sides live in sandboxed same-origin frames (no script runs inside them), so this
  // script can size them to their content and switch them to Anki's night mode classes.
  var frames = Array.prototype.slice.call(document.querySelectorAll("iframe.side"));
  var cards = Array.prototype.slice.call(document.querySelectorAll("article.card"));
  var boxes = Array.prototype.slice.call(document.querySelectorAll("section.deck, div.note"));
  var button = document.getElementById("night");
  var search = document.getElementById("search");
  var count = document.getElementById("count");
  var night = false;

  function fit(frame) {
    var doc = frame.contentDocument;
    if (!doc || !doc.body) {
      return;
    }
    doc.documentElement.classList.toggle("night-mode", night);
    doc.body.classList.toggle("nightMode", night);
    doc.body.classList.toggle("night_mode", night);
    var border = frame.offsetHeight - frame.clientHeight;
    // The root box, not scrollHeight: scrollHeight never shrinks below the frame's own height.
    var height = Math.ceil(doc.documentElement.getBoundingClientRect().height);
    frame.style.height = height + border + "px";
  }

  function setNight(on) {
    night = on;
    document.documentElement.classList.toggle("night", on);
    button.setAttribute("aria-pressed", String(on));
    button.textContent = on ? "Day mode" : "Night mode";
    frames.forEach(fit);
  }

  function matches(card, term) {
    var tags = card.dataset.tags ? card.dataset.tags.split(" ") : [];
    if (term.indexOf("tag:") === 0) {
      var want = term.slice(4);
      return tags.some(function (tag) {
        return tag === want || tag.indexOf(want + "::") === 0;
      });
    }
    return card.dataset.search.indexOf(term) >= 0 || card.dataset.tags.indexOf(term) >= 0;
  }

  function filter() {
    var terms = search.value.toLowerCase().split(/\s+/).filter(Boolean);
    var shown = 0;
    cards.forEach(function (card) {
      var hit = terms.every(function (term) {
        return matches(card, term);
      });
      card.hidden = !hit;
      shown += hit ? 1 : 0;
    });
    boxes.forEach(function (box) {
      box.hidden = !box.querySelector("article.card:not([hidden])");
    });
    count.textContent = shown + " of " + cards.length + " cards";
    frames.forEach(fit);
  }

  frames.forEach(function (frame) {
    frame.addEventListener("load", function () {
      fit(frame);
    });
    fit(frame);
  });
  button.addEventListener("click", function () {
    setNight(!night);
  });
  search.addEventListener("input", filter);
  window.addEventListener("resize", function () {
    frames.forEach(fit);
  });
  setNight(window.matchMedia("(prefers-color-scheme: dark)").matches);
  filter();
})();
