// Per-capita income by year on the household page. The data comes from a json_script
// element named by the container's data-source attribute (no inline script: CSP).
(function () {
  "use strict";

  function draw(el) {
    var source = document.getElementById(el.dataset.source);
    if (!source || !window.echarts) {
      return;
    }
    var data = JSON.parse(source.textContent);
    var series = [
      {
        name: "人均纯收入",
        type: "line",
        data: data.income,
        symbolSize: 7,
        label: { show: data.years.length <= 6, position: "top" },
      },
    ];
    if (data.line.some(function (v) { return v !== null; })) {
      series.push({
        name: "监测范围",
        type: "line",
        data: data.line,
        symbol: "none",
        lineStyle: { type: "dashed" },
      });
    }
    var chart = window.echarts.init(el);
    chart.setOption({
      animation: false,
      grid: { left: 52, right: 16, top: 36, bottom: 24 },
      legend: { top: 0, textStyle: { fontSize: 11 } },
      tooltip: { trigger: "axis" },
      xAxis: { type: "category", data: data.years.map(String) },
      yAxis: { type: "value" },
      series: series,
    });
    window.addEventListener("resize", function () { chart.resize(); });
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll(".income-chart[data-source]").forEach(draw);
  });
})();
