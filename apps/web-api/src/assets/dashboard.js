/* Tributary dashboard: node list, per-node charts (uPlot), time range, stream status. Plain browser JS. */
(function () {
  'use strict';

  const state = {
    nodes: [],
    streams: null,
    selected: null,
    charts: [], // { id, el, plot, updateEvery, lastFetch, visible }
    rangeSeconds: 300,
    custom: null, // { after, before } in unix seconds
    live: true,
    timer: null,
  };

  function $(id) { return document.getElementById(id); }
  function el(tag, attrs, children) {
    const e = document.createElement(tag);
    if (attrs) Object.keys(attrs).forEach(function (k) {
      if (k === 'text') e.textContent = attrs[k];
      else if (k === 'className') e.className = attrs[k];
      else e.setAttribute(k, attrs[k]);
    });
    (children || []).forEach(function (c) { if (c) e.appendChild(c); });
    return e;
  }
  function getJson(url) {
    return fetch(url, { cache: 'no-store' }).then(function (r) {
      if (!r.ok) return r.text().then(function (t) { throw new Error(r.status + ': ' + t); });
      return r.json();
    });
  }
  function hostPrefix(node) { return node.isParent ? '' : '/host/' + encodeURIComponent(node.guid); }
  function fmtBytes(n) {
    if (n == null) return '–';
    const u = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
    let i = 0;
    while (n >= 1024 && i < u.length - 1) { n /= 1024; i++; }
    return (i ? n.toFixed(1) : String(Math.round(n))) + ' ' + u[i];
  }
  function fmtNum(n, digits) { return n == null ? '–' : Number(n).toFixed(digits == null ? 1 : digits); }
  function fmtTime(ms) { return ms ? new Date(ms).toLocaleString() : '–'; }

  function selectedGuidFromUrl() {
    const m = /(?:^|&)node=([^&]+)/.exec(location.hash.slice(1));
    if (m) return decodeURIComponent(m[1]);
    // The dashboard served under /host/X/ opens that host, as Netdata's does.
    const p = /^\/host\/([^/]+)\//.exec(location.pathname);
    return p ? decodeURIComponent(p[1]) : null;
  }

  function loadNodes() {
    return Promise.all([
      getJson('/api/v1/info'),
      getJson('/api/v1/tributary/streams').catch(function () { return null; }),
    ]).then(function (r) {
      const info = r[0];
      state.streams = r[1];
      const byGuid = {};
      if (state.streams) state.streams.hosts.forEach(function (h) { byGuid[h.machine_guid] = h; });
      state.nodes = info.mirrored_hosts_status.map(function (h) {
        const s = byGuid[h.guid];
        return { guid: h.guid, hostname: h.hostname, isParent: h.hops === 0, online: s ? s.online : h.reachable, stream: s || null };
      });
      $('parent-name').textContent = state.nodes.length ? '— parent ' + state.nodes[0].hostname : '';
      renderNodeList();
    });
  }

  function renderNodeList() {
    const ul = $('node-list');
    ul.textContent = '';
    state.nodes.forEach(function (n) {
      const a = el('a', { href: '#node=' + encodeURIComponent(n.guid), title: n.guid }, [
        el('span', { className: 'dot ' + (n.online ? 'online' : 'offline'), title: n.online ? 'online' : 'offline' }),
        el('span', { className: 'node-name', text: n.hostname }),
        el('span', { className: 'node-role', text: n.isParent ? 'parent' : (n.online ? 'online' : 'offline') }),
      ]);
      const li = el('li', { 'data-node-guid': n.guid, 'data-hostname': n.hostname, 'data-online': String(n.online) }, [a]);
      if (state.selected && state.selected.guid === n.guid) li.className = 'selected';
      ul.appendChild(li);
    });
  }

  function renderStreamStatus(node) {
    const box = $('stream-status');
    box.textContent = '';
    const s = node.stream;
    if (!s) { box.appendChild(el('div', { className: 'error', text: 'No stream status (stream-ingest unreachable?)' })); return; }
    const items = node.isParent ? [
      ['role', 'this parent'],
      ['children online', state.streams ? String(state.streams.totals.online) : '–'],
      ['samples/s (all)', state.streams ? fmtNum(state.streams.totals.samples_per_second) : '–'],
      ['received/s (all)', state.streams ? fmtBytes(state.streams.totals.bytes_per_second) + '/s' : '–'],
      ['buffered (all)', state.streams ? fmtBytes(state.streams.totals.buffered_bytes) : '–'],
    ] : [
      ['status', s.online ? 'online' : 'offline'],
      [s.online ? 'connected since' : 'offline since', fmtTime(s.since_ms)],
      ['peer', s.peer || '–'],
      ['hops', String(s.hops)],
      ['protocol', s.protocol_version == null ? '–' : String(s.protocol_version)],
      ['capabilities', (s.capabilities || []).join(' ') || '–'],
      ['compression', s.compression == null ? '–' : s.compression ? 'lz4, ratio ' + fmtNum(s.compression_ratio, 2) : 'off'],
      ['samples/s', fmtNum(s.samples_per_second)],
      ['received/s', fmtBytes(s.bytes_per_second) + '/s'],
      ['buffered', fmtBytes(s.buffered_bytes)],
      ['charts / dims', s.charts + ' / ' + s.dimensions],
      ['last error', s.last_error || '–'],
    ];
    const grid = el('div', { className: 'status-grid', 'data-stream-status': node.guid });
    items.forEach(function (it) { grid.appendChild(el('div', null, [el('span', { text: it[0] }), document.createTextNode(it[1])])); });
    box.appendChild(grid);
  }

  function destroyCharts() {
    state.charts.forEach(function (c) { if (c.plot) c.plot.destroy(); });
    state.charts = [];
    if (observer) observer.disconnect();
  }

  const observer = 'IntersectionObserver' in window ? new IntersectionObserver(function (entries) {
    entries.forEach(function (e) {
      const c = state.charts.find(function (x) { return x.el === e.target; });
      if (!c) return;
      c.visible = e.isIntersecting;
      if (c.visible && !c.lastFetch) refreshChart(c);
    });
  }, { rootMargin: '200px' }) : null;

  function openNode(guid) {
    const node = state.nodes.find(function (n) { return n.guid === guid || n.hostname === guid; }) || state.nodes[0];
    if (!node) return;
    state.selected = node;
    renderNodeList();
    destroyCharts();
    $('node-header').textContent = '';
    $('node-header').appendChild(el('h2', { text: node.hostname, 'data-node-view': node.guid }));
    renderStreamStatus(node);
    const fam = $('families');
    fam.textContent = 'loading charts…';
    getJson(hostPrefix(node) + '/api/v1/charts').then(function (doc) {
      if (state.selected !== node) return;
      fam.textContent = '';
      const list = Object.keys(doc.charts).map(function (k) { return doc.charts[k]; });
      if (!list.length) { fam.appendChild(el('div', { className: 'empty', text: 'This node has no charts.' })); return; }
      list.sort(function (a, b) { return a.priority - b.priority || (a.id < b.id ? -1 : 1); });
      const groups = [];
      const byFamily = {};
      list.forEach(function (c) {
        const key = c.type + ' / ' + (c.family || c.type);
        if (!byFamily[key]) { byFamily[key] = []; groups.push(key); }
        byFamily[key].push(c);
      });
      groups.forEach(function (key, i) {
        const details = el('details', { className: 'family', 'data-family': key });
        if (i < 4) details.open = true;
        details.appendChild(el('summary', { text: key + ' (' + byFamily[key].length + ')' }));
        const box = el('div', { className: 'charts' });
        details.appendChild(box);
        byFamily[key].forEach(function (c) { box.appendChild(makeChart(node, c)); });
        details.addEventListener('toggle', function () {
          state.charts.forEach(function (c) { if (details.contains(c.el) && details.open && !c.lastFetch) refreshChart(c); });
        });
        fam.appendChild(details);
      });
    }).catch(function (e) { fam.textContent = ''; fam.appendChild(el('div', { className: 'error', text: 'charts: ' + e.message })); });
  }

  function makeChart(node, chart) {
    const box = el('div', { className: 'chart', 'data-chart-id': chart.id }, [
      el('h3', { text: chart.title + ' ' }, [el('span', { className: 'units', text: '[' + chart.units + ']' })]),
    ]);
    const c = { id: chart.id, node: node, chart: chart, el: box, plot: null, lastFetch: 0, visible: !observer, busy: false };
    state.charts.push(c);
    if (observer) observer.observe(box);
    return box;
  }

  function queryWindow() {
    if (state.custom) return { after: state.custom.after, before: state.custom.before };
    return { after: -state.rangeSeconds, before: 0 };
  }

  function refreshChart(c) {
    if (c.busy) return;
    const details = c.el.closest('details');
    if (details && !details.open) return;
    c.busy = true;
    c.lastFetch = Date.now();
    const w = queryWindow();
    const width = Math.max(200, c.el.clientWidth || 460);
    const url = hostPrefix(c.node) + '/api/v1/data?chart=' + encodeURIComponent(c.id) + '&after=' + w.after + '&before=' + w.before +
      '&points=' + Math.min(Math.floor(width / 2), 600) + '&group=average&format=json&options=flip,seconds';
    getJson(url).then(function (d) { draw(c, d); }).catch(function (e) {
      c.el.setAttribute('data-error', e.message);
    }).then(function () { c.busy = false; });
  }

  function chartWidth(c) { return Math.max(200, Math.floor(c.el.getBoundingClientRect().width) || 460); }

  window.addEventListener('resize', function () {
    state.charts.forEach(function (c) { if (c.plot) c.plot.setSize({ width: chartWidth(c), height: 200 }); });
  });

  const PALETTE = ['#3366cc', '#dc3912', '#ff9900', '#109618', '#990099', '#0099c6', '#dd4477', '#66aa00', '#b82e2e', '#316395', '#994499', '#22aa99'];

  function draw(c, d) {
    const times = [];
    const series = d.labels.slice(1).map(function () { return []; });
    let points = 0;
    d.data.forEach(function (row) {
      times.push(row[0]);
      for (let i = 1; i < row.length; i++) {
        series[i - 1].push(row[i]);
        if (row[i] !== null) points++;
      }
    });
    const data = [times].concat(series);
    c.el.setAttribute('data-points', String(points));
    const empty = c.el.querySelector('.empty');
    if (!times.length) {
      if (!empty) c.el.appendChild(el('div', { className: 'empty', text: 'no data in this time range' }));
      return;
    }
    if (empty) empty.remove();
    const width = chartWidth(c);
    const stacked = c.chart.chart_type === 'stacked';
    // Stacked charts draw running sums (as Netdata's dashboard) while the legend keeps showing each raw value.
    c.raw = data;
    const drawn = stacked ? stack(data) : data;
    if (c.plot && c.plot.series.length === data.length) {
      c.plot.setData(drawn);
      return;
    }
    if (c.plot) c.plot.destroy();
    const filled = stacked || c.chart.chart_type === 'area';
    const bands = [];
    if (stacked) for (let i = 2; i < data.length; i++) bands.push({ series: [i, i - 1] });
    c.plot = new uPlot({
      width: width,
      height: 200,
      series: [{}].concat(d.labels.slice(1).map(function (name, i) {
        const color = PALETTE[i % PALETTE.length];
        return {
          label: name,
          stroke: color,
          width: 1,
          fill: filled ? color + (stacked ? '66' : '22') : undefined,
          spanGaps: false,
          value: function (u, v, si, idx) {
            const raw = idx == null ? null : c.raw[si][idx];
            return raw == null ? '--' : Number(raw.toFixed(3)).toString();
          },
        };
      })),
      bands: bands,
      // Filled charts read as amounts: keep zero on the axis.
      scales: filled ? { y: { range: function (u, min, max) { return [Math.min(0, min), max > 0 ? max : 1]; } } } : {},
      axes: [{}, { size: 60 }],
      legend: { live: true },
    }, drawn, c.el);
  }

  function stack(data) {
    const out = [data[0]];
    const acc = data[0].map(function () { return 0; });
    for (let i = 1; i < data.length; i++) {
      out.push(data[i].map(function (v, j) { return v == null ? null : (acc[j] += v); }));
    }
    return out;
  }

  function tick() {
    if (!state.live || state.custom) return;
    const now = Date.now();
    state.charts.forEach(function (c) {
      const every = (c.chart.update_every || 1) * 1000;
      if (c.visible && now - c.lastFetch >= Math.max(every, 1000)) refreshChart(c);
    });
  }

  function refreshAll() { state.charts.forEach(function (c) { c.lastFetch = 0; if (c.visible) refreshChart(c); }); }

  function refreshStatus() {
    loadNodes().then(function () {
      if (!state.selected) return;
      const fresh = state.nodes.find(function (n) { return n.guid === state.selected.guid; });
      if (fresh) { state.selected.online = fresh.online; state.selected.stream = fresh.stream; renderStreamStatus(state.selected); }
      $('status-line').textContent = 'updated ' + new Date().toLocaleTimeString();
    }).catch(function (e) { $('status-line').textContent = 'error: ' + e.message; });
  }

  function toLocalInput(d) {
    const p = function (n) { return String(n).padStart(2, '0'); };
    return d.getFullYear() + '-' + p(d.getMonth() + 1) + '-' + p(d.getDate()) + 'T' + p(d.getHours()) + ':' + p(d.getMinutes()) + ':' + p(d.getSeconds());
  }

  function init() {
    $('range').addEventListener('change', function (e) {
      const v = e.target.value;
      if (v === 'custom') {
        $('custom-range').hidden = false;
        const now = new Date();
        $('range-to').value = toLocalInput(now);
        $('range-from').value = toLocalInput(new Date(now.getTime() - state.rangeSeconds * 1000));
        return;
      }
      $('custom-range').hidden = true;
      state.custom = null;
      state.rangeSeconds = Number(v);
      refreshAll();
    });
    $('range-apply').addEventListener('click', function () {
      const from = new Date($('range-from').value).getTime() / 1000;
      const to = new Date($('range-to').value).getTime() / 1000;
      if (!(from < to)) { $('status-line').textContent = 'invalid range: "from" must be before "to"'; return; }
      state.custom = { after: Math.floor(from), before: Math.floor(to) };
      refreshAll();
    });
    $('live').addEventListener('change', function (e) { state.live = e.target.checked; });
    window.addEventListener('hashchange', function () { openNode(selectedGuidFromUrl()); });
    loadNodes().then(function () { openNode(selectedGuidFromUrl()); }).catch(function (e) {
      $('families').appendChild(el('div', { className: 'error', text: 'cannot load nodes: ' + e.message }));
    });
    state.timer = setInterval(tick, 500);
    setInterval(refreshStatus, 5000);
  }

  init();
})();
