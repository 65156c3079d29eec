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
  function blockElement(root, id) {
    for (var child = root.firstElementChild; child; child = child.nextElementSibling) {
      if (child.getAttribute("data-block") === id) { return child; }
    }
    return null;
  }
  window.__newsdesk = {
    apply: function (update) {
      var root = body();
      if (!root) { return -1; }
      var started = performance.now();
      if (update.full) {
        root.innerHTML = update.html;
      } else {
        update.changes.forEach(function (change) {
          var element;
          if (change.kind === "removed") {
            element = blockElement(root, change.id);
            if (element) { element.remove(); }
          } else if (change.kind === "replaced") {
            element = blockElement(root, change.id);
            if (element) { element.replaceWith(fragment(change.html)); }
          } else if (change.kind === "inserted") {
            if (change.after === null) {
              root.prepend(fragment(change.html));
            } else {
              element = blockElement(root, change.after);
              if (element) { element.after(fragment(change.html)); } else { root.append(fragment(change.html)); }
            }
          }
        });
      }
      void root.offsetHeight;  // the patch is not done until the page is laid out again
      return performance.now() - started;
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
