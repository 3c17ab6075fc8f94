/* Draws the dashboard charts from the JSON the page embeds; every chart has a table beside it. */
(function () {
  "use strict";
  if (typeof Chart === "undefined") { return; }

  function readJson(id) {
    var element = document.getElementById(id);
    return element ? JSON.parse(element.textContent) : null;
  }
  // Vietnamese numbers, as units/templatetags/vn.py writes them: 1234.5 -> "1.234,5".
  function vnNumber(value) {
    var parts = String(value).split(".");
    return parts[0].replace(/\B(?=(\d{3})+(?!\d))/g, ".") + (parts.length > 1 ? "," + parts[1] : "");
  }
  function percentLabel(value) {
    return value === null || value === undefined ? "–" : vnNumber(value) + " %";
  }
  var common = {
    responsive: true,
    maintainAspectRatio: false,
    animation: false,
    plugins: { tooltip: { callbacks: { label: function (ctx) { return ctx.dataset.label + ": " + percentLabel(ctx.raw); } } } },
    scales: { y: { ticks: { callback: function (v) { return percentLabel(v); } } } }
  };

  var charts = readJson("charts-data") || [];
  charts.forEach(function (chart) {
    var canvas = document.querySelector('canvas.scheme-chart[data-scheme="' + chart.scheme + '"]');
    if (!canvas) { return; }
    var threshold = Number(chart.threshold);
    new Chart(canvas, {
      data: {
        labels: chart.points.map(function (p) { return p.unit; }),
        datasets: [
          { type: "bar", label: "Tỷ lệ phát triển", data: chart.points.map(function (p) { return Number(p.rate); }),
            backgroundColor: chart.points.map(function (p) { return p.met ? "#198754" : "#dc3545"; }) },
          { type: "line", label: "Ngưỡng", data: chart.points.map(function () { return threshold; }),
            borderColor: "#0d6efd", borderDash: [6, 4], pointRadius: 0, borderWidth: 2 }
        ]
      },
      // Rates are read against the threshold: keep 0 % and 100 % in view. The axis keeps the
      // short unit codes; the tooltip names the unit, as the tables do.
      options: Object.assign({}, common, {
        scales: { y: { suggestedMin: 0, suggestedMax: Math.max(100, threshold),
                       ticks: common.scales.y.ticks } },
        plugins: { tooltip: { callbacks: {
          title: function (items) { return items.length ? chart.points[items[0].dataIndex].name : ""; },
          label: common.plugins.tooltip.callbacks.label
        } } }
      })
    });
  });

  var trend = readJson("trend-data");
  var trendCanvas = document.getElementById("trend-chart");
  if (trend && trendCanvas) {
    var colours = ["#0d6efd", "#6f42c1", "#20c997"];
    // A month whose totals lack reports carries the like-for-like rates: drawn dotted, with a
    // hollow diamond, never as the solid line of the province's own rate (not colour alone:
    // the shape and the dash tell it in grey print too). The legend names the style.
    var incomplete = trend.incomplete || [];
    var dotted = [2, 3];
    function short(index) { return incomplete[index] === true; }
    var datasets = trend.series.map(function (s, i) {
      return { type: "line", label: s.label, borderColor: colours[i], backgroundColor: colours[i],
               data: s.rates.map(function (r) { return r === null ? null : Number(r); }),
               pointStyle: s.rates.map(function (_, j) { return short(j) ? "rectRot" : "circle"; }),
               pointRadius: s.rates.map(function (_, j) { return short(j) ? 6 : 3; }),
               pointBorderWidth: s.rates.map(function (_, j) { return short(j) ? 2 : 1; }),
               pointBackgroundColor: s.rates.map(function (_, j) { return short(j) ? "#fff" : colours[i]; }),
               segment: { borderDash: function (ctx) {
                 return short(ctx.p0DataIndex) || short(ctx.p1DataIndex) ? dotted : undefined; } } };
    });
    if (trend.any_incomplete) {
      datasets.push({ type: "line", label: "◇ Chưa đủ báo cáo: tỷ lệ trên chỉ tiêu của các đơn vị đã gửi",
                      borderColor: "#212529", backgroundColor: "#fff", borderDash: dotted,
                      pointStyle: "rectRot", legendStyle: "rectRot", data: trend.labels.map(function () { return null; }) });
    }
    datasets.push({ type: "line", label: "Ngưỡng", borderColor: "#dc3545", borderDash: [6, 4],
                    data: trend.thresholds.map(Number), pointRadius: 0, legendStyle: "line" });
    var options = Object.assign({}, common, {
      scales: {
        x: { ticks: { callback: function (value, index) {
          return trend.labels[index] + (short(index) ? " ◇" : ""); } } },
        y: common.scales.y
      },
      plugins: {
        // Each legend item in its dataset's own shape: the series as dots, the incomplete
        // month's style as its hollow diamond, the threshold as a line.
        legend: { labels: { usePointStyle: true, generateLabels: function (chart) {
          var items = Chart.defaults.plugins.legend.labels.generateLabels(chart);
          items.forEach(function (item) {
            item.pointStyle = chart.data.datasets[item.datasetIndex].legendStyle || "circle";
          });
          return items;
        } } },
        tooltip: { callbacks: {
          title: function (items) {
            if (!items.length) { return ""; }
            var i = items[0].dataIndex;
            return trend.labels[i] + (short(i) ? " (chưa đủ báo cáo: " + trend.covered[i] + " đơn vị đã gửi)" : "");
          },
          label: function (ctx) {
            var text = ctx.dataset.label + ": " + percentLabel(ctx.raw);
            return short(ctx.dataIndex) && ctx.datasetIndex < trend.series.length
              ? text + " (trên chỉ tiêu của các đơn vị đã gửi)" : text;
          }
        } }
      }
    });
    new Chart(trendCanvas, { data: { labels: trend.labels, datasets: datasets }, options: options });
  }
})();
