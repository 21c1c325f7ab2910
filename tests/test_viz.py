"""graph.html: its data, its escaping, the `kg viz` command, and the page itself in headless Chromium."""

from __future__ import annotations

import base64
import hashlib
import json
import re
from html.parser import HTMLParser
from pathlib import Path

import networkx as nx
import pytest
from click.testing import CliRunner

import chromium  # tests/chromium.py
from kg.cli import main
from kg.graph import article_node, build_graph, write_graphml
from kg.model import Corpus, Document, Entity, Mention, Relation
from kg.viz import graph_data, render_html, script_json

# Each payload sets window.__pwned if the page ever runs it.
XSS = [
    "<script>window.__pwned='script'</script>",
    "<img src=x onerror=\"window.__pwned='img'\">",
    "</script><script>window.__pwned='close'</script>",
    "<!--<svg onload=\"window.__pwned='svg'\">",
]
EVIL_NAME = "恶意" + XSS[1] + "科技有限公司"
TYPES = ("Organization", "Place", "Program", "Project", "Person")
PREDICATES = ("locatedIn", "partOf", "holdsPosition", "implements", "participatesIn", "cooperatesWith")


def _mention(name: str, type_: str, doc: str) -> Mention:
    return Mention(text=name, start=0, end=len(name), type=type_, rule="test", doc_id=doc, sentence=0)


def _entity(name: str, type_: str, docs: list[str], aliases: tuple[str, ...] = ()) -> Entity:
    return Entity(id=f"{type_}/{name}", name=name, type=type_, aliases=aliases,
                  mentions=tuple(_mention(name, type_, d) for d in docs))


def synthetic_corpus(entities: int, articles: int, *, evil: bool = False) -> Corpus:
    """A corpus of made-up names: chains of relations (components of 1 to 6 entities) over articles."""
    docs = [Document(id=f"{i:03d}.txt", path=f"in/{i:03d}.txt", text="", title=f"示例新闻{i}号",
                     bylines=("王五",)) for i in range(articles)]
    names = {"Organization": "示例{}公司", "Place": "示例{}镇", "Program": "示例{}行动",
             "Project": "示例{}产业园", "Person": "李{}"}
    ents = [_entity(names[TYPES[i % 5]].format(i), TYPES[i % 5], [docs[i % articles].id], (f"别名{i}",))
            for i in range(entities)]
    relations = []
    for i in range(1, entities):
        if i % 6:  # every sixth entity starts a new chain
            head, tail = ents[i], ents[i - 1]
            relations.append(Relation(head=head.id, predicate=PREDICATES[i % 6], tail=tail.id,
                                      evidence=f"{head.name}和{tail.name}在同一句话里。", doc_id=head.documents[0],
                                      start=0, end=10))
    if evil:
        bad = _entity(EVIL_NAME, "Organization", [docs[0].id], aliases=tuple(XSS))
        ents.append(bad)
        relations.append(Relation(head=bad.id, predicate="cooperatesWith", tail=ents[0].id,
                                  evidence="协议：" + "".join(XSS), doc_id=docs[0].id, start=0, end=5,
                                  attrs=(("amount", XSS[0]),)))
        relations.append(Relation(head=bad.id, predicate="recognizedAs", tail=None, evidence=XSS[3],
                                  doc_id=docs[0].id, start=0, end=5, attrs=(("value", XSS[2]),)))
        docs[0] = Document(id=docs[0].id, path=docs[0].path, text="", title="标题" + XSS[0], bylines=(XSS[1],))
    return Corpus(documents=docs, entities=ents, relations=relations)


# ---- data and HTML, no browser ----------------------------------------------------------------

def test_graph_data_keeps_everything_the_panel_shows() -> None:
    g = build_graph(synthetic_corpus(12, 2, evil=True))
    data = graph_data(g)
    nodes = {n["id"]: n for n in data["nodes"]}
    bad = nodes[f"Organization/{EVIL_NAME}"]
    assert bad["label"] == EVIL_NAME and bad["aliases"] == XSS and bad["documents"] == ["000.txt"]
    assert bad["recognitions"][0]["value"] == XSS[2]
    assert nodes[article_node("000.txt")]["kind"] == "article"
    assert len(data["links"]) == g.number_of_edges()
    deal = next(link for link in data["links"] if link["source"] == bad["id"] and link["predicate"] == "cooperatesWith")
    assert deal["evidence"].startswith("协议：<script>") and deal["details"] == {"amount": XSS[0]}
    assert all(n["initial"] for n in data["nodes"])  # a small graph is shown whole


def test_large_graphs_start_with_the_largest_components() -> None:
    g = nx.MultiDiGraph()
    g.add_node(article_node("a"), kind="article", type="Article", label="a")
    g.add_node(article_node("b"), kind="article", type="Article", label="b")
    big = [f"Place/big{i}" for i in range(5)]
    small = [f"Place/small{i}" for i in range(2)]
    lonely = [f"Person/lonely{i}" for i in range(4)]
    for node in big + small + lonely:
        g.add_node(node, kind="entity", type=node.split("/")[0], label=node, mentions=1)
    for head, tail in zip(big, big[1:]):
        g.add_edge(head, tail, key="partOf", predicate="partOf")
    g.add_edge(big[0], big[2], key="locatedIn", predicate="locatedIn")  # big2 is the best connected
    g.add_edge(small[0], small[1], key="partOf", predicate="partOf")
    for node in big:
        g.add_edge(node, article_node("a"), key="mentionedIn", predicate="mentionedIn")
    for node in lonely:
        g.add_edge(node, article_node("b"), key="mentionedIn", predicate="mentionedIn")

    shown = {n["id"] for n in graph_data(g, initial_nodes=6)["nodes"] if n["initial"]}
    assert shown == set(big) | {small[0], article_node("a")}
    shown = {n["id"] for n in graph_data(g, initial_nodes=2)["nodes"] if n["initial"]}
    assert shown == {"Place/big2", "Place/big0", article_node("a")}  # most relations, then name order


@pytest.mark.parametrize("value", [
    XSS,
    {"label": "</SCRIPT><script>x()</script>", "alias": "<!-- -->", "amp": "&lt;&amp;", "line": "a\u2028b\u2029c"},
    ["中文<b>加粗</b>", "'\"`", "\\u003c"],
])
def test_script_json_cannot_close_its_script_and_round_trips(value: object) -> None:
    text = script_json(value)
    assert "<" not in text and ">" not in text and "&" not in text and "\u2028" not in text
    assert json.loads(text) == value


class _Page(HTMLParser):
    """The elements of a page, as a browser's tokenizer sees them."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.scripts: list[tuple[dict[str, str | None], str]] = []
        self._open: dict[str, str | None] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        if tag == "script":
            self._open = dict(attrs)
            self.scripts.append((self._open, ""))

    def handle_data(self, data: str) -> None:
        if self._open is not None:
            attrs, text = self.scripts[-1]
            self.scripts[-1] = (attrs, text + data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._open = None


@pytest.fixture(scope="module")
def evil_page(tmp_path_factory: pytest.TempPathFactory) -> tuple[nx.MultiDiGraph, Path]:
    g = build_graph(synthetic_corpus(40, 3, evil=True))
    return g, render_html(g, tmp_path_factory.mktemp("viz") / "graph.html")


def test_page_is_self_contained_and_runs_only_its_own_scripts(evil_page: tuple[nx.MultiDiGraph, Path]) -> None:
    html = evil_page[1].read_text(encoding="utf-8")
    page = _Page()
    page.feed(html)
    # exactly three scripts: the JSON data (never executed), vis-network and the page's own
    assert [attrs.get("type") for attrs, _ in page.scripts] == ["application/json", None, None]
    assert json.loads(page.scripts[0][1])["graph"]["nodes"]  # the data survived the HTML tokenizer whole
    csp = next(a["content"] for t, a in page.tags if t == "meta" and a.get("http-equiv") == "Content-Security-Policy")
    hashes = {"'sha256-" + base64.b64encode(hashlib.sha256(text.encode()).digest()).decode() + "'"
              for attrs, text in page.scripts[1:]}
    assert set(re.search(r"script-src ([^;]+);", csp).group(1).split()) == hashes
    assert "default-src 'none'" in csp and "connect-src 'none'" in csp
    # nothing is loaded from anywhere: no src/href but the empty data: icon, no url() but data:
    assert [a for t, a in page.tags if a.get("src") or (a.get("href") and a["href"] != "data:,")] == []
    assert not re.search(r"url\(\s*(?!['\"]?data:)", html)
    # the article text is in the page only as escaped JSON: no element, no raw payload
    assert [t for t, _ in page.tags if t in ("img", "svg", "b")] == []
    assert not [payload for payload in XSS if payload in html]


def test_render_html_of_an_empty_graph(tmp_path: Path) -> None:
    path = render_html(nx.MultiDiGraph(), tmp_path / "empty.html")
    assert "The graph is empty" in path.read_text(encoding="utf-8")


def test_kg_viz_renders_a_built_graphml(tmp_path: Path) -> None:
    g = build_graph(synthetic_corpus(20, 2))
    write_graphml(g, tmp_path / "graph.graphml")
    result = CliRunner().invoke(main, ["viz", str(tmp_path / "graph.graphml"), "-o", str(tmp_path / "v.html")])
    assert result.exit_code == 0, result.output
    data = _page_data(tmp_path / "v.html")
    assert {n["id"] for n in data["graph"]["nodes"]} == set(g.nodes)
    assert "22 nodes" in result.output  # the one-line message on stderr (mixed in by CliRunner)


def test_kg_viz_names_a_missing_graph(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["viz", str(tmp_path / "nope.graphml"), "-o", str(tmp_path / "v.html")])
    assert result.exit_code == 1 and "nope.graphml" in result.output and "kg build" in result.output
    assert not (tmp_path / "v.html").exists()


def _page_data(path: Path) -> dict:
    page = _Page()
    page.feed(path.read_text(encoding="utf-8"))
    return json.loads(page.scripts[0][1])


# ---- the page in real headless Chromium -------------------------------------------------------

@pytest.fixture(scope="module")
def browser():
    if not Path(chromium.CHROMIUM).is_file():
        pytest.fail(f"{chromium.CHROMIUM} is missing: run `make sysdeps`")
    with chromium.Chromium(width=1400, height=900, timeout_s=60) as b:
        # the network cable pulled: any request but file:// fails (and would be logged as an error)
        b.call("Network.emulateNetworkConditions", offline=True, latency=0, downloadThroughput=-1,
               uploadThroughput=-1)
        yield b


def _open(browser, path: Path) -> None:
    browser.events.clear()
    browser.open(path.resolve().as_uri())
    browser.wait_for("window.kg && window.kg.ready")


def _drawn(browser) -> int:
    """Nodes vis-network draws: neither hidden nor clustered."""
    return browser.evaluate("kg.network.body.nodeIndices.length")


def _wait_for_still_view(browser) -> None:
    browser.evaluate("""new Promise(done => { let last = "";
        const tick = () => { const now = JSON.stringify([kg.network.getViewPosition(), kg.network.getScale()]);
                             if (now === last) done(true); else { last = now; setTimeout(tick, 200); } };
        tick(); })""")


def _assert_offline_and_clean(browser, path: Path) -> None:
    assert browser.errors() == []
    assert browser.requested_urls() == [path.resolve().as_uri()]  # the page itself, nothing else


@pytest.mark.slow
def test_page_in_chromium_filters_searches_and_settles(browser, evil_page) -> None:
    g, path = evil_page
    _open(browser, path)
    assert _drawn(browser) == g.number_of_nodes()
    assert browser.evaluate("kg.network.physics.options.enabled") is False  # the layout is frozen
    before = browser.evaluate("JSON.stringify(kg.network.getPositions())")
    browser.evaluate("new Promise(r => setTimeout(r, 500))")
    assert browser.evaluate("JSON.stringify(kg.network.getPositions())") == before

    # a type filter hides exactly that type, and brings it back
    persons = sum(1 for _, a in g.nodes(data=True) if a.get("type") == "Person")
    browser.click("input[data-type=Person]")
    assert _drawn(browser) == g.number_of_nodes() - persons
    assert browser.evaluate("kg.network.body.nodeIndices.some(id => id.startsWith('Person/'))") is False
    browser.click("input[data-type=Person]")
    assert _drawn(browser) == g.number_of_nodes()

    # the article toggle, and a relation filter
    articles = sum(1 for _, a in g.nodes(data=True) if a.get("kind") == "article")
    browser.click("input[data-articles]")
    assert _drawn(browser) == g.number_of_nodes() - articles
    browser.click("input[data-articles]")
    drawn_edges = "kg.network.body.edgeIndices.filter(id => kg.edges.get(id).hidden !== true).length"
    partof = sum(1 for *_, a in g.edges(data=True) if a["predicate"] == "partOf")
    total = browser.evaluate(drawn_edges)
    browser.click("input[data-predicate=partOf]")
    assert browser.evaluate(drawn_edges) == total - partof > 0

    # search by alias: the node is selected, its panel filled, its non-neighbours dimmed
    browser.type_text("#kg-search", "别名9", enter=True)
    target = "Person/李9"
    assert browser.evaluate("kg.network.getSelectedNodes()") == [target]
    panel = browser.evaluate("document.getElementById('kg-panel').textContent")
    assert "别名9" in panel and "李9和示例8产业园在同一句话里。" in panel and "示例新闻1号" in panel
    assert _lit_nodes(browser) == _neighbourhood(g, target, without="partOf")

    # the next selection swaps the lit neighbourhood
    browser.evaluate("document.getElementById('kg-search').value = ''")
    browser.type_text("#kg-search", "示例0公司", enter=True)
    assert _lit_nodes(browser) == _neighbourhood(g, "Organization/示例0公司", without="partOf")

    # searching a node of a filtered-out type switches its type back on
    browser.click("input[data-type=Person]")
    browser.evaluate("document.getElementById('kg-search').value = ''")
    browser.type_text("#kg-search", "李9", enter=True)
    assert browser.evaluate("document.querySelector('input[data-type=Person]').checked") is True
    assert _drawn(browser) == g.number_of_nodes()
    _assert_offline_and_clean(browser, path)


def _lit_nodes(browser) -> set[str]:
    return set(browser.evaluate("""(() => { const dim = JSON.parse(document.getElementById('kg-data').textContent).styles.dim;
        return kg.nodes.get().filter(n => n.color.background !== dim).map(n => n.id); })()"""))


def _neighbourhood(g: nx.MultiDiGraph, node: str, *, without: str) -> set[str]:
    edges = [(h, t) for h, t, a in g.edges(data=True) if node in (h, t) and a["predicate"] != without]
    return {node} | {n for edge in edges for n in edge}


@pytest.mark.slow
def test_article_text_is_shown_as_text_and_never_run(browser, evil_page) -> None:
    g, path = evil_page
    _open(browser, path)
    browser.type_text("#kg-search", "img src=x")  # the results list renders the alias
    assert browser.evaluate("document.querySelectorAll('#kg-results li').length") == 1
    browser.click("#kg-results button")
    panel = browser.evaluate("document.getElementById('kg-panel').textContent")
    for payload in XSS:
        assert payload in panel  # aliases, evidence, amount, recognition: all verbatim text
    assert "标题" + XSS[0] in panel  # the article title
    # hover the node: vis-network's tooltip shows the name as text
    bad = f"Organization/{EVIL_NAME}"
    _wait_for_still_view(browser)  # the focus animation
    x, y = browser.evaluate(f"""(() => {{ const p = kg.network.canvasToDOM(kg.network.getPosition({json.dumps(bad)}));
        const r = document.getElementById('kg-network').getBoundingClientRect(); return [r.left + p.x, r.top + p.y]; }})()""")
    browser.hover(x, y)
    browser.wait_for("document.querySelector('div.vis-tooltip') && "
                     "document.querySelector('div.vis-tooltip').style.visibility === 'visible'")
    assert EVIL_NAME in browser.evaluate("document.querySelector('div.vis-tooltip').textContent")
    assert browser.evaluate("document.querySelectorAll('img, svg, #kg-panel script').length") == 0
    assert browser.evaluate("window.__pwned === undefined") is True
    _assert_offline_and_clean(browser, path)


@pytest.mark.slow
def test_large_graph_opens_on_its_main_part_and_shows_all_on_demand(browser, tmp_path: Path) -> None:
    # the mechanism at a tenth of the scale; benchmarks/viz.py times 2,000+ nodes
    g = build_graph(synthetic_corpus(600, 12))
    path = render_html(g, tmp_path / "large.html", initial_nodes=60)
    initial = {n["id"] for n in graph_data(g, initial_nodes=60)["nodes"] if n["initial"]}
    assert sum(1 for n in initial if not n.startswith("article:")) == 60
    _open(browser, path)
    assert _drawn(browser) == len(initial)
    hidden_one = next(n for n in g.nodes if n not in initial and n.startswith("Person/"))
    browser.type_text("#kg-search", g.nodes[hidden_one]["label"], enter=True)
    assert browser.evaluate("kg.network.getSelectedNodes()") == [hidden_one]
    assert _drawn(browser) == len(initial) + 1
    browser.click("#kg-show-all")
    browser.wait_for("window.kg.ready")
    assert _drawn(browser) == g.number_of_nodes()
    _assert_offline_and_clean(browser, path)


@pytest.mark.slow
def test_seeds_graph_html_opens_whole_and_finds_aliases(browser, seed_build) -> None:
    g, path = seed_build.graph, seed_build.out_dir / "graph.html"
    _open(browser, path)
    assert _drawn(browser) == g.number_of_nodes()
    # the entity with the most aliases, found by its last alias
    attrs = max((a for _, a in g.nodes(data=True) if a.get("aliases")), key=lambda a: len(a["aliases"]))
    browser.type_text("#kg-search", attrs["aliases"][-1], enter=True)
    selected = browser.evaluate("kg.network.getSelectedNodes()")
    assert len(selected) == 1 and attrs["aliases"][-1] in [g.nodes[selected[0]]["label"], *g.nodes[selected[0]]["aliases"]]
    _assert_offline_and_clean(browser, path)


def test_kg_viz_of_the_seeds_graphml_remakes_the_builds_page(seed_build, tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["viz", str(seed_build.out_dir / "graph.graphml"), "-o", str(tmp_path / "v.html")])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "v.html").read_bytes() == (seed_build.out_dir / "graph.html").read_bytes()
