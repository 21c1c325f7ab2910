"""A small corpus of real kg.model records (names invented for the tests) for the RDF tests."""

from __future__ import annotations

from kg.model import Corpus, Document, Entity, Mention, Relation

DOC_A = "a_青山.txt"
DOC_B = "b_绿水.txt"

SENTENCE_SIGN = "5月12日，青山经开区与绿水科技有限公司签订了10亿战略合作协议。"
SENTENCE_ROLE = "青山经开区党工委书记李明远出席。"
SENTENCE_AWARD = "绿水科技有限公司获评省级专精特新企业。"
SENTENCE_PARK = "绿水科技有限公司将参与白鹭智造产业园建设。"
SENTENCE_PLAN = "青山经开区持续实施“双提升”计划。"


def _mention(text: str, start: int, kind: str, doc: str, sentence: int, subtype: str | None = None) -> Mention:
    return Mention(text=text, start=start, end=start + len(text), type=kind, rule=f"test:{kind}",
                   doc_id=doc, sentence=sentence, subtype=subtype)


def small_corpus() -> Corpus:
    """Two articles, seven entities, one relation of each kind the RDF stage treats specially."""
    doc_a = Document(id=DOC_A, path=f"news/{DOC_A}", text="", title="青山经开区签约绿水科技",
                     bylines=("赵晓雨", "李明远"), year=2021, sha256="0" * 64)
    doc_b = Document(id=DOC_B, path=f"news/{DOC_B}", text="", title="绿水科技获评专精特新", year=None,
                     encoding="gb18030", sha256="1" * 64, offset=4096)
    zone = Entity(id="Place/青山经济技术开发区", name="青山经济技术开发区", type="Place",
                  aliases=("青山经开区", "经开区"), subtype="DevelopmentZone",
                  mentions=(_mention("青山经开区", 6, "Place", DOC_A, 0, "DevelopmentZone"),
                            _mention("青山经开区", 40, "Place", DOC_A, 1, "DevelopmentZone")),
                  attrs=(("division_code", "379901"),))
    company = Entity(id="Organization/绿水科技有限公司", name="绿水科技有限公司", type="Organization",
                     mentions=(_mention("绿水科技有限公司", 12, "Organization", DOC_A, 0),
                               _mention("绿水科技有限公司", 0, "Organization", DOC_B, 0)))
    committee = Entity(id="Organization/青山经开区党工委", name="青山经开区党工委", type="Organization",
                       mentions=(_mention("青山经开区党工委", 40, "Organization", DOC_A, 1),))
    person = Entity(id="Person/李明远", name="李明远", type="Person",
                    mentions=(_mention("李明远", 50, "Person", DOC_A, 1),))
    park = Entity(id="Project/白鹭智造产业园", name="白鹭智造产业园", type="Project",
                  mentions=(_mention("白鹭智造产业园", 30, "Project", DOC_B, 1),))
    plan = Entity(id="Program/双提升计划", name="双提升计划", type="Program",
                  mentions=(_mention("双提升计划", 70, "Program", DOC_A, 2),))
    admin = Entity(id="Organization/青山经开区管委会", name="青山经开区管委会", type="Organization",
                   mentions=(_mention("青山经开区管委会", 90, "Organization", DOC_A, 3),))
    relations = [
        Relation(head=zone.id, predicate="cooperatesWith", tail=company.id, evidence=SENTENCE_SIGN,
                 doc_id=DOC_A, start=0, end=len(SENTENCE_SIGN), rule="test:sign",
                 attrs=(("amount", "10亿"), ("date", "5月12日"))),
        Relation(head=person.id, predicate="holdsPosition", tail=committee.id, evidence=SENTENCE_ROLE,
                 doc_id=DOC_A, start=40, end=40 + len(SENTENCE_ROLE), rule="test:title+name",
                 attrs=(("role", "党工委书记"),)),
        Relation(head=committee.id, predicate="partOf", tail=admin.id,
                 evidence=SENTENCE_ROLE, doc_id=DOC_A, start=40, end=40 + len(SENTENCE_ROLE)),
        Relation(head=zone.id, predicate="implements", tail=plan.id, evidence=SENTENCE_PLAN,
                 doc_id=DOC_A, start=70, end=70 + len(SENTENCE_PLAN)),
        Relation(head=company.id, predicate="recognizedAs", tail=None, evidence=SENTENCE_AWARD,
                 doc_id=DOC_B, start=0, end=len(SENTENCE_AWARD), attrs=(("value", "省级专精特新企业"),)),
        Relation(head=company.id, predicate="participatesIn", tail=park.id, evidence=SENTENCE_PARK,
                 doc_id=DOC_B, start=30, end=30 + len(SENTENCE_PARK)),
        Relation(head=committee.id, predicate="locatedIn", tail=zone.id, evidence=SENTENCE_ROLE,
                 doc_id=DOC_A, start=40, end=40 + len(SENTENCE_ROLE)),
        # The same fact stated again by the second article: one direct triple, two assertions.
        Relation(head=company.id, predicate="locatedIn", tail=zone.id, evidence=SENTENCE_PARK,
                 doc_id=DOC_B, start=30, end=30 + len(SENTENCE_PARK)),
        Relation(head=company.id, predicate="locatedIn", tail=zone.id, evidence=SENTENCE_SIGN,
                 doc_id=DOC_A, start=0, end=len(SENTENCE_SIGN)),
    ]
    return Corpus(documents=[doc_a, doc_b], entities=[zone, company, committee, person, park, plan, admin],
                  relations=relations)
