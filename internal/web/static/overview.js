// Draws the cockpit's 12-month trend of the four core indicators, each
// with its target as a dashed line, from the JSON the page carries in
// <script type="application/json" id="overview-data">.
(function () {
  "use strict";
  function draw() {
    var el = document.getElementById("overview-data");
    var box = document.getElementById("overview-trend");
    if (!el || !box || typeof echarts === "undefined") { return; }
    var d = JSON.parse(el.textContent);
    if (!d.series) { return; }
    var colours = ["#8e1b1b", "#1f3450", "#c8a24a", "#2e7d32"];
    var series = d.series.map(function (s, i) {
      return {
        name: s.name, type: "line", connectNulls: false, data: s.data,
        itemStyle: { color: colours[i % colours.length] },
        markLine: { silent: true, symbol: "none", lineStyle: { type: "dashed", color: colours[i % colours.length] },
          label: { formatter: "目标 " + s.target + "%" }, data: [{ yAxis: s.target }] }
      };
    });
    var chart = echarts.init(box);
    chart.setOption({
      tooltip: { trigger: "axis", valueFormatter: function (v) { return v == null ? "—" : v + "%"; } },
      legend: { data: d.series.map(function (s) { return s.name; }), type: "scroll" },
      grid: { left: 48, right: 24, top: 48, bottom: 32 },
      xAxis: { type: "category", data: d.months },
      yAxis: { type: "value", name: "%", min: 0, max: 100 },
      series: series
    });
    box.setAttribute("data-drawn", "1");
    window.addEventListener("resize", function () { chart.resize(); });
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", draw); } else { draw(); }
})();
