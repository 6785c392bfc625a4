/* resq-flame: the interactive part of a flame graph SVG.
   This file is the readable source of truth; tools/svg/embed.py turns it into the C string
   lines of resq_flame.h's [rf:svg] section (tests check the header's copy is current).
   It must never contain the three characters that close a CDATA section.

   Everything lives in this closure, bound to the <svg> element that holds the script, so
   several graphs inlined in one HTML page share nothing. The C writer draws a static first
   paint; this script adopts those frames (it reads them, it does not draw them again) and
   from then on renders from the embedded call tree (the <script type="application/json">
   block), which lets zooming reveal frames that were too narrow to draw at full width. */
(function () {
  'use strict';
  var script = document.currentScript, all;
  if (!script) {
    all = document.getElementsByTagName('script');
    script = all[all.length - 1];
  }
  var svg = script.ownerSVGElement || script.parentNode;
  var P = svg.getAttribute('id');
  function part(name) { return svg.querySelector('[id="' + P + '-' + name + '"]'); }
  var dataEl = part('data');
  if (!dataEl) return;
  var D = JSON.parse(dataEl.textContent), C = D.cfg;
  var NS = 'http://www.w3.org/2000/svg';
  var frames = part('frames'), details = part('details'), matchedEl = part('matched');
  var unzoomBtn = part('unzoom'), searchBtn = part('search'), icBtn = part('ic');
  var standalone = svg === document.documentElement;

  /* ---- the call tree: preorder records [name, children, self0 (, self1) (, dropped...)] ---- */
  var cols = D.cols, rec = 2 + cols * (D.pruned ? 2 : 1), T = D.tree, n = T.length / rec;
  /* Layout weights (widths, zoom, search share): G self, W total. A differential graph takes
     them from "after" (column 1), "before" (column 0), or "max" of the two self weights, as
     the C writer's width_from; its titles always show the real counts: W1 after, W0 before.
     Left-out weight (pruned) counts as the node's own self weight. */
  var layout = cols !== 2 ? 0 : C.widthfrom === 'before' ? 0 : C.widthfrom === 'max' ? 2 : 1;
  var nameOf = new Int32Array(n), par = new Int32Array(n), dep = new Int32Array(n);
  var end = new Int32Array(n), W = new Float64Array(n), G = new Float64Array(n);
  var S0 = new Float64Array(n), S1 = cols === 2 ? new Float64Array(n) : S0; /* self, as recorded */
  var W0 = cols === 2 ? new Float64Array(n) : W, W1 = cols === 2 ? new Float64Array(n) : W;
  var F1 = cols === 2 ? new Float64Array(n) : G; /* after's self, left-out weight included */
  var stack = [], left = [], i, j, o, g0, g1;
  for (i = 0; i < n; i++) {
    o = i * rec;
    nameOf[i] = T[o];
    S0[i] = T[o + 2];
    g0 = S0[i] + (D.pruned ? T[o + 2 + cols] : 0);
    if (cols === 2) {
      S1[i] = T[o + 3];
      g1 = S1[i] + (D.pruned ? T[o + 3 + cols] : 0);
      W0[i] = g0;
      W1[i] = F1[i] = g1;
    }
    G[i] = layout === 0 ? g0 : layout === 1 ? g1 : Math.max(g0, g1);
    W[i] = G[i];
    par[i] = stack.length ? stack[stack.length - 1] : -1;
    dep[i] = stack.length;
    if (T[o + 1] > 0) {
      stack.push(i);
      left.push(T[o + 1]);
      continue;
    }
    end[i] = i + 1;
    while (stack.length) { /* close every ancestor whose last child this was */
      j = stack.length - 1;
      if (--left[j] > 0) break;
      end[stack.pop()] = i + 1;
      left.pop();
    }
  }
  for (i = n - 1; i > 0; i--) W[par[i]] += W[i];
  if (cols === 2) {
    for (i = n - 1; i > 0; i--) { W0[par[i]] += W0[i]; W1[par[i]] += W1[i]; }
  }
  /* 100%: of the layout, and of each column for the titles (the options' total when larger) */
  var total = Math.max(W[0], C.total || 0);
  var total0 = Math.max(W0[0], C.total || 0), total1 = Math.max(W1[0], C.total || 0);
  var pow10 = Math.pow(10, D.dec);

  /* ---- names as shown: annotation stripped, unsafe characters replaced ---- */
  var BAD = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;
  function clean(s) { return s.replace(/_\[[kwij]\]$/, '').replace(BAD, '\ufffd'); }
  var shown = D.names.map(clean);
  shown[nameOf[0]] = 'all';
  var codepoints = shown.map(function (s) { return /[\ud800-\udfff]/.test(s) ? Array.from(s) : null; });

  /* ---- numbers, formatted exactly as the C writer does ---- */
  function commify(s) {
    var neg = s.charAt(0) === '-', dot, ip;
    if (neg) s = s.slice(1);
    dot = s.indexOf('.');
    ip = dot < 0 ? s : s.slice(0, dot);
    return (neg ? '-' : '') + ip.replace(/\B(?=(\d{3})+(?!\d))/g, ',') + (dot < 0 ? '' : s.slice(dot));
  }
  function fixed(r, dec) { /* integer r as r / 10^dec, trailing fraction zeros trimmed */
    var neg = r < 0, s = String(Math.abs(r)), ip, fp;
    if (dec > 0) {
      while (s.length <= dec) s = '0' + s;
      ip = s.slice(0, s.length - dec);
      fp = s.slice(s.length - dec).replace(/0+$/, '');
      s = fp ? ip + '.' + fp : ip;
    }
    return (neg && s !== '0' ? '-' : '') + s;
  }
  function count(w) {
    if (C.factor === 1) return commify(fixed(w, D.dec));
    return commify(fixed(Math.floor(w / pow10 * C.factor * pow10 + 0.5), D.dec));
  }
  function pct(w, of) { /* two decimals, half up, as the C writer ("0.00" of nothing) */
    var h = of > 0 ? Math.floor(Math.abs(100 * w / of) * 100 + 0.5) : 0, s = String(h % 100);
    return Math.floor(h / 100) + '.' + (s.length < 2 ? '0' + s : s);
  }
  function hex2(v) { return (v < 16 ? '0' : '') + v.toString(16); }
  function colour(i) {
    var nm = D.names[nameOf[i]], v, r = 255, g = 255, b = 255, m = C.maxdelta;
    if (cols !== 2 || nm === '-' || nm === '--') return '#' + D.colors.substr(6 * nameOf[i], 6);
    v = S1[i] - S0[i];
    if (C.negate) v = -v;
    if (v > 0) g = b = Math.floor(210 * (m - v) / m);
    else if (v < 0) r = g = Math.floor(210 * (m + v) / m);
    return '#' + hex2(r) + hex2(g) + hex2(b);
  }
  function title(i) { /* the C writer's: real counts, whatever the layout */
    var t = shown[nameOf[i]] + ' (' + count(W1[i]) + ' ' + C.countname + ', ' + pct(W1[i], total1) + '%', d;
    if (cols === 2) {
      d = S1[i] - S0[i];
      if (C.negate) d = -d;
      t += '; before ' + count(W0[i]) + ', ' + pct(W0[i], total0) + '%, ' + (d > 0 ? '+' : d < 0 ? '-' : '') +
        pct(d, total1 > 0 ? total1 : total0) + '%';
    }
    return t + ')';
  }
  function label(i, width) { /* as flamegraph.pl: whole characters that fit, ".." when cut */
    var chars = Math.floor(width / (C.fontsize * C.fontwidth)), s = shown[nameOf[i]], cp, len;
    if (chars < 3) return '';
    cp = codepoints[nameOf[i]];
    len = cp ? cp.length : s.length;
    if (len <= chars) return s;
    if (C.truncate === 'left')
      return '..' + (cp ? cp.slice(len - chars + 2).join('') : s.slice(len - chars + 2));
    return (cp ? cp.slice(0, chars - 2).join('') : s.slice(0, chars - 2)) + '..';
  }

  /* ---- state ---- */
  var zoomed = 0, searching = null, ignoreCase = false, match = null, matchedText = '';
  var cursor = new Float64Array(n), fnode = [], xs = [], ws = [];
  /* frames: one <g> per depth row (rows[d]); el[i] is node i's <g>, made once and kept, so a
     zoom only moves, hides and shows frames; onScreen: the nodes the last render drew.
     Zoomed, the frames drawn move to rows of their own (zrows) and the home rows are parked
     out of sight whole: hiding thousands of frames one by one, or a row with display:none,
     costs far more than moving the few drawn. */
  var rows = [], zrows = [], el = new Array(n), onScreen = [], orphans = [], pass = 0, svgH = C.h0;

  /* nominal layout (the C writer's, at the option width): positions for ?x=&y= */
  var start = new Float64Array(n);
  (function () {
    var k;
    for (k = 0; k < n; k++) {
      if (k > 0) { start[k] = cursor[par[k]]; cursor[par[k]] += W[k]; }
      cursor[k] = start[k] + (C.selfleft ? G[k] : 0);
    }
  })();
  function nominalX(i) { return C.xpad + start[i] * (C.width - 2 * C.xpad) / total; }
  function rowY(d, h) {
    return C.inverted ? C.ypad1 + C.ypad3 + d * C.height : h - C.ypad2 - (d + 1) * C.height + C.framepad;
  }
  function one(v) { return Math.round(v * 10) / 10; }

  /* The frames drawn at this span when zoomed into z, in preorder (ancestors of z first):
     fnode, xs, ws. Returns the deepest drawn row. Mirrors the C writer's layout. */
  function place(span, z) {
    var minw = C.minpct ? C.minpct / 100 * span : C.minwidth;
    var scale = span / (z ? W[z] : total), maxd = 0, a, x, w;
    fnode.length = xs.length = ws.length = 0;
    for (a = par[z]; a >= 0; a = par[a]) { fnode.push(a); xs.push(C.xpad); ws.push(span); }
    for (i = z; i < end[z];) {
      w = i === z ? span : W[i] * scale;
      if (i === z) x = C.xpad;
      else { x = cursor[par[i]]; cursor[par[i]] += w; }
      if (w < minw || (i !== z && W[i] <= 0)) { i = end[i]; continue; }
      fnode.push(i); xs.push(x); ws.push(w);
      if (dep[i] > maxd) maxd = dep[i];
      cursor[i] = x + (C.selfleft ? G[i] * scale : 0);
      i++;
    }
    return maxd;
  }

  function cache(g, i) {
    var r = g.firstElementChild.nextElementSibling;
    g.__rf = { i: i, r: r, t: r.nextElementSibling, x: null, w: null, fill: null, label: '', op: '', hidden: false, pass: 0, zl: false };
    return g.__rf;
  }
  function make(i, zl) {
    var g = document.createElementNS(NS, 'g'), t = document.createElementNS(NS, 'title');
    var r = document.createElementNS(NS, 'rect');
    t.textContent = title(i);
    r.setAttribute('height', C.height - C.framepad);
    g.appendChild(t);
    g.appendChild(r);
    cache(g, i).zl = zl;
    row(dep[i], zl).g.appendChild(g);
    return g;
  }
  function row(d, zl) {
    var g, set = zl ? zrows : rows;
    while (set.length <= d) {
      g = document.createElementNS(NS, 'g');
      frames.appendChild(g);
      set.push({ g: g, y: null, hidden: false });
    }
    return set[d];
  }
  /* A row at height y; parked (off), it lies far left of the window, still laid out: the
     home rows wait there during a zoom, which costs far less than hiding and showing them */
  function moveRow(rw, y, off) {
    if (rw.y === y && !rw.off === !off) return;
    rw.y = y;
    rw.off = off;
    rw.g.setAttribute('transform', 'translate(' + (off ? -1e6 : 0) + ',' + y + ')');
  }
  function showRow(rw, on) {
    if (rw.hidden === on) { rw.hidden = !on; rw.g.style.display = on ? '' : 'none'; }
  }

  /* Adopts the frames the C writer drew (one row <g> per depth, frames in preorder): the
     k-th frame of row d is the k-th node of depth d that the nominal layout draws. Their
     attributes are read into the caches, so render() rewrites only what differs; a frame
     whose geometry disagrees with the layout keeps its element but gets its title rewritten.
     A row that does not line up (a pruned tree: the writer drew nodes the data left out) is
     matched by title; frames nobody claims are hidden by the first render. */
  function adopt() {
    var kids = frames.children, maxd = place(C.width - 2 * C.xpad, 0), counts = [], at = [], maps = [];
    var d, k, g, c, r, s, list, byTitle, tt, fast;
    for (d = 0; d < kids.length; d++) {
      tt = /^translate\(0,([^)]*)\)$/.exec(kids[d].getAttribute('transform') || '');
      rows.push({ g: kids[d], y: tt ? +tt[1] : null, hidden: false });
      counts.push(0);
      at.push(0);
    }
    for (k = 0; k < fnode.length; k++) if (dep[fnode[k]] < rows.length) counts[dep[fnode[k]]]++;
    for (k = 0; k < fnode.length; k++) {
      i = fnode[k];
      d = dep[i];
      if (d >= rows.length) continue;
      list = rows[d].g.children;
      fast = !D.pruned && maxd + 1 === rows.length && counts[d] === list.length;
      if (fast) g = list[at[d]++];
      else {
        if (!maps[d]) { /* this row by title, once */
          byTitle = maps[d] = new Map();
          for (s = 0; s < list.length; s++) {
            tt = list[s].firstElementChild.textContent;
            if (!byTitle.has(tt)) byTitle.set(tt, []);
            byTitle.get(tt).push(list[s]);
          }
        }
        s = maps[d].get(title(i));
        if (!s || !s.length) continue;
        g = s.shift();
      }
      c = cache(g, i);
      r = c.r;
      c.x = +r.getAttribute('x');
      c.w = +r.getAttribute('width');
      c.fill = r.getAttribute('fill');
      c.label = c.t ? c.t.textContent : '';
      /* by position: the title is this node's only if the geometry is */
      if (fast && (c.x !== one(xs[k]) || c.w !== one(ws[k]))) c.i = -1;
      el[i] = g;
      onScreen.push(i);
    }
    /* frames nobody claimed: hidden by the first render */
    for (d = 0; d < rows.length; d++) {
      list = rows[d].g.children;
      for (s = 0; s < list.length; s++) if (!list[s].__rf) { cache(list[s], -1); orphans.push(list[s]); }
    }
  }

  function render() {
    var width = svg.getBoundingClientRect().width || C.width;
    var span = width - 2 * C.xpad, z = zoomed, maxd = place(span, z), h, d, k, g, c, r, t, x, w, y, nm, rw;
    var was = onScreen, zl = z !== 0, set = zl ? zrows : rows, other = zl ? rows : zrows;
    h = (maxd + 1) * C.height + C.ypad1 + C.ypad2 + C.ypad3;
    if (svgH !== h) { svgH = h; svg.setAttribute('height', h); }
    pass++;
    for (d = 0; d <= maxd; d++) {
      rw = row(d, zl);
      y = rowY(d, h);
      moveRow(rw, y, false);
      showRow(rw, true);
    }
    /* rows below the drawing, and the other view's rows, go as a whole; their frames are
       dealt with when they come back */
    for (; d < set.length; d++) showRow(set[d], false);
    for (d = 0; d < other.length; d++) {
      if (zl) moveRow(other[d], other[d].y || 0, true);
      else showRow(other[d], false);
    }
    onScreen = [];
    for (k = 0; k < fnode.length; k++) {
      i = fnode[k];
      g = el[i] || (el[i] = make(i, zl));
      c = g.__rf;
      if (c.zl !== zl) { c.zl = zl; set[dep[i]].g.appendChild(g); }
      c.pass = pass;
      onScreen.push(i);
      r = c.r;
      x = one(xs[k]); w = one(ws[k]);
      /* touch only what changed: big graphs spend their time in the DOM */
      if (c.i !== i) { c.i = i; g.firstElementChild.textContent = title(i); }
      if (c.x !== x) { c.x = x; r.setAttribute('x', x); if (c.t) c.t.setAttribute('x', one(xs[k] + 3)); }
      if (c.w !== w) { c.w = w; r.setAttribute('width', w); }
      nm = match && isMatch(i) ? C.searchcolor : colour(i);
      if (c.fill !== nm) { c.fill = nm; r.setAttribute('fill', nm); }
      nm = label(i, ws[k]);
      if (c.label !== nm) {
        c.label = nm;
        if (!c.t) { /* labels are made when first needed: narrow frames have none */
          t = c.t = document.createElementNS(NS, 'text');
          t.setAttribute('x', one(xs[k] + 3));
          t.setAttribute('y', 3 + (C.height - C.framepad) / 2);
          g.appendChild(t);
        }
        c.t.textContent = nm;
      }
      nm = dep[i] < dep[z] ? '0.5' : '';
      if (c.op !== nm) { c.op = nm; g.style.opacity = nm; }
      if (c.hidden) { c.hidden = false; g.style.display = ''; }
    }
    for (k = 0; k < was.length; k++) {
      g = el[was[k]];
      c = g.__rf;
      if (c.pass === pass) continue;
      if (c.zl) { c.zl = false; row(dep[was[k]], false).g.appendChild(g); } /* home, out of the zoomed view */
      if (rows[dep[was[k]]].hidden || rows[dep[was[k]]].off) onScreen.push(was[k]); /* still to hide when its row returns */
      else if (!c.hidden) { c.hidden = true; g.style.display = 'none'; }
    }
    for (k = 0; k < orphans.length; k++) orphans[k].style.display = 'none';
    orphans.length = 0;
    /* chrome that depends on the size */
    details.setAttribute('y', h - C.ypad2 / 2);
    matchedEl.setAttribute('y', h - C.ypad2 / 2);
    matchedEl.setAttribute('x', width - C.xpad - 100);
    searchBtn.setAttribute('x', width - C.xpad - 100);
    icBtn.setAttribute('x', width - C.xpad - 16);
    unzoomBtn.style.opacity = z ? '1' : '0';
    unzoomBtn.style.pointerEvents = z ? '' : 'none';
    showMatched();
  }

  /* ---- search ---- */
  function isMatch(i) { return match[nameOf[i]] === 1; }
  function showMatched() {
    var z = zoomed, hit = 0, a, k, of = z ? W[z] : total, inside;
    if (!match) { matchedEl.textContent = ' '; matchedEl.style.opacity = '0'; return; }
    inside = z > 0 && isMatch(z);
    for (a = par[z]; a > 0; a = par[a]) if (isMatch(a)) inside = true;
    if (inside) hit = of; /* the whole view lies under a matching frame */
    else {
      for (k = z; k < end[z];) {
        if (k > 0 && isMatch(k)) { hit += W[k]; k = end[k]; } else k++;
      }
    }
    k = 100 * hit / of;
    matchedText = 'Matched: ' + (k === 100 ? '100' : k.toFixed(1)) + '%';
    matchedEl.textContent = matchedText;
    matchedEl.style.opacity = '1';
  }
  function search(term) {
    var re, k;
    if (!term) { resetSearch(); return; }
    try { re = new RegExp(term, ignoreCase ? 'i' : ''); } catch (e) {
      details.textContent = 'Invalid regular expression: ' + term;
      return;
    }
    match = new Uint8Array(shown.length);
    for (k = 0; k < shown.length; k++) match[k] = re.test(shown[k]) ? 1 : 0;
    match[nameOf[0]] = 0;
    searching = term;
    searchBtn.textContent = 'Reset Search';
    searchBtn.style.opacity = '1';
    setParam('s', term);
    render();
  }
  function resetSearch() {
    match = null;
    searching = null;
    searchBtn.textContent = 'Search';
    searchBtn.style.opacity = '0.1';
    setParam('s', null);
    render();
  }
  function searchPrompt() {
    var term;
    if (searching !== null) { resetSearch(); return; }
    term = window.prompt('Enter a search term (regexp allowed, eg: ^ext4_)' +
                         (ignoreCase ? ', ignoring case' : ''), '');
    if (term !== null) search(term);
  }
  function toggleCase() {
    ignoreCase = !ignoreCase;
    icBtn.style.opacity = ignoreCase ? '1' : '0.1';
    if (searching !== null) search(searching);
  }

  /* ---- zoom and URL state ---- */
  function paramName(k) { return standalone ? k : P + '-' + k; }
  function setParam(k, v) {
    var q;
    try {
      q = new URLSearchParams(window.location.search);
      if (v === null) q.delete(paramName(k)); else q.set(paramName(k), v);
      q = q.toString();
      window.history.replaceState(window.history.state, '', window.location.pathname + (q ? '?' + q : '') + window.location.hash);
    } catch (e) { /* file: URLs in some browsers refuse; the state is only a convenience */ }
  }
  function zoom(i) {
    zoomed = i > 0 ? i : 0;
    if (zoomed) {
      setParam('x', one(nominalX(zoomed)).toFixed(1));
      setParam('y', rowY(dep[zoomed], C.h0));
    } else { setParam('x', null); setParam('y', null); }
    render();
  }
  function restore() {
    var q = new URLSearchParams(window.location.search), x, y, d, k, x1;
    if (q.get(paramName('x')) !== null && q.get(paramName('y')) !== null) {
      x = parseFloat(q.get(paramName('x')));
      y = parseFloat(q.get(paramName('y')));
      d = C.inverted ? Math.round((y - C.ypad1 - C.ypad3) / C.height)
                     : Math.round((C.h0 - C.ypad2 + C.framepad - y) / C.height) - 1;
      for (k = 1; k < n; k++) {
        if (dep[k] !== d || W[k] <= 0) continue;
        x1 = nominalX(k);
        if (x + 0.05 >= x1 && x + 0.05 < x1 + W[k] * (C.width - 2 * C.xpad) / total) { zoomed = k; break; }
      }
    }
    if (q.get(paramName('s'))) search(q.get(paramName('s')));
    else render();
  }

  /* ---- events ---- */
  function frameOf(e) {
    var g = e.target.closest ? e.target.closest('g') : null;
    return g && g.__rf && g.parentNode.parentNode === frames ? g.__rf.i : -1;
  }
  frames.addEventListener('click', function (e) {
    var i = frameOf(e);
    if (i >= 0) zoom(i);
  });
  frames.addEventListener('mouseover', function (e) {
    var i = frameOf(e), of;
    if (i < 0) return;
    of = zoomed ? W[zoomed] : total;
    details.textContent = C.nametype + ' ' + title(i).slice(0, -1) + ', ' + pct(W[i], of) + '% of zoom, self ' +
      count(F1[i]) + ' ' + C.countname + ')';
  });
  frames.addEventListener('mouseout', function () { details.textContent = ' '; });
  unzoomBtn.addEventListener('click', function () { zoom(0); });
  searchBtn.addEventListener('click', searchPrompt);
  searchBtn.addEventListener('mouseover', function () { searchBtn.style.opacity = '1'; });
  searchBtn.addEventListener('mouseout', function () { searchBtn.style.opacity = searching !== null ? '1' : '0.1'; });
  icBtn.addEventListener('click', toggleCase);
  /* keys go to this graph when it is the document, or the last one clicked or hovered */
  var active = standalone, hovered = false;
  svg.addEventListener('mouseenter', function () { hovered = true; });
  svg.addEventListener('mouseleave', function () { hovered = false; });
  document.addEventListener('pointerdown', function (e) { active = standalone || svg.contains(e.target); }, true);
  window.addEventListener('keydown', function (e) {
    if (!active && !hovered) return;
    if (e.key === 'F3' || ((e.ctrlKey || e.metaKey) && (e.key === 'f' || e.key === 'F'))) {
      e.preventDefault();
      searchPrompt();
    } else if ((e.ctrlKey || e.metaKey) && (e.key === 'i' || e.key === 'I')) {
      e.preventDefault();
      toggleCase();
    } else if (e.key === 'Escape') {
      if (zoomed) zoom(0); else if (searching !== null) resetSearch();
    }
  });
  var pending = false;
  window.addEventListener('resize', function () {
    if (pending) return;
    pending = true;
    window.requestAnimationFrame(function () { pending = false; render(); });
  });

  /* fluid width from here on; the static first paint stays, and the first render changes
     only what differs at the window's width */
  svg.setAttribute('width', '100%');
  svg.removeAttribute('viewBox');
  adopt();
  restore();
})();
