// The trip form's destination picker: the divisions come once from
// /divisions.json (kept by the browser, revalidated by ETag); as the user
// types, a list under the box offers the names that contain what is typed,
// or whose pinyin initials do (jnlx, jnslxq: 济南市历下区), or whose code
// begins with it. A click, or the arrow keys and Enter, puts the name in
// the box. The boxes hold names; the server reads a name or a code. (The
// browser's own datalist cannot be used: it hides what does not contain
// the typed letters.)
(function () {
  "use strict";
  var boxes = document.querySelectorAll("input[data-divisions]");
  if (!boxes.length) return;
  var all = null, loading = null;
  function load() {
    if (!loading) {
      loading = fetch(boxes[0].dataset.divisions, { credentials: "same-origin" })
        .then(function (r) { return r.ok ? r.json() : []; })
        .then(function (ds) { all = ds; return ds; })
        .catch(function () { all = []; return all; });
    }
    return loading;
  }
  function matches(q) {
    var out = [];
    var letters = /^[a-z]+$/i.test(q) ? q.toLowerCase() : "";
    for (var i = 0; i < all.length && out.length < 30; i++) {
      var d = all[i];
      if (d.n.indexOf(q) >= 0 || d.c.indexOf(q) === 0 || (letters && d.p && d.p.indexOf(letters) >= 0)) {
        out.push(d);
      }
    }
    return out;
  }
  boxes.forEach(function (box) {
    var list = document.createElement("ul");
    list.className = "suggest";
    list.id = box.id + "-suggest";
    list.setAttribute("role", "listbox");
    list.setAttribute("aria-label", "目的地候选");
    list.hidden = true;
    box.parentNode.classList.add("has-suggest");
    box.insertAdjacentElement("afterend", list);
    box.setAttribute("role", "combobox");
    box.setAttribute("aria-autocomplete", "list");
    box.setAttribute("aria-controls", list.id);
    box.setAttribute("aria-expanded", "false");
    var active = -1;
    function close() {
      list.hidden = true;
      list.textContent = "";
      active = -1;
      box.setAttribute("aria-expanded", "false");
      box.removeAttribute("aria-activedescendant");
    }
    function mark(i) {
      var items = list.children;
      if (!items.length) return;
      active = (i + items.length) % items.length;
      for (var j = 0; j < items.length; j++) {
        items[j].setAttribute("aria-selected", j === active ? "true" : "false");
      }
      box.setAttribute("aria-activedescendant", items[active].id);
      items[active].scrollIntoView({ block: "nearest" });
    }
    function pick(name) {
      box.value = name;
      close();
      box.dispatchEvent(new Event("change", { bubbles: true }));
    }
    function offer() {
      var q = box.value.replace(/\s+/g, "");
      load().then(function () {
        close();
        if (!q) return;
        matches(q).forEach(function (d, i) {
          var li = document.createElement("li");
          li.id = box.id + "-opt-" + i;
          li.setAttribute("role", "option");
          li.setAttribute("aria-selected", "false");
          li.textContent = d.n;
          li.addEventListener("mousedown", function (e) { e.preventDefault(); pick(d.n); });
          list.appendChild(li);
        });
        if (list.children.length) {
          list.hidden = false;
          box.setAttribute("aria-expanded", "true");
        }
      });
    }
    box.addEventListener("focus", load, { once: true });
    box.addEventListener("input", offer);
    box.addEventListener("blur", close);
    box.addEventListener("keydown", function (e) {
      if (list.hidden) return;
      if (e.key === "ArrowDown") { e.preventDefault(); mark(active + 1); }
      else if (e.key === "ArrowUp") { e.preventDefault(); mark(active - 1); }
      else if (e.key === "Escape") { e.preventDefault(); close(); }
      else if (e.key === "Enter" && active >= 0) { e.preventDefault(); pick(list.children[active].textContent); }
    });
  });
})();
