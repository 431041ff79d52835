// Draws a periodic report's charts (run_report.html, the print pages) from
// the JSON the page carries in <script type="application/json"
// id="run-report-data">: the core indicators against their targets, and
// the typical problems by where they were found. No animation, so that a
// printout has them drawn.
(function () {
  "use strict";
  function draw() {
    var el = document.getElementById("run-report-data");
    if (!el || typeof echarts === "undefined") { return; }
    var d = JSON.parse(el.textContent);
    var ind = document.getElementById("run-report-indicators");
    if (ind && d.indicators.length) {
      echarts.init(ind).setOption({
        animation: false,
        tooltip: { trigger: "axis" },
        legend: { data: ["实际值", "目标值"] },
        grid: { left: 48, right: 24, top: 40, bottom: 72 },
        xAxis: { type: "category", data: d.indicators.map(function (x) { return x.name; }), axisLabel: { interval: 0, width: 110, overflow: "break" } },
        yAxis: { type: "value", name: "%", max: 100 },
        series: [
          { name: "实际值", type: "bar", data: d.indicators.map(function (x) { return x.value === null ? null : Math.round(x.value * 10) / 10; }) },
          { name: "目标值", type: "scatter", symbol: "rect", symbolSize: [40, 4], itemStyle: { color: "#8e1b1b" }, data: d.indicators.map(function (x) { return x.target; }) }
        ]
      });
    }
    var pr = document.getElementById("run-report-problems");
    if (pr && d.kinds) {
      echarts.init(pr).setOption({
        animation: false,
        tooltip: { trigger: "item" },
        grid: { left: 200, right: 24, top: 16, bottom: 24 },
        xAxis: { type: "value", minInterval: 1 },
        yAxis: { type: "category", data: d.kinds, inverse: true },
        series: [{ type: "bar", name: "件数", data: d.problems }]
      });
    }
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", draw); } else { draw(); }
})();
