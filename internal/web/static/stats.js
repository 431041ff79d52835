// Draws the return-visit statistics charts from the JSON the page carries
// in <script type="application/json" id="stats-data">.
(function () {
  "use strict";
  function draw() {
    var el = document.getElementById("stats-data");
    if (!el || typeof echarts === "undefined") { return; }
    var d = JSON.parse(el.textContent);
    var trend = document.getElementById("trend-chart");
    if (trend && d.months) {
      echarts.init(trend).setOption({
        tooltip: { trigger: "axis" },
        legend: { data: ["回访数", "满意率(%)", "回复率(%)"] },
        grid: { left: 48, right: 56, top: 40, bottom: 32 },
        xAxis: { type: "category", data: d.months },
        yAxis: [{ type: "value", name: "回访数" }, { type: "value", name: "%", min: 0, max: 100 }],
        series: [
          { name: "回访数", type: "bar", data: d.visits, itemStyle: { color: "#8e1b1b" } },
          { name: "满意率(%)", type: "line", yAxisIndex: 1, data: d.satisfaction, itemStyle: { color: "#1f3450" } },
          { name: "回复率(%)", type: "line", yAxisIndex: 1, data: d.reply, itemStyle: { color: "#c8a24a" } }
        ]
      });
    }
    var cat = document.getElementById("category-chart");
    if (cat && d.categories) {
      var items = d.categories.map(function (name, i) { return { name: name, value: d.categoryCounts[i] }; });
      echarts.init(cat).setOption({
        tooltip: { trigger: "item", formatter: "{b}：{c}次（{d}%）" },
        title: { text: "不满意事项类别", left: "center", textStyle: { fontSize: 14 } },
        series: [{ type: "pie", radius: ["35%", "65%"], top: 24, data: items, label: { formatter: "{b}\n{c}次（{d}%）" } }]
      });
    }
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", draw); } else { draw(); }
})();
