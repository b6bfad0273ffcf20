// Draws the auth-flow overview's charts from the JSON the page embeds (no inline script: the CSP allows only 'self').
(function () {
  const source = document.getElementById('authflow-data');
  if (!source || typeof Chart === 'undefined') return;
  const data = JSON.parse(source.textContent || '{}');
  const accent = getComputedStyle(document.documentElement).getPropertyValue('--accent').trim() || '#4F46E5';
  Chart.defaults.animation = false;
  Chart.defaults.maintainAspectRatio = false;

  new Chart(document.getElementById('funnel-chart'), {
    type: 'bar',
    data: {
      labels: data.funnel.map(s => s.label),
      datasets: [{ label: 'Companies', data: data.funnel.map(s => s.value), backgroundColor: [accent + 'AA', accent + 'CC', accent] }],
    },
    options: { indexAxis: 'y', plugins: { legend: { display: false } }, scales: { x: { beginAtZero: true, ticks: { precision: 0 } } } },
  });

  new Chart(document.getElementById('weekly-chart'), {
    type: 'line',
    data: {
      labels: data.weekly.map(w => w.week),
      datasets: [{ label: 'Completion rate (%)', data: data.weekly.map(w => w.rate ?? null), borderColor: accent, backgroundColor: accent, spanGaps: false, tension: 0.2 }],
    },
    options: { plugins: { legend: { display: false } }, scales: { y: { beginAtZero: true, suggestedMax: 100 } } },
  });

  document.body.dataset.chartsReady = 'true';
})();
