"""ontology/kg.ttl: documented, aligned, consistent with kg.rdf.KG and with tests/gold/GUIDELINES.md."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pyoxigraph
import pytest
from rdflib import OWL, RDF, RDFS, Graph, Namespace, URIRef
from rdflib.namespace import FOAF, PROV, SKOS
from rdflib.term import Node

from kg import rdf
from kg.rdf import KG, ONTOLOGY_FILE, SHAPES_FILE
from rdf_samples import small_corpus

ROOT = Path(__file__).resolve().parent.parent
SCHEMA = Namespace("https://schema.org/")
ORG = Namespace("http://www.w3.org/ns/org#")
NIF = Namespace("http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#")
DECLARATIONS = (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty)


@pytest.fixture(scope="module")
def ontology() -> Graph:
    return Graph().parse(ONTOLOGY_FILE, format="turtle")


def declared(ontology: Graph) -> set[URIRef]:
    return {s for kind in DECLARATIONS for s in ontology.subjects(RDF.type, kind)
            if isinstance(s, URIRef) and s.startswith(str(KG._NS))}


def test_python_terms_and_ontology_file_agree_both_ways(ontology: Graph) -> None:
    python_terms = {KG[name] for name in KG.__annotations__}
    assert declared(ontology) == python_terms


def test_a_misspelt_term_is_an_error() -> None:
    with pytest.raises(AttributeError):
        KG.locatedln  # noqa: B018  (an l for the I)


@pytest.mark.parametrize("name", ["Organization", "Place", "Program", "Project", "Person", "Article",
                                  "Agreement", "Position", "Mention", "Assertion", "DevelopmentZone"])
def test_fixed_classes(ontology: Graph, name: str) -> None:
    assert (KG[name], RDF.type, OWL.Class) in ontology


@pytest.mark.parametrize(("name", "kind"), [
    ("locatedIn", OWL.ObjectProperty), ("partOf", OWL.ObjectProperty), ("holdsPosition", OWL.ObjectProperty),
    ("implements", OWL.ObjectProperty), ("participatesIn", OWL.ObjectProperty),
    ("cooperatesWith", OWL.ObjectProperty), ("cooperatesWith", OWL.SymmetricProperty),
    ("recognizedAs", OWL.DatatypeProperty),
])
def test_fixed_properties(ontology: Graph, name: str, kind: URIRef) -> None:
    assert (KG[name], RDF.type, kind) in ontology


def test_every_term_has_labels_and_comments_in_chinese_and_english(ontology: Graph) -> None:
    missing = [(term, prop, lang) for term in sorted(declared(ontology)) for prop in (RDFS.label, RDFS.comment)
               for lang in ("zh", "en")
               if not any(getattr(v, "language", None) == lang and str(v).strip() for v in ontology.objects(term, prop))]
    assert not missing


@pytest.mark.parametrize(("term", "relation", "external"), [
    (KG.Organization, RDFS.subClassOf, ORG.Organization),
    (KG.Organization, RDFS.subClassOf, SCHEMA.Organization),
    (KG.Place, RDFS.subClassOf, SCHEMA.Place),
    (KG.DevelopmentZone, RDFS.subClassOf, KG.Place),
    (KG.Person, RDFS.subClassOf, FOAF.Person),
    (KG.Person, RDFS.subClassOf, SCHEMA.Person),
    (KG.Project, RDFS.subClassOf, SCHEMA.Project),
    (KG.Article, RDFS.subClassOf, SCHEMA.NewsArticle),
    (KG.Article, RDFS.subClassOf, PROV.Entity),
    (KG.Position, RDFS.subClassOf, ORG.Membership),
    (KG.Mention, RDFS.subClassOf, NIF.OffsetBasedString),
    (KG.locatedIn, RDFS.subPropertyOf, SCHEMA.containedInPlace),
    (KG.partOf, RDFS.subPropertyOf, ORG.subOrganizationOf),
    (KG.holdsPosition, RDFS.subPropertyOf, ORG.memberOf),
    (KG.mentionedIn, OWL.inverseOf, SCHEMA.mentions),
    (KG.holder, RDFS.subPropertyOf, ORG.member),
])
def test_alignments(ontology: Graph, term: URIRef, relation: URIRef, external: URIRef) -> None:
    assert (term, relation, external) in ontology


def _classes(ontology: Graph, node: Node) -> set[str]:
    """The local names of a class or of an owl:unionOf class."""
    union = ontology.value(node, OWL.unionOf)
    members = list(ontology.items(union)) if union is not None else [node]
    return {str(m).rsplit("#", 1)[-1] for m in members}


def _guideline_relations() -> dict[str, tuple[set[str], set[str]]]:
    """`| locatedIn | Place/Organization/Project → Place | ...` rows of the guidelines' table."""
    text = (ROOT / "tests" / "gold" / "GUIDELINES.md").read_text(encoding="utf-8")
    rows = re.findall(r"^\| (\w+) \| ([A-Z][\w/]+) (→|↔) ([^|]+?) \|", text, flags=re.MULTILINE)
    table = {}
    for name, heads, arrow, tail in rows:
        tails = set(tail.split(" (")[0].split("/")) if tail[0].isupper() else set()  # "a status" is text
        table[name] = (set(heads.split("/")), tails | (set(heads.split("/")) if arrow == "↔" else set()))
    return table


def _gold_relations() -> dict[str, tuple[set[str], set[str]]]:
    """The head and tail types each relation has in the gold annotations."""
    found: dict[str, tuple[set[str], set[str]]] = {}
    for path in sorted((ROOT / "tests" / "gold").glob("*.json")):
        gold = json.loads(path.read_text(encoding="utf-8"))
        types = {entity["id"]: entity["type"] for entity in gold["entities"]}
        for relation in gold["relations"]:
            heads, tails = found.setdefault(relation["relation"], (set(), set()))
            heads.add(types[relation["head"]])
            if relation["tail"]:
                tails.add(types[relation["tail"]])
    return found


def test_domains_and_ranges_cover_the_guidelines_and_the_gold(ontology: Graph) -> None:
    table = _guideline_relations()
    assert set(table) == {"locatedIn", "partOf", "holdsPosition", "implements", "participatesIn",
                          "cooperatesWith", "recognizedAs"}
    for name, (heads, tails) in table.items():
        domain = _classes(ontology, ontology.value(KG[name], RDFS.domain))
        range_ = ontology.value(KG[name], RDFS.range)
        assert heads <= domain, name
        if tails:
            assert tails <= _classes(ontology, range_), name
        else:  # recognizedAs: a status or award, as text
            assert range_ == RDF.langString
    # the gold also has zones recognizedAs something: the domain follows the gold
    for name, (heads, tails) in _gold_relations().items():
        assert heads <= _classes(ontology, ontology.value(KG[name], RDFS.domain)), name
        assert tails <= _classes(ontology, ontology.value(KG[name], RDFS.range)), name


def test_the_built_graph_uses_only_declared_terms(ontology: Graph) -> None:
    graph = rdf.build_rdf(small_corpus())
    used = {p for _, p, _ in graph} | set(graph.objects(None, RDF.type)) | set(graph.objects(None, KG.predicate))
    ours = {t for t in used if t.startswith(str(KG._NS))}
    assert ours <= declared(ontology)
    known = {RDF.type, RDFS.label, SKOS.altLabel, PROV.wasDerivedFrom}
    assert {t for t in used - ours if not t.startswith(str(NIF))} <= known


@pytest.mark.parametrize("path", [ONTOLOGY_FILE, SHAPES_FILE])
def test_ontology_files_parse_with_pyoxigraph(path: Path) -> None:
    store = pyoxigraph.Store()
    store.load(path=path, format=pyoxigraph.RdfFormat.TURTLE)
    assert len(store) > 100
