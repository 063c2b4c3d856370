// Draws the battle map's geographic map from a data-geo attribute ({"map", "geojson", "regions"}):
// the uploaded boundaries are registered with ECharts and coloured like the schematic tiles;
// clicking a region opens that area's battle map, as a tile does. No inline script (strict CSP).
(function () {
  "use strict";
  function draw(el) {
    if (!window.echarts || el.dataset.drawn) { return; }
    var spec;
    try { spec = JSON.parse(el.dataset.geo || "{}"); } catch (e) { return; }
    if (!spec.geojson || !spec.regions) { return; }
    window.echarts.registerMap(spec.map, spec.geojson);
    var byName = {};
    spec.regions.forEach(function (r) { byName[r.name] = r; });
    var chart = window.echarts.init(el, null, { renderer: "canvas" });
    chart.setOption({
      tooltip: {
        trigger: "item",
        formatter: function (p) {
          var r = byName[p.name];
          return r ? r.label + "<br>达标 " + r.reached + " / " + r.households + " 户（" + r.percent + "%）" : p.name;
        }
      },
      series: [{
        type: "map", map: spec.map, roam: true, selectedMode: false,
        label: { show: true, fontSize: 11, formatter: function (p) { return byName[p.name] ? byName[p.name].label : p.name; } },
        emphasis: { label: { show: true }, itemStyle: { areaColor: "#9cc3ea" } },
        itemStyle: { borderColor: "#555", borderWidth: 1 },
        data: spec.regions.map(function (r) {
          return { name: r.name, value: r.percent, itemStyle: { areaColor: r.colour } };
        })
      }]
    });
    chart.on("click", function (p) {
      var r = byName[p.name];
      if (r && r.url) { window.location.href = r.url; }
    });
    el.dataset.drawn = "1";
    window.addEventListener("resize", function () { chart.resize(); });
  }
  function all() { document.querySelectorAll("[data-geo]").forEach(draw); }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", all); } else { all(); }
  document.addEventListener("htmx:afterSwap", all);
})();
