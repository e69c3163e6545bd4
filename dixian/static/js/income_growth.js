// Charts of the income growth page (增收成效): per population, average per-capita income
// by year (bars) with its growth rate and the national and county benchmarks (lines), and
// the income distribution per year. The data comes from the json_script element named by
// each container's data-source attribute (no inline script: CSP).
(function () {
  "use strict";

  function growthOption(data, narrow) {
    var series = [];
    data.rows.forEach(function (row) {
      series.push({ name: row.label + " 人均纯收入", type: "bar", data: row.average, yAxisIndex: 0 });
    });
    data.rows.forEach(function (row) {
      series.push({ name: row.label + " 增速", type: "line", data: row.growth, yAxisIndex: 1, connectNulls: false });
    });
    series.push({ name: "全国农村增速", type: "line", data: data.national, yAxisIndex: 1, lineStyle: { type: "dashed" } });
    series.push({ name: "全县农村增速", type: "line", data: data.county, yAxisIndex: 1, lineStyle: { type: "dotted" } });
    return {
      animation: false,
      grid: { left: 56, right: 48, top: narrow ? 104 : 64, bottom: 28 },
      legend: { top: 0, textStyle: { fontSize: 11 } },
      tooltip: { trigger: "axis" },
      xAxis: { type: "category", data: data.years.map(String) },
      yAxis: [
        { type: "value", name: "元", axisLabel: { fontSize: 10 } },
        { type: "value", name: "%", axisLabel: { formatter: "{value}%", fontSize: 10 }, splitLine: { show: false } },
      ],
      series: series,
    };
  }

  function histogramOption(data, narrow) {
    return {
      animation: false,
      grid: { left: 48, right: 16, top: narrow ? 64 : 40, bottom: 56 },
      legend: { top: 0, textStyle: { fontSize: 11 } },
      tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
      xAxis: { type: "category", data: data.bins, axisLabel: { rotate: 45, fontSize: 10 } },
      yAxis: { type: "value", minInterval: 1, name: "户" },
      series: data.series.map(function (s) {
        return { name: s.year + "年", type: "bar", data: s.counts };
      }),
    };
  }

  function draw(el) {
    var source = document.getElementById(el.dataset.source);
    if (!source || !window.echarts) {
      return;
    }
    var all = JSON.parse(source.textContent);
    var list = el.dataset.kind === "histogram" ? all.histograms : all.growth;
    var data = list[Number(el.dataset.index)];
    if (!data || (el.dataset.kind === "growth" ? data.rows.length === 0 : data.series.length === 0)) {
      el.textContent = "暂无数据";
      el.classList.add("text-muted", "small");
      return;
    }
    el.style.width = "100%";
    var narrow = el.clientWidth < 576; // the legend wraps onto several lines on a phone
    el.style.height = narrow ? "360px" : "300px";
    var chart = window.echarts.init(el);
    chart.setOption(el.dataset.kind === "histogram" ? histogramOption(data, narrow) : growthOption(data, narrow));
    window.addEventListener("resize", function () { chart.resize(); });
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll(".growth-chart[data-source]").forEach(draw);
  });
})();
