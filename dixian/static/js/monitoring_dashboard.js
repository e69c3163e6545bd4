// Charts of the monitoring dashboard: a stacked bar of monitored households by township
// and category, and a pie of risk types. The data comes from the json_script element
// named by each container's data-source attribute (no inline script: CSP).
(function () {
  "use strict";

  function categoryOption(data) {
    return {
      animation: false,
      grid: { left: 40, right: 16, top: 36, bottom: 40 },
      legend: { top: 0, textStyle: { fontSize: 11 } },
      tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
      xAxis: { type: "category", data: data.townships, axisLabel: { interval: 0, rotate: data.townships.length > 6 ? 30 : 0 } },
      yAxis: { type: "value", minInterval: 1 },
      series: data.categories.map(function (name, i) {
        return { name: name, type: "bar", stack: "category", data: data.series[i] };
      }),
    };
  }

  function riskOption(data) {
    return {
      animation: false,
      tooltip: { trigger: "item", formatter: "{b}: {c} 户 ({d}%)" },
      series: [
        {
          name: "风险类型",
          type: "pie",
          radius: ["30%", "65%"],
          data: data.risks,
          label: { fontSize: 11 },
        },
      ],
    };
  }

  function draw(el) {
    var source = document.getElementById(el.dataset.source);
    if (!source || !window.echarts) {
      return;
    }
    var data = JSON.parse(source.textContent);
    var empty = el.dataset.kind === "risk" ? data.risks.length === 0 : data.townships.length === 0;
    if (empty) {
      el.textContent = "暂无数据";
      el.classList.add("text-muted", "small");
      return;
    }
    el.style.width = "100%";
    el.style.height = "280px";
    var chart = window.echarts.init(el);
    chart.setOption(el.dataset.kind === "risk" ? riskOption(data) : categoryOption(data));
    window.addEventListener("resize", function () { chart.resize(); });
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll(".dashboard-chart[data-source]").forEach(draw);
  });
})();
