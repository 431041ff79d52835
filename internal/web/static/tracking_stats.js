// Draws the key-case tracking statistics from the JSON the page carries in
// <script type="application/json" id="tracking-stats-data">.
(function () {
  "use strict";
  function draw() {
    var el = document.getElementById("tracking-stats-data");
    if (!el || typeof echarts === "undefined") { return; }
    var d = JSON.parse(el.textContent);
    var months = document.getElementById("month-chart");
    if (months && d.months) {
      echarts.init(months).setOption({
        tooltip: { trigger: "axis" },
        legend: { data: ["列为候选", "决定跟踪", "已结束"] },
        grid: { left: 48, right: 24, top: 40, bottom: 32 },
        xAxis: { type: "category", data: d.months },
        yAxis: { type: "value", name: "案件", minInterval: 1 },
        series: [
          { name: "列为候选", type: "bar", data: d.candidates, itemStyle: { color: "#c8a24a" } },
          { name: "决定跟踪", type: "bar", data: d.decided, itemStyle: { color: "#8e1b1b" } },
          { name: "已结束", type: "bar", data: d.closed, itemStyle: { color: "#1f3450" } }
        ]
      });
    }
    var scopes = document.getElementById("scope-chart");
    if (scopes && d.courts) {
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
    if (recs && d.recs) {
      echarts.init(recs).setOption({
        tooltip: { trigger: "item", formatter: "{b}：{c}条（{d}%）" },
        title: { text: "意见建议整改", left: "center", textStyle: { fontSize: 14 } },
        series: [{ type: "pie", radius: ["35%", "65%"], top: 24,
          label: { formatter: "{b}\n{c}条（{d}%）" },
          data: d.recLabels.map(function (name, i) { return { name: name, value: d.recs[i] }; }) }]
      });
    }
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", draw); } else { draw(); }
})();
