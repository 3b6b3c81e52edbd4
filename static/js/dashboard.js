// The dashboard's charts count people, cases and Rupiah: whole numbers only on the
// value axis (Chart.js would label a chart of 1-3 cases 0.5, 1.5...). Unfold draws
// its charts on "load"; this listener is added after Unfold's, so it runs after.
window.addEventListener("load", () => {
  if (!window.Chart) {
    return;
  }
  for (const canvas of document.querySelectorAll("canvas.chart")) {
    const chart = window.Chart.getChart(canvas);
    if (chart && chart.options.scales && chart.options.scales.y) {
      chart.options.scales.y.ticks.precision = 0;
      chart.update();
    }
  }
});
