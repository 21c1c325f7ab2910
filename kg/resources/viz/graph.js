/* graph.html behaviour: legend and filters, search, side panel, neighbour highlight.
 * Article text (names, aliases, titles, evidence) reaches the DOM only through textContent;
 * every loop is over the nodes or edges once, so a 2,000-node graph stays responsive. */
(function () {
  "use strict";
  const DATA = JSON.parse(document.getElementById("kg-data").textContent);
  const STYLES = DATA.styles;
  const MENTIONED_IN = DATA.mentionedIn;
  const $ = (id) => document.getElementById(id);

  function el(tag, text, className) {
    const node = document.createElement(tag);
    if (text !== undefined && text !== null) node.textContent = String(text);
    if (className) node.className = className;
    return node;
  }

  const info = new Map(DATA.graph.nodes.map((n) => [n.id, n]));
  const links = new Map(DATA.graph.links.map((l) => [l.id, l]));
  const adjacency = new Map(DATA.graph.nodes.map((n) => [n.id, []]));
  for (const link of DATA.graph.links) {
    adjacency.get(link.source).push(link.id);
    if (link.target !== link.source) adjacency.get(link.target).push(link.id);
  }
  const baseNode = new Map(DATA.vis.nodes.map((n) => [n.id, { color: n.color, font: n.font }]));
  const baseEdge = new Map(DATA.vis.edges.map((e) => [e.id, e.color]));
  const nodes = new vis.DataSet(DATA.vis.nodes);
  const edges = new vis.DataSet(DATA.vis.edges);

  const typeStyle = (type) => STYLES.types[type] || STYLES.other_type;
  const predicateStyle = (p) => STYLES.predicates[p] || Object.assign({ zh: p }, STYLES.other_predicate);

  function countBy(items, key) {
    const counts = new Map();
    for (const item of items) counts.set(key(item), (counts.get(key(item)) || 0) + 1);
    return counts;
  }
  function ordered(counts, known) {  // known names in style order, then the others alphabetically
    const names = Object.keys(known).filter((k) => counts.has(k));
    return names.concat([...counts.keys()].filter((k) => !(k in known)).sort());
  }
  const entityNodes = DATA.graph.nodes.filter((n) => n.kind === "entity");
  const articleNodes = DATA.graph.nodes.filter((n) => n.kind === "article");
  const typeCounts = countBy(entityNodes, (n) => n.type);
  const relationLinks = DATA.graph.links.filter((l) => l.predicate !== MENTIONED_IN);
  const predicateCounts = countBy(relationLinks, (l) => l.predicate);

  const state = {
    types: new Set(typeCounts.keys()),
    predicates: new Set(predicateCounts.keys()),
    articles: true,
    showAll: DATA.graph.nodes.every((n) => n.initial),
    pinned: new Set(),  // nodes outside the first view that a search brought in
    selected: null,
  };
  const hidden = new Map(DATA.vis.nodes.map((n) => [n.id, Boolean(n.hidden)]));
  const edgeHidden = new Map(DATA.vis.edges.map((e) => [e.id, false]));

  const network = new vis.Network($("kg-network"), { nodes: nodes, edges: edges }, DATA.vis.options);

  // ---- filters -------------------------------------------------------------------------------
  function nodeShown(n) {
    const inScope = state.showAll || n.initial || state.pinned.has(n.id);
    if (n.kind === "article") return state.articles && inScope;
    return state.types.has(n.type) && inScope;
  }
  function edgeShown(l) {
    return l.predicate === MENTIONED_IN ? state.articles : state.predicates.has(l.predicate);
  }

  function applyFilters() {
    const nodeChanges = [];
    for (const n of DATA.graph.nodes) {
      const hide = !nodeShown(n);
      if (hidden.get(n.id) !== hide) {
        hidden.set(n.id, hide);
        nodeChanges.push({ id: n.id, hidden: hide });
      }
    }
    const edgeChanges = [];
    for (const l of DATA.graph.links) {
      const hide = !edgeShown(l);
      if (edgeHidden.get(l.id) !== hide) {
        edgeHidden.set(l.id, hide);
        edgeChanges.push({ id: l.id, hidden: hide });
      }
    }
    if (nodeChanges.length) nodes.update(nodeChanges);
    if (edgeChanges.length) edges.update(edgeChanges);
    if (state.selected !== null && hidden.get(state.selected)) clearSelection();
    else if (state.selected !== null) highlight(state.selected);
    updateStatus();
  }

  function updateStatus() {
    let shownNodes = 0;
    for (const h of hidden.values()) if (!h) shownNodes += 1;
    let shownEdges = 0;
    for (const l of relationLinks) {
      if (!edgeHidden.get(l.id) && !hidden.get(l.source) && !hidden.get(l.target)) shownEdges += 1;
    }
    $("kg-status").textContent =
      `${shownNodes} of ${DATA.graph.nodes.length} nodes · ${shownEdges} of ${relationLinks.length} relations shown`;
    const button = $("kg-show-all");
    const rest = DATA.graph.nodes.filter((n) => !n.initial).length;
    button.hidden = rest === 0;
    button.textContent = state.showAll ? "Show the main part only 只显示主要部分" : `Show all (+${rest}) 显示全部`;
  }

  function swatch(style) {
    return el("span", undefined, `kg-swatch kg-shape-${style.shape}`);
  }

  function checkbox(labelParts, checked, onChange, dataset) {
    const li = el("li");
    const label = el("label");
    const input = el("input");
    input.type = "checkbox";
    input.checked = checked;
    Object.assign(input.dataset, dataset);
    input.addEventListener("change", () => onChange(input.checked));
    label.append(input, ...labelParts);
    li.append(label);
    return li;
  }

  function buildFilters() {
    const types = $("kg-types");
    for (const type of ordered(typeCounts, STYLES.types)) {
      const style = typeStyle(type);
      const sw = swatch(style);
      sw.style.background = style.color;
      types.append(checkbox([sw, el("span", `${style.zh} ${type}`), el("span", typeCounts.get(type), "kg-count")],
        true, (on) => { on ? state.types.add(type) : state.types.delete(type); applyFilters(); }, { type: type }));
    }
    if (articleNodes.length) {
      const style = typeStyle("Article");
      const sw = swatch(style);
      sw.style.background = style.color;
      types.append(checkbox([sw, el("span", `${style.zh} Article`), el("span", articleNodes.length, "kg-count")],
        true, (on) => { state.articles = on; applyFilters(); }, { articles: "1" }));
    }
    const predicates = $("kg-predicates");
    for (const predicate of ordered(predicateCounts, STYLES.predicates)) {
      const style = predicateStyle(predicate);
      const line = el("span", undefined, "kg-line");
      line.style.background = style.color;
      predicates.append(checkbox(
        [line, el("span", `${style.zh} ${predicate}`), el("span", predicateCounts.get(predicate), "kg-count")],
        true, (on) => { on ? state.predicates.add(predicate) : state.predicates.delete(predicate); applyFilters(); },
        { predicate: predicate }));
    }
    if (!predicateCounts.size) predicates.append(el("li", "none found 无", "kg-hint"));
    $("kg-show-all").addEventListener("click", () => {
      state.showAll = !state.showAll;
      if (state.showAll) layOutAll();
      applyFilters();
    });
    $("kg-fit").addEventListener("click", () => network.fit({ animation: { duration: 300 } }));
  }

  // ---- nodes outside the first view: out of the physics until shown --------------------------
  const frozenNodes = new Set(DATA.vis.nodes.filter((n) => n.physics === false).map((n) => n.id));
  const frozenEdges = DATA.vis.edges.filter((e) => e.physics === false).map((e) => e.id);

  function layOutAll() {
    if (!frozenNodes.size) return;
    // breadth-first from the laid-out part: each node starts beside a placed neighbour, so few
    // iterations settle it; nodes reached from nowhere keep vis-network's initial spot
    const all = network.getPositions();
    const placed = new Map(Object.entries(all).filter(([id]) => !frozenNodes.has(id)));
    const queue = [...placed.keys()];
    const updates = [];
    for (let i = 0; i < queue.length; i++) {
      const at = placed.get(queue[i]);
      for (const linkId of adjacency.get(queue[i])) {
        const l = links.get(linkId);
        const other = l.source === queue[i] ? l.target : l.source;
        if (placed.has(other)) continue;
        const angle = updates.length * 2.39996;  // golden angle: neighbours spread around
        const spot = { x: at.x + 50 * Math.cos(angle), y: at.y + 50 * Math.sin(angle) };
        placed.set(other, spot);
        queue.push(other);
        updates.push({ id: other, x: spot.x, y: spot.y, physics: true });
      }
    }
    for (const id of frozenNodes) if (!placed.has(id)) updates.push({ id: id, physics: true });
    nodes.update(updates);
    edges.update(frozenEdges.map((id) => ({ id: id, physics: true })));
    frozenNodes.clear();
    settle(DATA.relayoutIterations);
  }

  function placeNearNeighbour(id) {  // a pinned node outside the layout appears beside what it relates to
    if (!frozenNodes.has(id)) return;
    for (const linkId of adjacency.get(id)) {
      const l = links.get(linkId);
      const other = l.source === id ? l.target : l.source;
      if (!hidden.get(other) && !frozenNodes.has(other)) {
        const at = network.getPositions([other])[other];
        nodes.update({ id: id, x: at.x + 40, y: at.y + 40 });
        return;
      }
    }
  }

  // ---- neighbour highlight -------------------------------------------------------------------
  const DIM_NODE = { background: STYLES.dim, border: STYLES.dim,
    highlight: { background: STYLES.dim, border: "#999999" }, hover: { background: STYLES.dim, border: "#999999" } };

  function neighbours(id) {
    const keep = new Set([id]);
    for (const linkId of adjacency.get(id)) {
      if (edgeHidden.get(linkId)) continue;
      const l = links.get(linkId);
      keep.add(l.source);
      keep.add(l.target);
    }
    return keep;
  }

  // Only what changes is updated: the first selection dims the rest once, the next ones
  // swap the two neighbourhoods, so clicking around a 5,000-node graph stays quick.
  let lit = null;  // node ids at full colour while a selection dims the rest
  let litEdges = null;
  const dimNode = (nid) => ({ id: nid, color: DIM_NODE, font: { color: "#c8c8c8" } });
  const litNode = (nid) => ({ id: nid, color: baseNode.get(nid).color, font: baseNode.get(nid).font });
  const dimEdge = (eid) => ({ id: eid, color: Object.assign({}, baseEdge.get(eid), { opacity: 0.12 }) });
  const litEdge = (eid) => ({ id: eid, color: baseEdge.get(eid) });

  function highlight(id) {
    const keep = neighbours(id);
    const around = new Set(adjacency.get(id));
    if (lit === null) {
      nodes.update([...baseNode.keys()].filter((nid) => !keep.has(nid)).map(dimNode));
      edges.update([...baseEdge.keys()].filter((eid) => !around.has(eid)).map(dimEdge));
    } else {
      nodes.update([...lit].filter((nid) => !keep.has(nid)).map(dimNode)
        .concat([...keep].filter((nid) => !lit.has(nid)).map(litNode)));
      edges.update([...litEdges].filter((eid) => !around.has(eid)).map(dimEdge)
        .concat([...around].filter((eid) => !litEdges.has(eid)).map(litEdge)));
    }
    lit = keep;
    litEdges = around;
  }

  function unhighlight() {
    if (lit === null) return;
    nodes.update([...baseNode.keys()].filter((nid) => !lit.has(nid)).map(litNode));
    edges.update([...baseEdge.keys()].filter((eid) => !litEdges.has(eid)).map(litEdge));
    lit = null;
    litEdges = null;
  }

  // ---- side panel ----------------------------------------------------------------------------
  function nodeLink(id) {
    const n = info.get(id);
    const button = el("button", n ? n.label : id, "kg-link");
    button.type = "button";
    button.addEventListener("click", () => select(id, true));
    return button;
  }

  function articleTitle(docId) {
    const article = info.get("article:" + docId);
    return article ? article.label : docId;
  }

  function section(title, children) {
    const wrap = el("section");
    wrap.append(el("h3", title));
    const list = el("ul");
    for (const child of children) list.append(child);
    wrap.append(list);
    return wrap;
  }

  function details(pairs) {
    const dl = el("dl");
    for (const [key, value] of pairs) {
      if (value === "" || value === undefined || value === null) continue;
      dl.append(el("dt", key), el("dd", value));
    }
    return dl;
  }

  function relationItem(link, fromId) {
    const li = el("li");
    const outgoing = link.source === fromId;
    const style = predicateStyle(link.predicate);
    const other = outgoing ? link.target : link.source;
    li.append(el("span", outgoing ? `${style.zh} ${link.predicate} → ` : `← ${style.zh} ${link.predicate} `));
    li.append(nodeLink(other));
    const extra = Object.entries(link.details).map(([k, v]) => `${k}: ${v}`).join(" · ");
    if (extra) li.append(el("span", ` (${extra})`));
    if (link.evidence) li.append(el("blockquote", link.evidence));
    if (link.doc) li.append(el("span", "— " + articleTitle(link.doc), "kg-source"));
    return li;
  }

  function showNode(id) {
    const n = info.get(id);
    const panel = $("kg-panel");
    const style = typeStyle(n.type);
    const sw = swatch(style);
    sw.style.background = style.color;
    const type = el("p", undefined, "kg-type");
    type.append(sw, el("span", `${style.zh} ${n.type}` + (n.subtype ? ` · ${n.subtype}` : "")));
    const parts = [el("h2", n.label), type];
    if (n.kind === "article") {
      parts.push(details([["file", n.path], ["bylines", n.bylines.join("、")], ["id", n.id]]));
      const mentioned = adjacency.get(id).map((lid) => links.get(lid))
        .filter((l) => l.predicate === MENTIONED_IN).map((l) => l.source)
        .sort((a, b) => info.get(b).degree - info.get(a).degree);
      parts.push(section(`Entities named here 提及的实体 (${mentioned.length})`,
        mentioned.map((mid) => { const li = el("li"); li.append(nodeLink(mid)); return li; })));
    } else {
      parts.push(details([["aliases 别名", n.aliases.join("、")], ["mentions 提及次数", n.mentions],
        ...Object.entries(n.details)]));
      if (n.recognitions.length) {
        parts.push(section("Recognized as 认定", n.recognitions.map((r) => {
          const li = el("li", r.value);
          if (r.evidence) li.append(el("blockquote", r.evidence));
          if (r.doc) li.append(el("span", "— " + articleTitle(r.doc), "kg-source"));
          return li;
        })));
      }
      parts.push(section(`Articles 文章 (${n.documents.length})`, n.documents.map((doc) => {
        const li = el("li");
        li.append(info.has("article:" + doc) ? nodeLink("article:" + doc) : el("span", doc));
        return li;
      })));
      const relations = adjacency.get(id).map((lid) => links.get(lid)).filter((l) => l.predicate !== MENTIONED_IN);
      parts.push(section(`Relations 关系 (${relations.length})`, relations.map((l) => relationItem(l, id))));
    }
    panel.replaceChildren(...parts);
  }

  function showEdge(edgeId) {
    const l = links.get(edgeId);
    const style = predicateStyle(l.predicate);
    const list = el("ul");
    list.append(relationItem(l, l.source));
    const head = el("p");
    head.append(nodeLink(l.source));
    $("kg-panel").replaceChildren(el("h2", `${style.zh} ${l.predicate}`), head, list);
  }

  // ---- selection and search ------------------------------------------------------------------
  function select(id, focus) {
    if (!info.has(id)) return;
    if (hidden.get(id)) {  // switch on what hides it, visibly in the filter list
      const n = info.get(id);
      if (n.kind === "article") {
        state.articles = true;
        document.querySelector("input[data-articles]").checked = true;
      } else if (!state.types.has(n.type)) {
        state.types.add(n.type);
        for (const box of document.querySelectorAll("input[data-type]")) if (box.dataset.type === n.type) box.checked = true;
      }
      if (!state.showAll && !n.initial) {
        placeNearNeighbour(id);
        state.pinned.add(id);
      }
      applyFilters();
    }
    state.selected = id;
    network.selectNodes([id]);
    highlight(id);
    showNode(id);
    if (focus) network.focus(id, { scale: Math.max(network.getScale(), 1.1), animation: { duration: 400 } });
  }

  function clearSelection() {
    state.selected = null;
    network.unselectAll();
    unhighlight();
  }

  network.on("click", (params) => {
    if (params.nodes.length) select(params.nodes[0], false);
    else if (params.edges.length) { clearSelection(); showEdge(params.edges[0]); }
    else clearSelection();
  });

  const normalize = (s) => String(s).normalize("NFKC").toLowerCase().trim();
  const searchIndex = DATA.graph.nodes.map((n) => ({
    id: n.id,
    keys: [n.label].concat(n.aliases).map((text) => ({ text: text, norm: normalize(text) })),
  }));

  function search(query) {
    const q = normalize(query);
    if (!q) return [];
    const ranks = [[], [], []];  // exact name, prefix, anywhere
    for (const entry of searchIndex) {
      let best = 3;
      let hit = null;
      for (const key of entry.keys) {
        const at = key.norm.indexOf(q);
        if (at < 0) continue;
        const rank = key.norm === q ? 0 : at === 0 ? 1 : 2;
        if (rank < best) { best = rank; hit = key.text; }
      }
      if (best < 3) ranks[best].push({ id: entry.id, hit: hit });
    }
    const byDegree = (a, b) => info.get(b.id).degree - info.get(a.id).degree;
    return ranks.flatMap((r) => r.sort(byDegree));
  }

  function showResults(matches) {
    const list = $("kg-results");
    list.replaceChildren(...matches.slice(0, 30).map((m) => {
      const n = info.get(m.id);
      const li = el("li");
      const button = el("button", n.label);
      button.type = "button";
      if (m.hit !== n.label) button.append(el("span", `= ${m.hit}`, "kg-alias"));
      button.append(el("span", ` · ${typeStyle(n.type).zh}`, "kg-alias"));
      button.addEventListener("click", () => { list.hidden = true; select(m.id, true); });
      li.append(button);
      return li;
    }));
    if (!matches.length) list.append(el("li", "No match 无结果", "kg-hint"));
    list.hidden = false;
  }

  const searchBox = $("kg-search");
  searchBox.addEventListener("input", () => {
    if (searchBox.value.trim()) showResults(search(searchBox.value));
    else $("kg-results").hidden = true;
  });
  searchBox.addEventListener("keydown", (event) => {
    if (event.key === "Enter") {
      const matches = search(searchBox.value);
      $("kg-results").hidden = true;
      if (matches.length) select(matches[0].id, true);
    } else if (event.key === "Escape") {
      $("kg-results").hidden = true;
    }
  });

  document.addEventListener("click", (event) => {  // a click elsewhere closes the results
    if (!$("kg-searchbox").contains(event.target)) $("kg-results").hidden = true;
  });

  // ---- layout: stabilize once, then physics off ----------------------------------------------
  function ready() {
    network.setOptions({ physics: { enabled: false } });
    document.body.dataset.state = "ready";
    window.kg.ready = true;
  }
  function settle(iterations) {
    document.body.dataset.state = "loading";
    window.kg.ready = false;
    network.once("stabilizationIterationsDone", ready);
    network.setOptions({ physics: { enabled: true } });
    network.stabilize(iterations);
  }
  network.on("stabilizationProgress", (p) => {
    $("kg-progress").textContent = `Laying out the graph… 正在布局 ${Math.round((100 * p.iterations) / p.total)}%`;
  });
  network.once("stabilizationIterationsDone", ready);

  window.kg = { network: network, nodes: nodes, edges: edges, state: state, select: select, search: search,
    applyFilters: applyFilters, ready: false };
  buildFilters();
  updateStatus();
  if (!DATA.graph.nodes.length) {
    $("kg-panel").replaceChildren(el("p", "The graph is empty: no entity was found. 图谱为空", "kg-hint"));
    ready();
  }
})();
