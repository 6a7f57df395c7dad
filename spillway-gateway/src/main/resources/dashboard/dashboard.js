// Spillway live dashboard: polls /dashboard/api/stats every second and draws small SVG charts.
// No framework, nothing from elsewhere (the page's Content-Security-Policy is default-src 'self').
// Every chart panel carries data-points, data-last (sum of the series' latest values) and data-max,
// which the browser test reads.
(() => {
  'use strict';

  const STATS_URL = '/dashboard/api/stats';
  const POLL_MS = 1000;
  const SVG = 'http://www.w3.org/2000/svg';
  const PALETTE = ['#38bdf8', '#a78bfa', '#34d399', '#fbbf24', '#f472b6', '#fb923c', '#22d3ee', '#c084fc'];
  // Tokens: blues for PTU, violets and pinks for PAYG, so the spill reads at a glance.
  const TIER_COLORS = { ptu: ['#38bdf8', '#2dd4bf', '#0ea5e9'], payg: ['#a78bfa', '#f472b6', '#e879f9'] };
  const PTU_COLORS = ['#38bdf8', '#34d399', '#fbbf24', '#2dd4bf', '#fb923c'];
  const PERCENTILE_COLORS = { p50: '#38bdf8', p95: '#fbbf24', p99: '#f472b6' };
  const CACHE_COLORS = { exact: '#34d399', semantic: '#2dd4bf', miss: '#64748b', bypass: '#334155' };
  const SAFETY_COLORS = { blocked: '#f87171', masked: '#fbbf24', logged: '#64748b' };

  let latest = null;

  // ---- small helpers ----

  function svg(tag, attrs, parent) {
    const node = document.createElementNS(SVG, tag);
    for (const [k, v] of Object.entries(attrs || {})) node.setAttribute(k, v);
    if (parent) parent.appendChild(node);
    return node;
  }

  function html(tag, className, text, parent) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = text;
    if (parent) parent.appendChild(node);
    return node;
  }

  function compact(n) {
    if (n === null || n === undefined || Number.isNaN(n)) return '–';
    const a = Math.abs(n);
    if (a >= 1e9) return (n / 1e9).toFixed(a >= 1e10 ? 0 : 1) + 'G';
    if (a >= 1e6) return (n / 1e6).toFixed(a >= 1e7 ? 0 : 1) + 'M';
    if (a >= 1e3) return (n / 1e3).toFixed(a >= 1e4 ? 0 : 1) + 'k';
    if (a >= 100 || Number.isInteger(n)) return String(Math.round(n));
    return n.toFixed(1);
  }

  function millis(ms) {
    if (ms === null || ms === undefined) return '–';
    if (ms >= 10000) return (ms / 1000).toFixed(1) + ' s';
    if (ms >= 1000) return (ms / 1000).toFixed(2) + ' s';
    return Math.round(ms) + ' ms';
  }

  function axisMillis(v) {
    if (v === null || v === undefined) return '–';
    if (v === 0) return '0';
    return v >= 1000 ? +(v / 1000).toFixed(2) + 's' : Math.round(v) + 'ms';
  }

  function percent(p) {
    return p === null || p === undefined ? '–' : p.toFixed(p >= 100 ? 0 : 1) + ' %';
  }

  function duration(seconds) {
    const h = Math.floor(seconds / 3600);
    const m = Math.floor((seconds % 3600) / 60);
    const s = seconds % 60;
    if (h > 0) return h + 'h ' + String(m).padStart(2, '0') + 'm';
    if (m > 0) return m + 'm ' + String(s).padStart(2, '0') + 's';
    return s + 's';
  }

  /** A round tick step (1, 2, 2.5 or 5 times a power of ten) near {@code raw}. */
  function niceStep(raw) {
    const exp = Math.pow(10, Math.floor(Math.log10(raw)));
    const f = raw / exp;
    return (f <= 1 ? 1 : f <= 2 ? 2 : f <= 2.5 ? 2.5 : f <= 5 ? 5 : 10) * exp;
  }

  function lastValue(values) {
    for (let i = values.length - 1; i >= 0; i--) if (values[i] !== null) return values[i];
    return null;
  }

  function statusColor(code) {
    const c = Number(code);
    if (c >= 200 && c < 300) return c === 200 ? '#34d399' : '#6ee7b7';
    if (c === 429) return '#fbbf24';
    if (c >= 400 && c < 500) return '#fb923c';
    return '#f87171';
  }

  // ---- the chart ----

  /**
   * Draws series (one value per second, oldest first, null = nothing to show) into panel's .chart.
   * opts: { stacked, format, yMax (minimum top of the axis), ref (a dashed reference line) }
   */
  function chart(panel, series, points, opts) {
    const box = panel.querySelector('.chart');
    const width = Math.max(200, box.clientWidth);
    const height = Math.max(80, box.clientHeight);
    const m = { l: 46, r: 10, t: 8, b: 18 };
    const plotW = width - m.l - m.r;
    const plotH = height - m.t - m.b;
    const span = Math.max(60, points);
    const format = opts.format || compact;

    // Stack if asked: each series' values become cumulative tops.
    const drawn = series.map((s) => ({ ...s, tops: s.values.slice() }));
    if (opts.stacked) {
      for (let i = 1; i < drawn.length; i++) {
        drawn[i].tops = drawn[i].tops.map((v, k) => (v === null ? null : v + (drawn[i - 1].tops[k] || 0)));
      }
    }
    let max = 0;
    for (const s of drawn) for (const v of s.tops) if (v !== null && v > max) max = v;
    const wanted = Math.max(max, opts.yMax || 0, opts.integer ? 4 : 0) || 1;
    let step = niceStep(wanted / 4);
    if (opts.integer) step = Math.max(1, Math.round(step));
    const top = step * Math.ceil(wanted / step);
    const x = (k) => m.l + plotW * (1 - (points - 1 - k) / span);
    const y = (v) => m.t + plotH * (1 - v / top);

    const root = svg('svg', { viewBox: `0 0 ${width} ${height}`, role: 'img', 'aria-label': panel.querySelector('h2').textContent });
    for (let v = 0; v <= top + step / 2; v += step) {
      svg('line', { class: 'gridline', x1: m.l, x2: width - m.r, y1: y(v), y2: y(v) }, root);
      svg('text', { class: 'axis', x: m.l - 6, y: y(v) + 3, 'text-anchor': 'end' }, root).textContent = format(v);
    }
    // Time labels on round marks (every 15 s ... 5 min), at most five of them.
    const tick = [15, 30, 60, 120, 300].find((t) => span / t <= 4) || 300;
    for (let secondsAgo = 0; secondsAgo <= span; secondsAgo += tick) {
      const label = secondsAgo === 0 ? 'now' : secondsAgo < 60 ? `-${secondsAgo}s` : `-${+(secondsAgo / 60).toFixed(1)}m`;
      const at = m.l + plotW * (1 - secondsAgo / span);
      const anchor = secondsAgo === 0 ? 'end' : at - m.l < 16 ? 'start' : 'middle';
      svg('text', { class: 'axis', x: at, y: height - 4, 'text-anchor': anchor }, root).textContent = label;
    }
    if (opts.ref !== undefined && opts.ref <= top) {
      svg('line', { class: 'ref', x1: m.l, x2: width - m.r, y1: y(opts.ref), y2: y(opts.ref) }, root);
    }

    // Stacked areas are drawn top series first so lower ones stay visible.
    const order = opts.stacked ? drawn.slice().reverse() : drawn;
    for (const s of order) {
      let runs = [];
      let run = [];
      s.tops.forEach((v, k) => {
        if (v === null) {
          if (run.length) runs.push(run);
          run = [];
        } else {
          run.push([x(k), y(v)]);
        }
      });
      if (run.length) runs.push(run);
      for (const r of runs) {
        const line = r.map((p) => p[0].toFixed(1) + ',' + p[1].toFixed(1)).join(' ');
        if (opts.stacked || opts.fill) {
          const base = y(0).toFixed(1);
          svg('polygon', {
            points: `${r[0][0].toFixed(1)},${base} ${line} ${r[r.length - 1][0].toFixed(1)},${base}`,
            fill: s.color, 'fill-opacity': opts.stacked ? 0.55 : 0.12,
          }, root);
        }
        if (r.length === 1) {
          svg('circle', { cx: r[0][0], cy: r[0][1], r: 2, fill: s.color }, root);
        } else {
          svg('polyline', { points: line, fill: 'none', stroke: s.color, 'stroke-width': 1.6, 'stroke-linejoin': 'round' }, root);
        }
      }
    }
    if (series.length === 0 || max === 0) {
      svg('text', { class: 'empty', x: m.l + plotW / 2, y: m.t + plotH / 2, 'text-anchor': 'middle' }, root).textContent =
        points === 0 ? 'waiting for the first second…' : opts.empty || 'nothing yet';
    }
    box.replaceChildren(root);

    const legend = panel.querySelector('.legend');
    if (legend) {
      legend.replaceChildren(...series.map((s) => {
        const li = html('li');
        const swatch = html('span', 'swatch', null, li);
        swatch.style.background = s.color;
        html('span', null, s.name, li);
        html('b', null, format(lastValue(s.values)), li);
        return li;
      }));
    }

    let last = 0;
    let seriesMax = 0;
    for (const s of series) {
      last += lastValue(s.values) || 0;
      for (const v of s.values) if (v !== null && v > seriesMax) seriesMax = v;
    }
    panel.dataset.points = String(points);
    panel.dataset.last = String(last);
    panel.dataset.max = String(seriesMax);
  }

  // ---- panels ----

  function render(d) {
    document.getElementById('version').textContent = d.version;
    document.getElementById('uptime').textContent = duration(d.uptimeSeconds);
    const c = d.current;
    document.getElementById('kpi-rps').textContent = compact(c.requestsPerSecond);
    document.getElementById('kpi-tokens').textContent = compact(c.tokensLastMinute);
    document.getElementById('kpi-latency').textContent = millis(c.latencyMs.p95);
    document.getElementById('kpi-latency-hint').textContent = `p50 ${millis(c.latencyMs.p50)} · last min`;
    document.getElementById('kpi-ttft').textContent = millis(c.ttftMs.p95);
    document.getElementById('kpi-ttft-hint').textContent = `p50 ${millis(c.ttftMs.p50)} · streams · last min`;
    let all = 0;
    let ok = 0;
    for (const [code, n] of Object.entries(c.requestsByStatus)) {
      all += n;
      if (Number(code) >= 200 && Number(code) < 300) ok += n;
    }
    document.getElementById('status-codes').replaceChildren(...Object.entries(c.requestsByStatus).map(([code, n]) => {
      const chip = html('span', 'code');
      html('span', 'dot', null, chip).style.background = statusColor(code);
      html('b', null, code, chip);
      html('span', null, compact(n), chip);
      return chip;
    }));
    document.getElementById('kpi-success').textContent = all === 0 ? '–' : percent((100 * ok) / all);
    document.getElementById('kpi-rejections').textContent = compact(c.limitRejections);

    const byId = (id) => document.getElementById(id);
    chart(byId('panel-requests'),
      Object.entries(d.requests).map(([code, values]) => ({ name: code, color: statusColor(code), values })),
      d.points, { stacked: true, integer: true });
    const usedByTier = {};
    chart(byId('panel-tokens'),
      Object.entries(d.tokensPerMinute).map(([name, values], i) => {
        const tier = name.slice(name.lastIndexOf(' ') + 1);
        const n = (usedByTier[tier] = (usedByTier[tier] || 0) + 1) - 1;
        const shades = TIER_COLORS[tier];
        return { name: name.replace(/ (\S+)$/, ' · $1'), values, color: shades ? shades[n % shades.length] : PALETTE[i % PALETTE.length] };
      }),
      d.points, { fill: true });
    chart(byId('panel-ptu'),
      Object.entries(d.ptuUtilization).map(([name, values], i) => ({ name, values, color: PTU_COLORS[i % PTU_COLORS.length] })),
      d.points, { yMax: 100, ref: 100, format: (v) => (v === null ? '–' : Math.round(v) + '%') });
    for (const [panelId, key] of [['panel-latency', 'latencyMs'], ['panel-ttft', 'ttftMs']]) {
      chart(byId(panelId),
        ['p50', 'p95', 'p99'].map((p) => ({ name: p, values: d[key][p], color: PERCENTILE_COLORS[p] })),
        d.points, { format: axisMillis, empty: key === 'ttftMs' ? 'no streamed responses yet' : 'nothing yet' });
    }
    chart(byId('panel-rejections'), [{ name: 'rejections', values: d.limitRejections, color: '#f87171' }], d.points,
      { stacked: true, integer: true, empty: 'no request refused by a limit' });

    const rejections = byId('rejections-table');
    rejections.replaceChildren(...(d.rejections.length === 0
      ? [row([['none in the last 10 minutes', 'none']])]
      : d.rejections.map((r) => row([[r.consumer, 'id'], [r.limit, null], [compact(r.count), 'num']]))));

    if (d.cache) cache(byId('panel-cache'), d.cache, d.points);
    if (d.safety) safety(byId('panel-safety'), d.safety, d.points);

    backends(d.backends);
    stations(d.stations || []);
    budgets(d.paygBudgets || []);
    consumers(d.topConsumers);
  }

  const CLASSES = ['critical', 'standard', 'batch'];

  function budgets(list) {
    const body = document.getElementById('payg-budgets');
    if (list.length === 0) {
      body.replaceChildren(row([['no PAYG budget is configured', 'none']]));
      return;
    }
    body.replaceChildren(...list.map((b) => {
      const used = b.budget > 0 ? (100 * b.spent) / b.budget : 0;
      const tr = row([[`${b.kind} ${b.owner}`, 'id'], [b.period, null],
        [`${b.spent.toFixed(2)} of ${b.budget.toFixed(2)} ${b.currency}`, 'num']]);
      const meter = html('div', 'meter', null, html('td', null, null, tr));
      const fill = html('div', 'fill', null, html('div', 'track', null, meter));
      fill.style.width = Math.max(0, Math.min(100, used)) + '%';
      if (used >= 100) fill.classList.add('over');
      else if (used >= 85) fill.classList.add('hot');
      html('span', null, percent(used), meter);
      return tr;
    }));
  }

  function stations(list) {
    const body = document.getElementById('stations');
    if (list.length === 0) {
      body.replaceChildren(row([['no model has PTU backends', 'none']]));
      return;
    }
    const sum = (o) => Object.values(o).reduce((a, b) => a + b, 0);
    body.replaceChildren(...list.map((s) => {
      const reasons = Object.entries(s.spilled).filter(([, n]) => n > 0)
        .map(([reason, n]) => `${reason} ${compact(n)}`).join(' · ');
      return row([
        [s.model, 'id'],
        [CLASSES.map((c) => s.waiting[c]).join(' · '), null],
        [s.expectedWaitMs === null ? '–' : millis(s.expectedWaitMs), 'num'],
        [`${compact(s.drainTokensPerMinute)} / ${s.offeredTokensPerMinute === null ? '–' : compact(s.offeredTokensPerMinute)}`, 'num'],
        [compact(sum(s.queued)), 'num'],
        [reasons || 'none', reasons ? null : 'none'],
        [compact(sum(s.paygRefused)), 'num'],
      ]);
    }));
  }

  /** The cache panel: requests per second by what the cache did, and the window's hit ratios and savings. */
  function cache(panel, c, points) {
    chart(panel, [
      { name: 'exact hit', values: c.series.exact, color: CACHE_COLORS.exact },
      { name: 'semantic hit', values: c.series.semantic, color: CACHE_COLORS.semantic },
      { name: 'miss', values: c.series.miss, color: CACHE_COLORS.miss },
      { name: 'bypass', values: c.series.bypass, color: CACHE_COLORS.bypass },
    ], points, { stacked: true, integer: true, empty: 'no cacheable request yet' });
    const saved = c.savedPromptTokens + c.savedCompletionTokens;
    const rows = [
      row([['exact hits', null], [compact(c.counts.exact), 'num'], [percent(100 * c.exactHitRatio), 'num']]),
      row([['semantic hits', null], [compact(c.counts.semantic), 'num'], [percent(100 * c.semanticHitRatio), 'num']]),
      row([['tokens saved', null], [compact(saved), 'num'],
        [c.savedCost === undefined ? '' : `${c.savedCost.toFixed(2)} ${c.currency}`, 'num']]),
    ];
    const table = document.getElementById('cache-table');
    table.replaceChildren(...rows);
    table.dataset.exact = String(c.counts.exact);
    table.dataset.semantic = String(c.counts.semantic);
  }

  /** The safety panel: requests a guard blocked, masked or logged per second; categories; top flagged end users. */
  function safety(panel, s, points) {
    chart(panel, [
      { name: 'blocked', values: s.series.blocked, color: SAFETY_COLORS.blocked },
      { name: 'masked', values: s.series.masked, color: SAFETY_COLORS.masked },
      { name: 'logged', values: s.series.logged, color: SAFETY_COLORS.logged },
    ], points, { stacked: true, integer: true, empty: 'nothing flagged yet' });
    const categories = Object.entries(s.byCategory).map(([c, n]) => `${c} ${compact(n)}`).join(' · ');
    const rows = [row([['categories', null], [categories || 'none', categories ? null : 'none']])];
    for (const u of s.topUsers) {
      rows.push(row([[`${u.consumer} / ${u.user}`, 'id'], [u.score.toFixed(2), 'num'],
        [`${u.trend}${u.action === 'none' ? '' : ' · ' + u.action}`, null]]));
    }
    const table = document.getElementById('safety-table');
    table.replaceChildren(...rows);
    table.dataset.blocked = String(s.counts.blocked);
    table.dataset.users = String(s.topUsers.length);
  }

  function row(cells) {
    const tr = html('tr');
    for (const [text, cls] of cells) html('td', cls, text, tr);
    return tr;
  }

  function backends(list) {
    const body = document.getElementById('backends');
    body.replaceChildren(...list.map((b) => {
      const tr = html('tr');
      html('td', 'id', b.id, tr);
      html('td', null, b.model, tr);
      html('span', 'tier ' + b.tier, b.tier, html('td', null, null, tr));
      html('td', null, b.region || '–', tr);
      const state = html('td', null, null, tr);
      html('span', 'pill ' + b.state, b.label, state);
      html('td', 'num', String(b.inFlight), tr);
      html('td', 'num', compact(b.tokensLastMinute), tr);
      const util = html('td', null, null, tr);
      if (b.tier === 'ptu') {
        const meter = html('div', 'meter', null, util);
        const fill = html('div', 'fill', null, html('div', 'track', null, meter));
        const p = b.utilizationPercent;
        fill.style.width = Math.max(0, Math.min(100, p || 0)) + '%';
        if (p >= 100) fill.classList.add('over');
        else if (p >= 85) fill.classList.add('hot');
        html('span', null, percent(p), meter);
      } else {
        html('span', 'hint', b.remainingTokens !== undefined ? compact(b.remainingTokens) + ' tokens left' : '–', util);
      }
      return tr;
    }));
  }

  function consumers(list) {
    const ol = document.getElementById('consumers');
    if (list.length === 0) {
      ol.replaceChildren(html('li', 'none', 'no traffic from consumers yet'));
      return;
    }
    const max = Math.max(...list.map((c) => c.tokens), 1);
    ol.replaceChildren(...list.map((c) => {
      const li = html('li');
      const who = html('span', 'who', c.consumer, li);
      if (c.team) html('small', null, c.team, who);
      html('span', 'amount', `${compact(c.tokens)} tokens · ${compact(c.requests)} req`, li);
      html('div', 'fill', null, html('div', 'track', null, li)).style.width = (100 * c.tokens) / max + '%';
      return li;
    }));
  }

  // ---- polling ----

  function setStatus(state, text) {
    const s = document.getElementById('status');
    s.dataset.state = state;
    s.textContent = text;
  }

  async function poll() {
    try {
      const response = await fetch(STATS_URL, { cache: 'no-store', credentials: 'same-origin' });
      if (response.status === 401 || response.status === 403) {
        setStatus('error', 'not allowed (admin.metricsAccess)');
      } else if (!response.ok) {
        setStatus('error', 'error ' + response.status);
      } else {
        latest = await response.json();
        render(latest);
        setStatus('live', 'live');
      }
    } catch (e) {
      setStatus('error', 'disconnected');
    }
    setTimeout(poll, POLL_MS);
  }

  let resizeTimer = 0;
  window.addEventListener('resize', () => {
    clearTimeout(resizeTimer);
    resizeTimer = setTimeout(() => latest && render(latest), 100);
  });
  poll();
})();
