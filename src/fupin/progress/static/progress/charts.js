// Draws the battle map's charts from data-chart attributes ({"type", "categories", "series"}):
// no inline script, so the strict Content-Security-Policy holds.
(function () {
  "use strict";
  function draw(el) {
    if (!window.echarts || el.dataset.drawn) { return; }
    var spec;
    try { spec = JSON.parse(el.dataset.chart || "{}"); } catch (e) { return; }
    if (!spec.categories || spec.categories.length === 0) {
      el.classList.add("muted");
      el.textContent = el.dataset.empty || "暂无数据";
      el.dataset.drawn = "1";
      return;
    }
    var chart = window.echarts.init(el, null, { renderer: "canvas" });
    chart.setOption({
      tooltip: { trigger: "axis" },
      legend: { top: 0 },
      grid: { left: 50, right: 20, top: 40, bottom: 70 },
      xAxis: { type: "category", data: spec.categories, axisLabel: { rotate: spec.categories.length > 8 ? 40 : 0 } },
      yAxis: { type: "value" },
      series: spec.series.map(function (s) {
        return { name: s.name, type: spec.type === "line" ? "line" : "bar", data: s.data };
      })
    });
    el.dataset.drawn = "1";
    window.addEventListener("resize", function () { chart.resize(); });
  }
  function all() { document.querySelectorAll("[data-chart]").forEach(draw); }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", all); } else { all(); }
  document.addEventListener("htmx:afterSwap", all);
})();
