"""graph.html: one self-contained page to explore the graph, made with pyvis.

The page must open from disk with the network cable pulled, and must never run text taken
from an article. So vis-network and its CSS are inlined from the pyvis package, a
Content-Security-Policy allows only the page's own two scripts (by hash) and no request at
all, and every article-derived string travels in one JSON blob (``<``, ``>`` and ``&``
escaped) that the page's script only ever puts into the DOM with ``textContent``.

For large graphs only the ``initial_nodes`` entities of the largest components, best
connected first, start visible; the rest wait behind the page's "show all" button.
"""

from __future__ import annotations

import base64
import hashlib
import json
import math
from collections import Counter
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import networkx as nx
from jinja2 import Environment, FileSystemLoader
from markupsafe import Markup

from kg.errors import VizError
from kg.fileio import atomic_path

INITIAL_NODES = 500  # entities visible on opening; more than this is a hairball nobody reads
MENTIONED_IN = "mentionedIn"
STABILIZATION_MAX = 400  # physics iterations before the layout is frozen
LABEL_MAX = 16  # characters drawn on the canvas; the full name is in the tooltip and panel
VIS_VERSION = "vis-9.1.2"
# Edge attributes that locate the evidence; every other attribute is shown as a detail.
_EDGE_SOURCE = {"predicate", "evidence", "doc", "start", "end"}
# Node attributes the page handles itself; any other one is shown as a detail (iri, division_code).
_NODE_KNOWN = {"kind", "type", "label", "aliases", "subtype", "mentions", "documents", "recognitions",
               "path", "bylines", "keywords"}
_DIM = "#e8e8e8"
_FONT = "'Noto Sans CJK SC', 'WenQuanYi Micro Hei', 'Microsoft YaHei', 'PingFang SC', sans-serif"


@dataclass(frozen=True)
class Styles:
    """Colour, shape and Chinese name per entity type and per relation (resources/viz/styles.json)."""

    types: dict[str, dict[str, str]]
    other_type: dict[str, str]
    predicates: dict[str, dict[str, str]]
    other_predicate: dict[str, str]

    def node(self, type_: str) -> dict[str, str]:
        return self.types.get(type_, self.other_type)

    def edge(self, predicate: str) -> dict[str, str]:
        return self.predicates.get(predicate, {"zh": predicate, **self.other_predicate})


VIZ_DIR = Path(__file__).parent / "resources" / "viz"


@cache
def load_styles() -> Styles:
    raw = json.loads(_read(VIZ_DIR / "styles.json"))
    return Styles(raw["types"], raw["other_type"], raw["predicates"], raw["other_predicate"])


def graph_data(g: nx.MultiDiGraph, *, initial_nodes: int = INITIAL_NODES) -> dict[str, Any]:
    """Node-link data of everything the page shows: what the side panel and search read."""
    degree = _relation_degree(g)
    initial = _initial_entities(g, degree, initial_nodes)
    nodes: list[dict[str, Any]] = []
    for node_id, attrs in g.nodes(data=True):
        is_article = attrs.get("kind") == "article"
        node = {
            "id": node_id,
            "kind": "article" if is_article else "entity",
            "type": attrs.get("type", "Article" if is_article else ""),
            "label": str(attrs.get("label") or node_id),
            "aliases": [str(a) for a in attrs.get("aliases", [])],
            "subtype": str(attrs.get("subtype") or ""),
            "mentions": int(attrs.get("mentions") or 0),
            "documents": list(attrs.get("documents", [])),
            "recognitions": list(attrs.get("recognitions", [])),
            "path": str(attrs.get("path") or ""),
            "bylines": list(attrs.get("bylines", [])),
            "details": {k: str(v) for k, v in sorted(attrs.items()) if k not in _NODE_KNOWN and v not in (None, "")},
            "degree": degree[node_id],
            "initial": node_id in initial,
        }
        nodes.append(node)
    shown = {n["id"] for n in nodes if n["initial"]}
    for node in nodes:  # an article starts visible when it mentions a visible entity
        if node["kind"] == "article":
            node["initial"] = any(p in shown for p in g.predecessors(node["id"]))
    links = []
    for i, (head, tail, key, attrs) in enumerate(g.edges(keys=True, data=True)):
        links.append({
            "id": f"e{i}",
            "source": head,
            "target": tail,
            "predicate": str(attrs.get("predicate") or key.split("#")[0]),
            "evidence": str(attrs.get("evidence") or ""),
            "doc": str(attrs.get("doc") or ""),
            "details": {k: str(v) for k, v in sorted(attrs.items()) if k not in _EDGE_SOURCE and v not in (None, "")},
        })
    return {"nodes": nodes, "links": links}


def _relation_degree(g: nx.MultiDiGraph) -> Counter[str]:
    """Relations per node, mentions of articles left out."""
    degree: Counter[str] = Counter({n: 0 for n in g.nodes})
    for head, tail, attrs in g.edges(data=True):
        if attrs.get("predicate") != MENTIONED_IN:
            degree[head] += 1
            degree[tail] += 1
    return degree


def _initial_entities(g: nx.MultiDiGraph, degree: Counter[str], limit: int) -> set[str]:
    """The entities of the largest relation components, best connected first, up to ``limit``."""
    entities = [n for n, a in g.nodes(data=True) if a.get("kind") != "article"]
    if len(entities) <= limit:
        return set(entities)
    related: nx.Graph = nx.Graph()
    related.add_nodes_from(entities)
    related.add_edges_from((h, t) for h, t, a in g.edges(data=True) if a.get("predicate") != MENTIONED_IN
                           and h in related and t in related)
    component_size = {n: len(c) for c in nx.connected_components(related) for n in c}
    # bigger component, then more relations, then more often named
    ranked = sorted(entities, key=lambda n: (-component_size[n], -degree[n], -int(g.nodes[n].get("mentions") or 0), n))
    return set(ranked[:limit])


def vis_network(data: dict[str, Any], styles: Styles) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The vis-network nodes and edges, built with pyvis from the node-link data."""
    from pyvis.network import Network  # imports IPython: only when a page is made

    net = Network(directed=True)
    for node in data["nodes"]:
        style = styles.node(node["type"])
        net.add_node(node["id"], label=_short(node["label"]), shape=style["shape"], color=_node_color(style["color"]),
                     title=_node_tooltip(node, style), value=_node_value(node), hidden=not node["initial"],
                     physics=node["initial"], font={"color": "#222222"})
    initial = {node["id"] for node in data["nodes"] if node["initial"]}
    for link in data["links"]:
        style = styles.edge(link["predicate"])
        mention = link["predicate"] == MENTIONED_IN
        net.add_edge(link["source"], link["target"], id=link["id"], color=_edge_color(style["color"]),
                     label="" if mention else _edge_label(link, style), width=0.5 if mention else 1.5,
                     title=f"{style['zh']} {link['predicate']}" + (f"\n{link['evidence']}" if link["evidence"] else ""),
                     physics=link["source"] in initial and link["target"] in initial,
                     **({"length": 220, "dashes": True} if mention else {}))
    return net.nodes, net.edges


def _short(label: str) -> str:
    return label if len(label) <= LABEL_MAX else label[: LABEL_MAX - 1] + "…"


def _node_value(node: dict[str, Any]) -> float:
    if node["kind"] == "article":
        return 5.0
    # bigger = more relations and more often named; log so that hubs do not dwarf the rest
    return max(1.0, math.log2(1 + 2 * node["degree"] + node["mentions"]))


def _node_color(color: str) -> dict[str, Any]:
    return {"background": color, "border": color, "highlight": {"background": color, "border": "#111111"},
            "hover": {"background": color, "border": "#111111"}}


def _edge_color(color: str) -> dict[str, Any]:
    return {"color": color, "highlight": color, "hover": color, "opacity": 1.0}


def _edge_label(link: dict[str, Any], style: dict[str, str]) -> str:
    role = link["details"].get("role")  # 党工委书记 says more than 任职
    return _short(role) if role else style["zh"]


def _node_tooltip(node: dict[str, Any], style: dict[str, str]) -> str:
    """Plain text: vis-network puts string titles in with innerText."""
    lines = [f"{style['zh']} {node['type']}: {node['label']}"]
    if node["aliases"]:
        lines.append("别名: " + "、".join(node["aliases"]))
    if node["subtype"]:
        lines.append(node["subtype"])
    return "\n".join(lines)


def stabilization_iterations(node_count: int, *, floor: int = 150) -> int:
    # fewer iterations per node as graphs grow: the layout settles in seconds either way
    return max(floor, min(STABILIZATION_MAX, 150_000 // max(node_count, 1)))


def page_options(laid_out: int, node_count: int) -> dict[str, Any]:
    """vis-network options: physics that settles once and then is switched off by the page."""
    large = node_count > 1000
    return {
        "autoResize": True,
        "nodes": {
            "borderWidth": 1,
            "font": {"size": 13, "face": _FONT, "strokeWidth": 3, "strokeColor": "#ffffff"},
            # small nodes' labels appear only when zoomed in, hubs' labels always
            "scaling": {"min": 6, "max": 30, "label": {"enabled": True, "min": 12, "max": 26,
                                                      "drawThreshold": 7, "maxVisible": 26}},
        },
        "edges": {
            "arrows": {"to": {"enabled": True, "scaleFactor": 0.45}},
            "font": {"size": 10, "face": _FONT, "align": "middle", "color": "#555555", "strokeWidth": 3},
            "smooth": {"enabled": True, "type": "continuous", "roundness": 0.3},
            "selectionWidth": 2,
        },
        "physics": {
            "enabled": True,
            "solver": "forceAtlas2Based",
            # past 1,000 nodes: coarser Barnes-Hut and no overlap pass, for cheaper iterations
            "forceAtlas2Based": {"gravitationalConstant": -45, "centralGravity": 0.012, "springLength": 70,
                                 "springConstant": 0.08, "damping": 0.5,
                                 "theta": 0.8 if large else 0.5, "avoidOverlap": 0.0 if large else 0.2},
            "minVelocity": 1.5,
            "stabilization": {"enabled": True, "iterations": stabilization_iterations(laid_out),
                              "updateInterval": 25, "fit": True},
        },
        "layout": {"improvedLayout": False, "randomSeed": 7},
        "interaction": {"hover": True, "tooltipDelay": 250, "hideEdgesOnDrag": large,
                        "multiselect": False},
    }


def render_html(g: nx.MultiDiGraph, path: Path, *, initial_nodes: int = INITIAL_NODES) -> Path:
    """Write graph.html for ``g``; returns ``path``."""
    path = Path(path)
    styles = load_styles()
    data = graph_data(g, initial_nodes=initial_nodes)
    vis_nodes, vis_edges = vis_network(data, styles)
    payload = {
        "graph": data,
        "vis": {"nodes": vis_nodes, "edges": vis_edges,
                "options": page_options(sum(1 for n in vis_nodes if n["physics"]), len(vis_nodes))},
        # "show all" starts each new node beside a placed neighbour: fewer iterations settle it
        "relayoutIterations": stabilization_iterations(len(vis_nodes), floor=50),
        "styles": {"types": styles.types, "other_type": styles.other_type, "predicates": styles.predicates,
                   "other_predicate": styles.other_predicate, "dim": _DIM},
        "mentionedIn": MENTIONED_IN,
    }
    html = _render_page(payload, g)
    with atomic_path(path) as tmp:
        tmp.write_text(html, encoding="utf-8")
    return path


def _render_page(payload: dict[str, Any], g: nx.MultiDiGraph) -> str:
    vis_js = _asset(_vis_dir() / "vis-network.min.js", "script")
    vis_css = _asset(_vis_dir() / "vis-network.css", "style")
    app_js = _asset(VIZ_DIR / "graph.js", "script")
    app_css = _asset(VIZ_DIR / "graph.css", "style")
    csp = ("default-src 'none'; img-src data: blob:; font-src data:; style-src 'unsafe-inline'; "
           f"script-src {_sha256(vis_js)} {_sha256(app_js)}; connect-src 'none'; base-uri 'none'; form-action 'none'")
    env = Environment(loader=FileSystemLoader(str(VIZ_DIR)), autoescape=True, keep_trailing_newline=True)
    entities = sum(1 for _, a in g.nodes(data=True) if a.get("kind") != "article")
    return env.get_template("page.html").render(
        csp=csp, vis_js=Markup(vis_js), vis_css=Markup(vis_css), app_js=Markup(app_js), app_css=Markup(app_css),
        data_json=Markup(script_json(payload)), entities=entities, articles=g.number_of_nodes() - entities,
    )


def _vis_dir() -> Path:
    import pyvis

    return Path(pyvis.__file__).parent / "templates" / "lib" / VIS_VERSION


def _asset(path: Path, tag: str) -> str:
    """A file to inline in a <script> or <style> element, which it must not be able to close."""
    text = _read(path)
    if f"</{tag}" in text.lower():
        raise VizError(f"{path}: contains '</{tag}' and cannot be inlined; reinstall kg and pyvis (make venv)")
    return text


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except OSError as error:
        raise VizError(f"{path}: cannot read ({error.strerror}); reinstall kg and pyvis (make venv)") from error


def _sha256(script: str) -> str:
    digest = base64.b64encode(hashlib.sha256(script.encode("utf-8")).digest()).decode("ascii")
    return f"'sha256-{digest}'"


def script_json(value: Any) -> str:
    """JSON that can sit inside a <script> element: no '</script>', no '<!--', no entity."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    for char, escape in (("&", "\\u0026"), ("<", "\\u003c"), (">", "\\u003e"),
                         ("\u2028", "\\u2028"), ("\u2029", "\\u2029")):
        text = text.replace(char, escape)
    return text
