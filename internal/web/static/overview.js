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

// Draws the province's map of the courts below: each court's divisions
// coloured by its status against the core indicators' targets, a click
// on one opening that court's cockpit. The map (a GeoJSON whose features
// carry their GB/T 2260 code as id) is fetched from the page's own
// assets; the table beside stays the full account.
(function () {
  "use strict";
  var colours = { green: "#2e7d32", amber: "#e0a100", red: "#c62828", "": "#b0b7c3" };
  function draw() {
    var el = document.getElementById("overview-map-data");
    var box = document.getElementById("overview-map");
    if (!el || !box || typeof echarts === "undefined") { return; }
    var d = JSON.parse(el.textContent);
    fetch(d.url, { credentials: "same-origin" }).then(function (r) {
      if (!r.ok) { throw new Error("map " + r.status); }
      return r.json();
    }).then(function (geo) {
      var names = {};
      (geo.features || []).forEach(function (f) { names[String(f.id)] = f.properties.name; });
      var data = [], placed = 0;
      d.regions.forEach(function (c) {
        c.divisions.forEach(function (code) {
          var name = names[code];
          if (!name) { return; }
          placed++;
          data.push({ name: name, court: c.court, status: c.status, label: c.label, attainment: c.attainment, href: c.href,
            itemStyle: { areaColor: colours[c.status] || colours[""] } });
        });
      });
      echarts.registerMap("zhilian-province", geo);
      var chart = echarts.init(box);
      chart.setOption({
        tooltip: { trigger: "item", formatter: function (p) {
          if (!p.data) { return p.name; }
          return p.data.court + "<br>" + p.data.label + "，达标程度 " + p.data.attainment;
        } },
        series: [{ type: "map", map: "zhilian-province", roam: false, selectedMode: false, data: data,
          label: { show: true, fontSize: 11 },
          emphasis: { label: { show: true }, itemStyle: { areaColor: "#c8a24a" } } }]
      });
      chart.on("click", function (p) { if (p.data && p.data.href) { window.location.href = p.data.href; } });
      box.setAttribute("data-placed", String(placed));
      box.setAttribute("data-drawn", "1");
      window.addEventListener("resize", function () { chart.resize(); });
    }).catch(function () {
      box.textContent = "地图未能载入，请以下表为准。";
    });
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", draw); } else { draw(); }
})();

// Draws one figure's 12-month trend (its own page), with its target as a
// dashed line when it has one; a breakdown as one line per part.
(function () {
  "use strict";
  function draw() {
    var el = document.getElementById("figure-trend-data");
    var box = document.getElementById("figure-trend");
    if (!el || !box || typeof echarts === "undefined") { return; }
    var d = JSON.parse(el.textContent);
    var unit = d.percent ? "%" : "";
    var series = (d.series || []).map(function (s, i) {
      var out = { name: s.name, type: "line", connectNulls: false, data: s.data };
      if (i === 0 && d.target != null) {
        out.markLine = { silent: true, symbol: "none", lineStyle: { type: "dashed" },
          label: { formatter: "目标 " + d.target + unit }, data: [{ yAxis: d.target }] };
      }
      return out;
    });
    var chart = echarts.init(box);
    chart.setOption({
      tooltip: { trigger: "axis", valueFormatter: function (v) { return v == null ? "—" : v + unit; } },
      legend: { data: series.map(function (s) { return s.name; }), type: "scroll" },
      grid: { left: 48, right: 24, top: 48, bottom: 32 },
      xAxis: { type: "category", data: d.months },
      yAxis: d.percent ? { type: "value", name: "%", min: 0, max: 100 } : { type: "value", minInterval: 1 },
      series: series
    });
    box.setAttribute("data-drawn", "1");
    window.addEventListener("resize", function () { chart.resize(); });
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", draw); } else { draw(); }
})();
