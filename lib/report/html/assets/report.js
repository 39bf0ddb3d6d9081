
(function () {
  'use strict';
  var PAGE = 100;
  var SVGNS = 'http://www.w3.org/2000/svg';
  function $(id) { return document.getElementById(id); }
  // Elements with text only: children are nodes or strings (strings become text nodes).
  function el(tag, cls, kids) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    (kids || []).forEach(function (k) { if (k !== null && k !== undefined) e.append(k); });
    return e;
  }
  function sv(tag, attrs, text) {
    var e = document.createElementNS(SVGNS, tag);
    Object.keys(attrs || {}).forEach(function (k) { e.setAttribute(k, attrs[k]); });
    if (text !== undefined) e.textContent = text;
    return e;
  }
  function clear(node) { while (node.firstChild) node.removeChild(node.firstChild); }
  function party(display, uri) { return display ? '"' + display + '" <' + uri + '>' : (uri || '?'); }
  function statusText(c) { return c.status ? String(c.status) : '\u2014'; }

  var INDEX = JSON.parse($('ft-index').textContent);
  var CALLS = INDEX.calls;
  // A report of several cases shows each call's case.
  var MANY_CASES = CALLS.some(function (c) { return c.case !== CALLS[0].case; });
  var cache = {};
  function callData(i) {
    var node = $('ft-call-' + i);
    if (!node) return null;  // a call that worked, left out without `report --full`
    if (!cache[i]) cache[i] = JSON.parse(node.textContent);
    return cache[i];
  }

  // ---- summary ----
  function stat(n, label, bad) {
    return el('div', 'card stat' + (bad ? ' bad' : ''), [el('b', null, [String(n)]), el('span', null, [label])]);
  }
  function renderSummary() {
    var s = INDEX.summary, box = $('summary');
    $('title').textContent = INDEX.title;
    $('meta').textContent = (INDEX.case ? 'case ' + INDEX.case + ' \u00b7 ' : '') + 'fedtriage ' + INDEX.version;
    box.append(stat(s.inputs, 'inputs read'), stat(s.skippedInputs, 'skipped', s.skippedInputs > 0),
      stat(s.inputsWithProblems, 'with problems', s.inputsWithProblems > 0), stat(s.events, 'events'),
      stat(s.calls, 'calls'), stat(s.failedCalls, 'failed calls', s.failedCalls > 0), stat(s.findings, 'findings'));
    var rules = el('table');
    INDEX.byRule.forEach(function (r) {
      var name = el('span', 'linkish', [r.id]);
      name.title = r.title;
      name.addEventListener('click', function () { $('f-rule').value = r.id; applyFilters(); });
      rules.append(el('tr', null, [el('td', 'n', [String(r.n)]), el('td', null, [name]), el('td', 'muted', [r.title])]));
    });
    box.append(el('div', 'card', [el('h3', null, ['Findings by rule']), INDEX.byRule.length ? rules : el('span', 'muted', ['none'])]));
    if (INDEX.todo && INDEX.todo.length) {
      var todo = el('ol');
      INDEX.todo.forEach(function (t) {
        todo.append(el('li', null, ['[' + t.kind + '] ' + t.action + ' ',
          el('span', 'muted', ['(' + t.calls.length + (t.calls.length === 1 ? ' call' : ' calls') + (t.case ? ', case ' + t.case : '') + ')'])]));
      });
      box.append(el('div', 'card', [el('h3', null, ['To do']), todo]));
    }
    var doms = el('table');
    INDEX.domains.slice(0, 8).forEach(function (d) {
      var name = el('span', 'linkish', [d.name]);
      name.addEventListener('click', function () { $('f-domain').value = d.name; applyFilters(); });
      doms.append(el('tr', null, [el('td', 'n', [String(d.n)]), el('td', null, [name])]));
    });
    box.append(el('div', 'card', [el('h3', null, ['Top affected domains / FQDNs']), INDEX.domains.length ? doms : el('span', 'muted', ['none'])]));
    if (INDEX.inputs) {
      var ins = el('table');
      INDEX.inputs.forEach(function (inp) {
        var problems = inp.problems.map(function (p) { return p.severity + (p.line ? ' line ' + p.line : '') + ': ' + p.message; });
        if (inp.skipped) problems.unshift('skipped: ' + inp.skipReason);
        ins.append(el('tr', null, [el('td', 'mono', [inp.name]), el('td', 'muted', [inp.format]),
          el('td', 'n', [inp.events + ' events']), el('td', problems.length ? 'status fail' : 'muted', [problems.join('; ') || 'ok'])]));
      });
      box.append(el('div', 'card', [el('h3', null, ['Inputs']), ins]));
    }
    var rsel = $('f-rule');
    INDEX.byRule.forEach(function (r) { var o = el('option', null, [r.id]); o.value = r.id; rsel.append(o); });
    var nosel = el('option', null, ['no finding']); nosel.value = '-'; rsel.append(nosel);
    var dsel = $('f-domain');
    var all = {};
    CALLS.forEach(function (c) { c.domains.forEach(function (d) { all[d] = 1; }); });
    Object.keys(all).sort().forEach(function (d) { var o = el('option', null, [d]); o.value = d; dsel.append(o); });
  }

  // ---- call list: filter, sort, page ----
  var state = { sort: 't', dir: 1, page: 0, rows: CALLS, open: -1 };
  if (MANY_CASES) {
    var caseCol = document.createElement('col');
    caseCol.style.width = '84px';
    document.querySelector('#calls colgroup').append(caseCol);
    var caseHead = el('th', null, ['case']);
    caseHead.setAttribute('data-sort', 'case');
    document.querySelector('#calls thead tr').append(caseHead);
  }
  function sortKey(c, k) {
    if (k === 'status') return c.status || 0;
    if (k === 'from') return (c.fromDisplay || c.from || '').toLowerCase();
    if (k === 'to') return (c.to || '').toLowerCase();
    if (k === 'rule') return c.rules.join(',');
    if (k === 'method') return c.method || '';
    if (k === 'case') return c.case || '';
    return c.t;
  }
  function applyFilters() {
    var text = $('f-text').value.trim().toLowerCase();
    var status = $('f-status').value, rule = $('f-rule').value, domain = $('f-domain').value;
    var rows = CALLS.filter(function (c) {
      if (status === 'failed' && !c.failed) return false;
      if (status === 'ok' && c.failed) return false;
      if (rule === '-' && c.rules.length) return false;
      if (rule && rule !== '-' && c.rules.indexOf(rule) < 0) return false;
      if (domain && c.domains.indexOf(domain) < 0) return false;
      if (text) {
        var hay = (c.id + ' ' + c.from + ' ' + c.fromDisplay + ' ' + c.to + ' ' + c.domains.join(' ') + ' ' + c.rules.join(' ')).toLowerCase();
        if (hay.indexOf(text) < 0) return false;
      }
      return true;
    });
    var k = state.sort, d = state.dir;
    rows.sort(function (a, b) {
      var x = sortKey(a, k), y = sortKey(b, k);
      return x < y ? -d : x > y ? d : a.i - b.i;
    });
    state.rows = rows;
    state.page = 0;
    renderList();
  }
  function renderList() {
    var body = document.querySelector('#calls tbody');
    clear(body);
    var pages = Math.max(1, Math.ceil(state.rows.length / PAGE));
    if (state.page >= pages) state.page = pages - 1;
    state.rows.slice(state.page * PAGE, (state.page + 1) * PAGE).forEach(function (c) {
      var st = el('td', 'status ' + (c.failed ? 'fail' : c.status ? 'ok' : 'none'), [statusText(c)]);
      st.title = c.reason || '';
      var from = el('td', 'from', [party(c.fromDisplay, c.from)]);
      from.title = party(c.fromDisplay, c.from);
      var to = el('td', null, [c.to || '?']);
      to.title = (c.to || '') + (c.domains.length ? '  [' + c.domains.join(', ') + ']' : '');
      var cells = [el('td', 'mono', [c.t.slice(0, 16).replace('T', ' ')]), el('td', null, [c.method || '?']), st, from, to,
        el('td', null, [c.rules.join(', ')])];
      if (MANY_CASES) { var cs = el('td', null, [c.case]); cs.title = c.case; cells.push(cs); }
      var tr = el('tr', c.i === state.open ? 'open' : null, cells);
      tr.setAttribute('data-i', String(c.i));
      tr.title = c.id + '  ' + c.t;
      tr.addEventListener('click', function () { openCall(c.i); });
      body.append(tr);
    });
    $('calls-count').textContent = state.rows.length + ' of ' + CALLS.length;
    $('page').textContent = 'page ' + (state.page + 1) + ' of ' + pages;
    $('prev').disabled = state.page === 0;
    $('next').disabled = state.page + 1 >= pages;
    document.querySelectorAll('#calls th').forEach(function (th) {
      if (th.getAttribute('data-sort') === state.sort) th.setAttribute('data-dir', String(state.dir));
      else th.removeAttribute('data-dir');
    });
  }

  // ---- one call ----
  function splitLabel(label) {
    if (label.length <= 22) return ['', label];
    var sp = label.lastIndexOf(' ');
    return sp < 0 ? ['', label] : [label.slice(0, sp), label.slice(sp + 1)];
  }
  function cut(s, n) { return s.length > n ? s.slice(0, n - 1) + '\u2026' : s; }

  function renderLadder(call, onArrow) {
    var COLW = 190, GUT = 96, HEAD = 48, ROW = 30, DIAG = 15;
    var ncol = Math.max(1, call.columns.length);
    var x = function (c) { return GUT + COLW / 2 + c * COLW; };
    var rows = [], y = HEAD + 22;
    call.steps.forEach(function (s) {
      var h = ROW;
      if (s[0] === 'a') h += DIAG * call.arrows[s[1]].diag.length;
      rows.push({ step: s, y: y });
      y += h;
    });
    // Labels reserve their space: notes and ms-diagnostics go right of their column (never over
    // the time column), and the picture is as wide as its longest text (the panel scrolls).
    var CH = 6.8, NOTE = 70, DIAGLEN = 80, right = GUT + ncol * COLW + 10;
    call.steps.forEach(function (s) {
      if (s[0] === 'n') {
        var nt = call.notes[s[1]];
        right = Math.max(right, x(nt.col) + 8 + CH * Math.min(NOTE, (nt.kind + ': ' + nt.text).length) + 10);
      } else {
        var ar = call.arrows[s[1]];
        ar.diag.forEach(function (dg) {
          right = Math.max(right, Math.min(x(ar.from), x(ar.to)) + 6 + CH * Math.min(DIAGLEN, ('ms-diagnostics: ' + dg).length) + 10);
        });
      }
    });
    var height = y + 10, width = Math.ceil(right);
    var svg = sv('svg', { 'class': 'ladder', width: width, height: height, viewBox: '0 0 ' + width + ' ' + height, role: 'img' });
    svg.append(sv('title', {}, 'SIP ladder of ' + call.id));
    var defs = sv('defs');
    [['ah', '#1d2330'], ['ah-fail', '#c62828']].forEach(function (m) {
      var mk = sv('marker', { id: m[0], viewBox: '0 0 10 10', refX: '10', refY: '5', markerWidth: '9', markerHeight: '9', markerUnits: 'userSpaceOnUse', orient: 'auto-start-reverse' });
      mk.append(sv('path', { d: 'M0,0 L10,5 L0,10 z', fill: m[1] }));
      defs.append(mk);
    });
    svg.append(defs);
    call.columns.forEach(function (col, c) {
      var g = sv('g', { 'class': 'ladder-col', 'data-col': String(c) });
      var parts = splitLabel(col.label);
      g.append(sv('title', {}, col.label + (col.aliases.length ? '\n' + col.aliases.join(', ') : '') + (col.logged ? '\n(log read from this host)' : '')));
      g.append(sv('text', { 'class': 'col-sub', x: x(c), y: 18, 'text-anchor': 'middle' }, cut(parts[0], 28)));
      g.append(sv('text', { 'class': 'col-head', x: x(c), y: 34, 'text-anchor': 'middle' }, cut(parts[1], 28)));
      g.append(sv('line', { 'class': 'life', x1: x(c), y1: HEAD - 6, x2: x(c), y2: height - 4 }));
      svg.append(g);
    });
    var n = 0;
    rows.forEach(function (r) {
      var s = r.step;
      if (s[0] === 'n') {
        var note = call.notes[s[1]];
        var g = sv('g', { 'class': 'note-row' });
        g.append(sv('text', { 'class': 'time', x: 4, y: r.y + 4 }, note.t));
        g.append(sv('circle', { 'class': 'note-dot' + (note.error ? ' err' : ''), cx: x(note.col), cy: r.y, r: 4 }));
        var t = sv('text', { 'class': 'note' + (note.error ? ' err' : ''), x: x(note.col) + 8, y: r.y + 4 },
          cut(note.kind + ': ' + note.text, NOTE));
        t.append(sv('title', {}, note.text));
        g.append(t);
        svg.append(g);
        return;
      }
      var a = call.arrows[s[1]], idx = s[1];
      n += 1;
      var x1 = x(a.from), x2 = x(a.to);
      var g2 = sv('g', { 'class': 'arrow' + (a.failing ? ' fail' : ''), 'data-arrow': String(idx), tabindex: '0' });
      g2.append(sv('title', {}, a.label + ' \u2014 ' + call.columns[a.from].label + ' \u2192 ' + call.columns[a.to].label + ' (click for the message)'));
      g2.append(sv('text', { 'class': 'time', x: 4, y: r.y + 4 }, a.t + ' ' + (n < 10 ? ' ' : '') + n));
      var lbl = (a.failing ? '\u2716 ' : '') + a.label + (a.ev.length > 1 ? '  \u00d7' + a.ev.length : '');
      if (x1 === x2) {
        var d = 'M' + x1 + ',' + (r.y - 6) + ' h28 v12 h-26';
        g2.append(sv('path', { 'class': 'hit', d: d, fill: 'none' }));
        g2.append(sv('path', { d: d, fill: 'none', stroke: a.failing ? '#c62828' : '#1d2330', 'marker-end': 'url(#' + (a.failing ? 'ah-fail' : 'ah') + ')' }));
        g2.append(sv('text', { 'class': 'lbl', x: x1 + 34, y: r.y + 4 }, cut(lbl, 40)));
      } else {
        var dir = x2 > x1 ? 1 : -1;
        g2.append(sv('line', { 'class': 'hit', x1: x1, y1: r.y, x2: x2, y2: r.y }));
        g2.append(sv('line', { 'class': 'shaft', x1: x1, y1: r.y, x2: x2 - dir * 2, y2: r.y, 'marker-end': 'url(#' + (a.failing ? 'ah-fail' : 'ah') + ')' }));
        var room = Math.floor(Math.abs(x2 - x1) / 7.3);
        g2.append(sv('text', { 'class': 'lbl', x: (x1 + x2) / 2, y: r.y - 5, 'text-anchor': 'middle' }, cut(lbl, room)));
      }
      a.diag.forEach(function (dg, k) {
        g2.append(sv('text', { 'class': 'diag', x: Math.min(x1, x2) + 6, y: r.y + 14 + k * DIAG },
          cut('ms-diagnostics: ' + dg, DIAGLEN)));
      });
      g2.addEventListener('click', function () { onArrow(idx, g2); });
      g2.addEventListener('keydown', function (ev) { if (ev.key === 'Enter' || ev.key === ' ') onArrow(idx, g2); });
      svg.append(g2);
    });
    return svg;
  }

  function showRaw(call, idx, panel) {
    var a = call.arrows[idx];
    clear(panel);
    panel.append(el('h3', null, ['Message: ' + a.label + ' (' + call.columns[a.from].label + ' \u2192 ' + call.columns[a.to].label + ')']));
    if (a.diag.length) panel.append(el('div', 'status fail', ['ms-diagnostics: ' + a.diag.join(' | ')]));
    a.ev.forEach(function (i) {
      var e = call.events[i];
      var verb = e.dir === 'out' ? 'sent by ' : e.dir === 'in' ? 'received by ' : 'seen by ';
      var where = el('div', 'origin mono', [e.file + ':' + e.line]);
      where.className = 'origin mono';
      panel.append(el('div', 'sighting', [
        el('div', null, [el('b', null, [verb + e.host]), ' at ' + e.t + (e.basis !== 'utc' ? ' (' + e.basis + ')' : '') +
          (e.remote ? (e.dir === 'in' ? ' from ' : ' to ') + e.remote : '')]),
        where,
        el('pre', 'raw', [e.raw || e.summary])]));
    });
  }

  function renderFindings(call, box) {
    if (!call.findings.length) {
      box.append(el('p', 'muted', [call.failed ? 'No rule explains this failure.' : 'No finding.']));
      return;
    }
    call.findings.forEach(function (f) {
      var ev = el('ul');
      f.evidence.forEach(function (e) { ev.append(el('li', null, [el('code', null, [e.file + ':' + e.line]), ' ' + e.text])); });
      box.append(el('div', 'finding ' + f.severity, [
        el('div', null, [el('span', 'sev', [f.severity.toUpperCase()]), el('b', null, [f.rule]), ': ' + f.title]),
        el('p', null, [el('b', null, ['Root cause: ']), f.rootCause]),
        el('p', null, [el('b', null, ['Fix: ']), f.fix]),
        el('div', null, [el('b', null, ['Evidence'])]), ev]));
    });
  }

  // The other legs of the call's conversation (Call-IDs a B2BUA tied together), each opening
  // its own call, and the keys that tie them.
  function renderConversation(call, box) {
    var cv = call.conversation;
    if (!cv || cv.legs.length < 2) return;
    box.append(el('h3', null, ['Conversation ', el('span', 'mono', [cv.id]),
      el('span', 'muted', [' (' + cv.legs.length + ' legs tied across Call-IDs)'])]));
    var legs = el('ul');
    cv.legs.forEach(function (id, k) {
      var row = CALLS.filter(function (x) { return x.id === id && x.case === call.case; })[0];
      var label = '[' + (k + 1) + '] ' + id, item;
      if (id === call.id) {
        item = el('b', 'mono', [label + ' (this call)']);
      } else if (row) {
        item = el('a', 'mono', [label]);
        item.href = '#call=' + encodeURIComponent(id);
        item.addEventListener('click', function (ev) { ev.preventDefault(); openCall(row.i); });
      } else {
        item = el('span', 'mono', [label]);
      }
      legs.append(el('li', null, [item, row ? '  ' + (row.status ? row.status + ' ' + row.reason : 'no final response seen') : null]));
    });
    box.append(legs);
    if (!cv.links.length) return;
    var links = el('ul');
    cv.links.forEach(function (l) {
      links.append(el('li', null, [el('span', 'mono', [l.a + ' \u2194 ' + l.b]), '  ' + l.key + ' ', el('code', null, [l.value])]));
    });
    box.append(el('div', null, [el('b', null, ['Tied by'])]), links);
  }

  function openCall(i) {
    state.open = i;
    document.querySelectorAll('#calls tbody tr').forEach(function (tr) {
      tr.classList.toggle('open', tr.getAttribute('data-i') === String(i));
    });
    var call = callData(i), box = $('call-detail');
    clear(box);
    if (!call) {
      var row = CALLS.filter(function (c) { return String(c.i) === String(i); })[0] || {};
      box.append(el('h2', 'mono', ['Call ' + (row.id || '')]),
        el('p', 'muted', ['This call worked and has no finding: its ladder and messages are not embedded in this report. ' +
          'See it with `fedtriage show ' + (row.id || 'CALL-ID') + '`, or write the report with `fedtriage report --full`.']));
      return;
    }
    box.append(el('h2', 'mono', ['Call ' + call.id]));
    var st = call.status ? call.status + ' ' + call.reason : 'no final response seen';
    [['From', party(call.fromDisplay, call.from), 'f-from'], ['To', call.to || '?', null],
     ['Request', (call.method + ' ' + call.requestUri).trim(), null], ['Time', call.first + ' \u2013 ' + call.last, null],
     ['Status', st + (call.failed ? '  FAILED' : call.outcome === 'normal' ? '  (ended as designed)' : ''), call.failed ? 'status fail' : null],
     ['Seen by', call.sources.join(', ') + (call.case ? '   (case ' + call.case + ')' : ''), null]].forEach(function (p) {
      var v = el('span', p[2] === 'f-from' ? 'v from' : p[2], [p[1]]);
      box.append(el('div', 'party', [el('span', 'k', [p[0]]), v]));
    });
    renderConversation(call, box);
    // What went wrong and what to change first: the ladder is the evidence below.
    box.append(el('h3', null, ['Findings']));
    renderFindings(call, box);
    box.append(el('h3', null, ['SIP ladder ', el('span', 'muted', ['(' + call.columns.length + ' hosts, ' + call.arrows.length + ' messages; click an arrow for the message)'])]));
    var panel = el('div');
    panel.id = 'raw-panel';
    var wrap = el('div', 'ladder-wrap', []);
    var svg = renderLadder(call, function (idx, g) {
      svg.querySelectorAll('.arrow.sel').forEach(function (s) { s.classList.remove('sel'); });
      g.classList.add('sel');
      showRaw(call, idx, panel);
    });
    wrap.append(svg);
    box.append(wrap, panel);
    box.append(el('h3', null, ['Other events']));
    if (!call.notes.length) box.append(el('p', 'muted', ['none']));
    else {
      var tl = el('table', 'timeline');
      call.notes.forEach(function (n) {
        var e = call.events[n.ev];
        tl.append(el('tr', null, [el('td', 'mono', [n.t]), el('td', null, [call.columns[n.col].label]), el('td', null, [n.kind]),
          el('td', n.error ? 'err' : null, [n.text, e.link ? el('div', 'muted', ['tied to the call: ' + e.link]) : null]),
          el('td', 'mono muted', [e.file + ':' + e.line])]));
      });
      box.append(tl);
    }
  }

  // ---- self test: #selftest=<call-id> (used by the browser test) ----
  function selftest(callId) {
    var out = [], fails = 0;
    function check(name, ok, detail) {
      out.push((ok ? 'PASS ' : 'FAIL ') + name + (detail ? ': ' + detail : ''));
      if (!ok) fails += 1;
    }
    try {
      var hostile = CALLS.filter(function (c) { return (c.fromDisplay || '').indexOf('<') >= 0; })[0];
      check('hostile call present', !!hostile);
      if (hostile) {
        openCall(hostile.i);
        var fromEl = document.querySelector('#call-detail .from');
        check('hostile display name shown as text', !!fromEl && fromEl.textContent.indexOf(hostile.fromDisplay) >= 0 &&
          fromEl.textContent.indexOf('<img') >= 0, fromEl ? fromEl.textContent : 'no element');
        $('f-text').value = hostile.id;
        applyFilters();
        var row = document.querySelector('#calls tbody tr');
        check('hostile name in list as text', !!row && row.textContent.indexOf('<img') >= 0);
        $('f-text').value = '';
        applyFilters();
      }
      check('no injected element', document.querySelectorAll('img, #call-detail script, #calls script').length === 0);
      check('injected script did not run', window.__ftInjected === undefined, String(window.__ftInjected));

      var failed = CALLS.filter(function (c) { return c.failed; }).length;
      $('f-status').value = 'failed';
      $('f-status').dispatchEvent(new Event('change'));
      var shown = document.querySelectorAll('#calls tbody tr').length;
      check('status filter', shown === Math.min(PAGE, failed) && failed > 0, shown + ' rows, ' + failed + ' failed calls');
      $('f-status').value = 'all';
      $('f-status').dispatchEvent(new Event('change'));
      check('filter cleared', document.querySelectorAll('#calls tbody tr').length === Math.min(PAGE, CALLS.length));

      var target = CALLS.filter(function (c) { return c.id === callId; })[0];
      check('call ' + callId + ' listed', !!target);
      if (target) {
        openCall(target.i);
        var data = callData(target.i);
        var cols = document.querySelectorAll('#call-detail svg.ladder .ladder-col').length;
        var arrows = document.querySelectorAll('#call-detail svg.ladder .arrow').length;
        check('ladder columns', cols === data.columns.length && cols > 1, 'columns=' + cols);
        check('ladder arrows', arrows === data.arrows.length && arrows > 0, 'arrows=' + arrows);
        out.push('INFO labels=' + data.columns.map(function (c) { return c.label; }).join(' | '));
        check('failing response marked', !target.failed || document.querySelectorAll('#call-detail .arrow.fail').length > 0);
        // Layout: labels keep out of the time column and inside the picture; the page does not
        // scroll sideways (a wide ladder scrolls in its panel); findings come before the ladder.
        var ladderSvg = document.querySelector('#call-detail svg.ladder');
        var svgWidth = Number(ladderSvg.getAttribute('width'));
        var bad = [];
        ladderSvg.querySelectorAll('text.note, text.diag, text.lbl').forEach(function (t) {
          var b = t.getBBox();
          if (b.x < 90 || b.x + b.width > svgWidth + 1) bad.push(t.textContent.slice(0, 30) + ' @' + Math.round(b.x) + '+' + Math.round(b.width));
        });
        check('ladder labels clear of the time column and not clipped', bad.length === 0, bad.join('; ') + ' (width ' + svgWidth + ')');
        var wide = Array.prototype.filter.call(document.querySelectorAll('body *'), function (e) {
          return e.getBoundingClientRect().right > window.innerWidth + 1 && !e.closest('.ladder-wrap');
        }).slice(0, 3).map(function (e) { return e.tagName + '.' + e.className + ' ' + Math.round(e.getBoundingClientRect().right); });
        check('page does not scroll sideways', document.documentElement.scrollWidth <= window.innerWidth + 1,
          document.documentElement.scrollWidth + ' > ' + window.innerWidth + ': ' + wide.join(', '));
        var heads = Array.prototype.map.call(document.querySelectorAll('#call-detail h3'), function (h) { return h.textContent; });
        var fIdx = heads.indexOf('Findings'), lIdx = heads.findIndex(function (h) { return h.indexOf('SIP ladder') === 0; });
        check('findings above the ladder', fIdx >= 0 && fIdx < lIdx, heads.join(' | '));
        var firstRow = document.querySelector('#calls tbody tr');
        check('call list shows year and method', /^\d{4}-\d\d-\d\d \d\d:\d\d$/.test(firstRow.children[0].textContent) &&
          /^[A-Z]+$/.test(firstRow.children[1].textContent), firstRow.children[0].textContent + ' | ' + firstRow.children[1].textContent);
        check('case column when several cases', !MANY_CASES || document.querySelectorAll('#calls thead th').length === 7);
        var first = document.querySelector('#call-detail svg.ladder .arrow');
        first.dispatchEvent(new MouseEvent('click', { bubbles: true }));
        var raw = $('raw-panel').textContent;
        var ev0 = data.events[data.arrows[Number(first.getAttribute('data-arrow'))].ev[0]];
        check('raw message shown with file:line', raw.indexOf(ev0.file + ':' + ev0.line) >= 0 && /SIP\/2\.0/.test(raw), raw.slice(0, 80));
        if (data.conversation && data.conversation.legs.length > 1) {
          var legLinks = document.querySelectorAll('#call-detail a.mono');
          check('conversation legs linked', legLinks.length === data.conversation.legs.length - 1, legLinks.length + ' links');
          if (legLinks.length) {
            legLinks[0].dispatchEvent(new MouseEvent('click', { bubbles: true }));
            var head = document.querySelector('#call-detail h2').textContent;
            check('other leg opens', head.indexOf(callId) < 0 && data.conversation.legs.some(function (l) { return head.indexOf(l) >= 0; }), head);
          }
        }
      }
    } catch (err) {
      check('no exception', false, String(err && err.stack || err));
    }
    out.push('SELFTEST DONE pass=' + (out.filter(function (l) { return l.indexOf('PASS') === 0; }).length) + ' fail=' + fails);
    var res = $('selftest-result');
    res.textContent = out.join('\n');
    res.hidden = false;
    document.title = 'SELFTEST ' + (fails ? 'FAIL' : 'PASS');
  }

  // ---- wiring ----
  renderSummary();
  ['f-status', 'f-rule', 'f-domain'].forEach(function (id) { $(id).addEventListener('change', applyFilters); });
  $('f-text').addEventListener('input', applyFilters);
  document.querySelectorAll('#calls th').forEach(function (th) {
    th.addEventListener('click', function () {
      var k = th.getAttribute('data-sort');
      state.dir = state.sort === k ? -state.dir : 1;
      state.sort = k;
      applyFilters();
    });
  });
  $('prev').addEventListener('click', function () { state.page -= 1; renderList(); });
  $('next').addEventListener('click', function () { state.page += 1; renderList(); });
  applyFilters();
  var hash = decodeURIComponent(location.hash.slice(1));
  if (hash.indexOf('selftest=') === 0) {
    selftest(hash.slice(9));
  } else if (hash.indexOf('call=') === 0) {
    var id = hash.slice(5), c = CALLS.filter(function (x) { return x.id === id; })[0];
    if (c) openCall(c.i);
  } else {
    // The first call with a finding: its root cause and fix are what the reader came for.
    var first = state.rows.filter(function (x) { return x.rules.length; })[0] ||
                state.rows.filter(function (x) { return x.failed; })[0];
    if (first) openCall(first.i);
  }
})();
