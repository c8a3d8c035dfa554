// Charts for the monitoring dashboard, fed by the page's json_script data.
(function () {
  var source = document.getElementById("chart-data");
  if (!source || typeof Chart === "undefined") return;
  var data = JSON.parse(source.textContent);
  var s = data.statuses;
  var statusEl = document.getElementById("status-chart");
  if (statusEl) {
    new Chart(statusEl, {
      type: "doughnut",
      data: {
        labels: ["Behaald", "Op schema", "Risico", "Te laat"],
        datasets: [{ data: [s.achieved || 0, s.on_track || 0, s.at_risk || 0, s.late || 0],
                     backgroundColor: ["#17683a", "#4f5863", "#8a5300", "#b42318"] }]
      },
      options: { plugins: { legend: { position: "right" } } }
    });
  }
  var budgetEl = document.getElementById("budget-chart");
  if (budgetEl) {
    new Chart(budgetEl, {
      type: "bar",
      data: {
        labels: data.budget_labels,
        datasets: [
          { label: "Begroot", data: data.budget, backgroundColor: "#0b5cab" },
          { label: "Besteed", data: data.spent, backgroundColor: "#c2410c" }
        ]
      },
      options: { indexAxis: "y", scales: { x: { beginAtZero: true } } }
    });
  }
})();
