// Runs in the preview's isolated world: the page's own JavaScript is disabled, and article
// content cannot see or call anything defined here.
(function () {
  if (window.__newsdesk) { return; }
  function body() { return document.getElementById("article-body"); }
  function fragment(html) {
    var template = document.createElement("template");
    template.innerHTML = html;
    return template.content;
  }
  function sameShape(element, replacement) {
    if (element.tagName !== replacement.tagName) { return false; }
    var before = element.getAttributeNames();
    var after = replacement.getAttributeNames();
    if (before.length !== after.length) { return false; }
    for (var i = 0; i < before.length; i++) {
      if (before[i] !== after[i]) { return false; }
    }
    return true;
  }
  // Turns element into the single element of content in place; false if they differ in shape.
  function refill(element, content) {
    var replacement = content.firstElementChild;
    if (!replacement || content.childNodes.length !== 1 || !sameShape(element, replacement)) {
      return false;
    }
    replacement.getAttributeNames().forEach(function (name) {
      var value = replacement.getAttribute(name);
      if (element.getAttribute(name) !== value) { element.setAttribute(name, value); }
    });
    element.replaceChildren.apply(element, Array.prototype.slice.call(replacement.childNodes));
    return true;
  }
  function replaceBlock(element, content) {
    if (!refill(element, content)) { element.replaceWith(content); }
  }
  function blockElement(root, id) {
    for (var child = root.firstElementChild; child; child = child.nextElementSibling) {
      if (child.getAttribute("data-block") === id) { return child; }
    }
    return null;
  }
  window.__newsdesk = {
    apply: function (update) {
      var root = body();
      if (!root) { return "-1 -1"; }
      var started = performance.now();
      if (update.full) {
        root.innerHTML = update.html;
      } else {
        // An edited paragraph arrives as "removed" plus "inserted" at the same place. Removed
        // blocks are kept as holes until the end, and an insertion that lands on a hole of
        // the same kind refills it: the element stays, so the theme's positional rules
        // (:first-of-type drop cap) do not restyle and re-lay out every later block.
        var holes = new Set();
        update.changes.forEach(function (change) {
          var element;
          if (change.kind === "removed") {
            element = blockElement(root, change.id);
            if (element) { holes.add(element); }
          } else if (change.kind === "replaced") {
            element = blockElement(root, change.id);
            if (element) { replaceBlock(element, fragment(change.html)); }
          } else if (change.kind === "inserted") {
            var previous = change.after === null ? null : blockElement(root, change.after);
            var next = change.after === null ? root.firstElementChild
              : (previous ? previous.nextElementSibling : null);
            var content = fragment(change.html);
            if (next && holes.has(next) && refill(next, content)) {
              holes.delete(next);
            } else if (change.after === null) {
              root.prepend(content);
            } else if (previous) {
              previous.after(content);
            } else {
              root.append(content);
            }
          }
        });
        holes.forEach(function (hole) { hole.remove(); });
      }
      void root.offsetHeight;  // the patch is not done until the page is laid out again
      var finished = performance.now();
      // "<ms spent here> <wall-clock ms when laid out>": the second is comparable with the
      // editor's clock, so a keystroke can be timed to the layout itself, not to this reply.
      return (finished - started) + " " + (performance.timeOrigin + finished);
    },
    body: function () {
      var root = body();
      return root ? root.innerHTML : null;
    },
    blocks: function () {
      var root = body();
      var ids = [];
      if (!root) { return ids; }
      for (var child = root.firstElementChild; child; child = child.nextElementSibling) {
        ids.push(child.getAttribute("data-block"));
      }
      return ids;
    },
    scrollToBlock: function (id) {
      var root = body();
      var element = root ? blockElement(root, id) : null;
      if (element) { element.scrollIntoView({ block: "center" }); }
      return !!element;
    },
    scrollY: function () { return window.scrollY; }
  };
  document.addEventListener("click", function (event) {
    var figure = event.target.closest ? event.target.closest("figure") : null;
    if (!figure) { return; }
    var block = figure.closest("[data-block]");
    if (block) {
      event.preventDefault();
      location.hash = "newsdesk-select:" + block.getAttribute("data-block") + ":" + Date.now();
    }
  }, true);
})();
