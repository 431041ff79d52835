// The trip form's destination picker: the divisions come once from
// /divisions.json (kept by the browser, revalidated by ETag); as the user
// types, the boxes' shared list offers the names that contain what is
// typed. The boxes hold names; the server reads a name or a code.
(function () {
  "use strict";
  var boxes = document.querySelectorAll("input[data-divisions]");
  if (!boxes.length) return;
  var list = document.getElementById(boxes[0].getAttribute("list"));
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
  function offer(box) {
    var q = box.value.replace(/\s+/g, "");
    load().then(function () {
      list.textContent = "";
      if (!q) return;
      var n = 0;
      for (var i = 0; i < all.length && n < 30; i++) {
        var d = all[i];
        if (d.n.indexOf(q) >= 0 || d.c.indexOf(q) === 0) {
          var o = document.createElement("option");
          o.value = d.n;
          list.appendChild(o);
          n++;
        }
      }
    });
  }
  boxes.forEach(function (box) {
    box.addEventListener("focus", load, { once: true });
    box.addEventListener("input", function () { offer(box); });
  });
})();
