// The portal's few behaviours (no inline script: the CSP allows only 'self'): the phone menu, the Link settings'
// live preview, and the auth-flow overview's charts, drawn from the JSON the page embeds.
(function () {
  document.documentElement.classList.add('js');

  // On a narrow screen the navigation collapses behind the Menu button (CSS hides it only when this script runs).
  const toggle = document.querySelector('.menu-toggle');
  const nav = document.getElementById('portal-nav');
  if (toggle && nav) {
    toggle.addEventListener('click', () => {
      const open = toggle.getAttribute('aria-expanded') !== 'true';
      toggle.setAttribute('aria-expanded', String(open));
      nav.classList.toggle('open', open);
    });
  }

  // Each preview line shows its field's text, or the default wording (the field's placeholder) while it is empty.
  document.querySelectorAll('[data-preview-of]').forEach(target => {
    const field = document.getElementById(target.dataset.previewOf);
    if (!field) return;
    const show = () => { target.textContent = field.value.trim() || field.placeholder; };
    field.addEventListener('input', show);
    show();
  });

  drawCharts();

  function drawCharts() {
    const source = document.getElementById('authflow-data');
    if (!source || typeof Chart === 'undefined') return;
    const data = JSON.parse(source.textContent || '{}');
    const style = getComputedStyle(document.documentElement);
    const accent = style.getPropertyValue('--accent').trim() || '#4F46E5';
    const ink = style.getPropertyValue('--ink').trim() || '#1f2937';
    Chart.defaults.animation = false;
    Chart.defaults.maintainAspectRatio = false;

    // Writes each value beside its bar or above its point, so the figures read without hovering.
    const valueLabels = format => ({
      id: 'valueLabels',
      afterDatasetsDraw(chart) {
        const { ctx } = chart;
        const horizontal = chart.options.indexAxis === 'y';
        ctx.save();
        ctx.fillStyle = ink;
        ctx.font = '12px system-ui, sans-serif';
        ctx.textAlign = horizontal ? 'left' : 'center';
        ctx.textBaseline = horizontal ? 'middle' : 'bottom';
        chart.getDatasetMeta(0).data.forEach((element, i) => {
          const text = format(i);
          if (text !== null) ctx.fillText(text, horizontal ? element.x + 6 : element.x, horizontal ? element.y : element.y - 6);
        });
        ctx.restore();
      },
    });

    new Chart(document.getElementById('funnel-chart'), {
      type: 'bar',
      data: {
        labels: data.funnel.map(s => s.label),
        datasets: [{ label: 'Companies', data: data.funnel.map(s => s.value), backgroundColor: accent + 'CC' }],
      },
      options: {
        indexAxis: 'y',
        layout: { padding: { right: 72 } },
        plugins: { legend: { display: false } },
        scales: { x: { beginAtZero: true, ticks: { precision: 0 } } },
      },
      plugins: [valueLabels(i => `${data.funnel[i].value} (${data.funnel[i].share} %)`)],
    });

    new Chart(document.getElementById('weekly-chart'), {
      type: 'line',
      data: {
        labels: data.weekly.map(w => w.week),
        datasets: [{ label: 'Completion rate (%)', data: data.weekly.map(w => w.rate ?? null), borderColor: accent, backgroundColor: accent, spanGaps: false, tension: 0.2 }],
      },
      options: {
        layout: { padding: { top: 20, left: 16, right: 24 } },
        plugins: { legend: { display: false } },
        scales: { y: { beginAtZero: true, suggestedMax: 100 } },
      },
      plugins: [valueLabels(i => (data.weekly[i].rate == null ? null : `${data.weekly[i].rate} %`))],
    });

    document.body.dataset.chartsReady = 'true';
  }
})();
