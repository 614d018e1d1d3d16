// encours pages: charts (Chart.js, served from this server), live checks of a draft being edited,
// and "select all" in the review queue. Every action also works without this script.
(() => {
  const data = (id) => {
    const el = document.getElementById(id);
    return el ? JSON.parse(el.textContent) : null;
  };
  const csrf = () => document.querySelector('input[name="_csrf"]')?.value ?? '';

  function charts() {
    if (!window.Chart) return;
    const d = data('dashboard-data');
    const Chart = window.Chart;
    Chart.defaults.font.family = getComputedStyle(document.body).fontFamily;
    Chart.defaults.color = '#4a5568';
    Chart.defaults.plugins.legend.display = false;
    const locale = document.documentElement.lang === 'fr' ? 'fr-FR' : 'en-GB';
    const money = (cur) => (v) =>
      new Intl.NumberFormat(locale, { style: 'currency', currency: cur, maximumFractionDigits: 0 }).format(v);
    const bar = (id, labels, values, opts = {}) => {
      const el = document.getElementById(id);
      if (!el) return;
      new Chart(el, {
        type: 'bar',
        data: {
          labels,
          datasets: [{ data: values, backgroundColor: opts.colors ?? '#3b74c9', borderRadius: 4 }],
        },
        options: {
          indexAxis: opts.horizontal ? 'y' : 'x',
          responsive: true,
          maintainAspectRatio: false,
          animation: false,
          scales: {
            [opts.horizontal ? 'x' : 'y']: {
              ticks: opts.format ? { callback: opts.format } : {},
              grid: { color: '#eef1f5' },
            },
            // Every category named (Chart.js would skip some to save room).
            [opts.horizontal ? 'y' : 'x']: { grid: { display: false }, ticks: { autoSkip: false } },
          },
          plugins: {
            tooltip: opts.format
              ? { callbacks: { label: (c) => opts.format(c.parsed[opts.horizontal ? 'x' : 'y']) } }
              : {},
          },
        },
      });
    };
    if (d) {
      const eur = money(d.currency);
      const agingColors = d.aging.values.map((_, i, a) =>
        i === 0
          ? '#7fb0e8'
          : i === a.length - 1
            ? '#b9a2e0'
            : ['#f0b44c', '#e88a3c', '#d8632c', '#b42318'][Math.min(i - 1, 3)],
      );
      bar('chart-aging', d.aging.labels, d.aging.values, { format: eur, colors: agingColors });
      bar('chart-grades', d.grades.labels, d.grades.values, {
        colors: ['#15803d', '#4d9a2a', '#c58a00', '#d4621b', '#b42318'],
      });
      bar('chart-forecast', d.forecast.labels, d.forecast.values, { format: eur, colors: '#3b74c9' });
      const dso = document.getElementById('chart-dso');
      if (dso)
        new Chart(dso, {
          type: 'line',
          data: {
            labels: d.dso.labels,
            datasets: [
              {
                data: d.dso.values,
                borderColor: '#1f5fbf',
                backgroundColor: 'rgba(31,95,191,0.12)',
                fill: true,
                tension: 0.25,
                pointRadius: 3,
              },
            ],
          },
          options: {
            responsive: true,
            maintainAspectRatio: false,
            animation: false,
            scales: { y: { beginAtZero: true, grid: { color: '#eef1f5' } }, x: { grid: { display: false } } },
          },
        });
    }
    // Long factor names go on several lines instead of being cut at the canvas edge.
    const lines = (label) =>
      label.split(' ').reduce((acc, word) => {
        const last = acc[acc.length - 1];
        if (last !== undefined && `${last} ${word}`.length <= 26) acc[acc.length - 1] = `${last} ${word}`;
        else acc.push(word);
        return acc;
      }, []);
    const factors = data('factors-data');
    if (factors)
      bar('chart-factors', factors.labels.map(lines), factors.values, {
        horizontal: true,
        colors: factors.values.map((v) => (v < 0 ? '#d4621b' : '#2f8f5b')),
      });
  }

  // The guards run on every edit (debounced) and their findings replace the list under the text.
  function liveChecks() {
    const form = document.getElementById('edit-form');
    const url = form?.dataset.check;
    if (!form || !url) return;
    const box = document.getElementById('findings');
    const approve = document.getElementById('approve');
    const subject = form.querySelector('#subject');
    const body = form.querySelector('#body');
    let timer = null;
    let seq = 0;
    const render = (result) => {
      const title = box.querySelector('h3')?.outerHTML ?? '';
      box.innerHTML = title;
      if (result.findings.length) {
        const ul = document.createElement('ul');
        ul.className = 'findings';
        for (const f of result.findings) {
          const li = document.createElement('li');
          li.className = `finding finding-${f.check}`;
          const code = document.createElement('code');
          code.textContent = `${f.check}/${f.kind}`;
          li.append(code, ` ${f.message}`);
          if (f.text) {
            const q = document.createElement('q');
            q.textContent = f.text;
            li.append(q);
          }
          ul.append(li);
        }
        box.append(ul);
      } else {
        const p = document.createElement('p');
        p.className = 'ok-text';
        p.textContent =
          document.documentElement.lang === 'fr'
            ? 'Tous les contrôles passent sur ce texte ; enregistrez-le pour pouvoir l’approuver.'
            : 'Every check passes on this text; save it to approve it.';
        box.append(p);
      }
      if (approve) approve.disabled = true; // the saved text is what gets approved: save first
    };
    const check = async () => {
      const mine = ++seq;
      const res = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-csrf-token': csrf() },
        body: JSON.stringify({ subject: subject.value, body: body.value.replace(/\r\n/g, '\n') }),
        credentials: 'same-origin',
      });
      if (res.ok && mine === seq) render(await res.json());
    };
    const schedule = () => {
      clearTimeout(timer);
      timer = setTimeout(check, 350);
    };
    subject.addEventListener('input', schedule);
    body.addEventListener('input', schedule);
  }

  function selectAll() {
    const all = document.getElementById('select-all');
    if (!all) return;
    all.addEventListener('change', () => {
      for (const box of document.querySelectorAll('input[name="ids"]')) box.checked = all.checked;
    });
  }

  document.addEventListener('DOMContentLoaded', () => {
    charts();
    liveChecks();
    selectAll();
  });
})();
