// Draw each dashboard chart from its canvas's data: the table beside it
// holds the same numbers, for screen readers and for anyone who prefers them.
(function () {
  document.querySelectorAll("canvas[data-chart]").forEach(function (canvas) {
    if (!canvas.dataset.chart) return;
    new window.Chart(canvas, {
      type: canvas.dataset.chart,
      data: { labels: JSON.parse(canvas.dataset.labels), datasets: JSON.parse(canvas.dataset.series) },
      options: {
        responsive: true,
        maintainAspectRatio: false,
        plugins: { legend: { display: canvas.dataset.chart === "line" } },
        scales: { y: { beginAtZero: true, ticks: { precision: 0 } } }, // counts of cases: whole numbers
      },
    });
  });
})();
