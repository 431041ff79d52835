// Draws the key-case tracking statistics from the JSON the page carries in
// <script type="application/json" id="tracking-stats-data">.
(function () {
  "use strict";
  function draw() {
    var el = document.getElementById("tracking-stats-data");
    if (!el || typeof echarts === "undefined") { return; }
    var d = JSON.parse(el.textContent);
    var scopes = document.getElementById("scope-chart");
    if (scopes) {
      echarts.init(scopes).setOption({
        tooltip: { trigger: "axis" },
        legend: { data: d.scopes },
        grid: { left: 48, right: 24, top: 56, bottom: 48 },
        xAxis: { type: "category", data: d.courts },
        yAxis: { type: "value", name: "案件", minInterval: 1 },
        series: d.scopes.map(function (name, i) { return { name: name, type: "bar", stack: "scope", data: d.series[i] }; })
      });
    }
    var recs = document.getElementById("rec-chart");
    if (recs) {
      echarts.init(recs).setOption({
        tooltip: { trigger: "item" },
        title: { text: "意见建议整改", left: "center", textStyle: { fontSize: 14 } },
        series: [{ type: "pie", radius: ["35%", "65%"], top: 24,
          data: d.recLabels.map(function (name, i) { return { name: name, value: d.recs[i] }; }) }]
      });
    }
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", draw); } else { draw(); }
})();
