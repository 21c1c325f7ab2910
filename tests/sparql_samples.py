"""Facts the seed articles state, as real kg.model records over the real seed texts.

The SPARQL tests write them with kg.rdf (the project's own RDF writer) and run the
competency queries on the result, so each query is checked against correct data
whatever the extractor finds today; the same queries also run on the seeds' build.
Evidence offsets are found in the seed files, so they point at the real sentences.
"""

from __future__ import annotations

import re
from pathlib import Path

from kg.model import Corpus, Document, Entity, Mention, Relation

SEEDS = Path(__file__).resolve().parent.parent / "seeds"
DOC_ZONE = "000_c6f7f47dae0ebccf.txt"  # 济宁经开区: 三抢四争, 中建钢构 agreement
DOC_HITECH = "002_56085dc09034c60c.txt"  # 济宁高新区: 石光亮, 人才改革试验区

SIGNING = "5月12日,济宁经开区与中建钢构有限公司签订了10亿战略合作协议。"
LAUNCH = "提出了“三抢四争攻坚行动”的新做法。"
ROLE = "市委副书记、济宁高新区党工委书记石光亮在大会上提出"
TALENT = "重点用足用好省级人才改革试验区的政策机遇"
PARK = "中建钢构将参与到济宁经开区京港澳、环保产业园、新能源产业园、教育装备产业园等项目建设中。"
GROUNDBREAKING = "济宁经开区圣祥数据智能服务中心项目奠基仪式"
VILLAGE = "济宁经济开发区马集镇下花林村党支部书记津津乐道"
CONVERSION = "着力建设全市新旧动能转换引领区"


def sentence_span(text: str, needle: str) -> tuple[int, int, str]:
    """The sentence of ``text`` holding ``needle``: from after the previous 。 or line break to its 。."""
    at = text.index(needle)
    start = max(text.rfind("。", 0, at), text.rfind("\n", 0, at)) + 1
    end = text.find("。", at)
    end = len(text) if end < 0 else end + 1
    return start, end, text[start:end]


def _document(doc_id: str, year: int) -> Document:
    text = (SEEDS / doc_id).read_text(encoding="utf-8")
    return Document(id=doc_id, path=f"seeds/{doc_id}", text=text, title=text.strip().splitlines()[0],
                    year=year)


def _mentions(document: Document, kind: str, *names: str) -> tuple[Mention, ...]:
    """Every occurrence of each name in the document, as a mention."""
    return tuple(Mention(text=name, start=m.start(), end=m.end(), type=kind, rule="test:sample",  # type: ignore[arg-type]
                         doc_id=document.id, sentence=0)
                 for name in names for m in re.finditer(re.escape(name), document.text))


def _entity(kind: str, name: str, documents: list[Document], aliases: tuple[str, ...] = (),
            subtype: str | None = None) -> Entity:
    mentions = tuple(m for d in documents for m in _mentions(d, kind, name, *aliases))
    return Entity(id=f"{kind}/{name}", name=name, type=kind, aliases=aliases, subtype=subtype,  # type: ignore[arg-type]
                  mentions=mentions)


def seed_facts() -> Corpus:
    """Two seed articles and a dozen facts they state, one or more of each relation kind."""
    zone_doc, hitech_doc = _document(DOC_ZONE, 2018), _document(DOC_HITECH, 2018)
    both = [zone_doc, hitech_doc]
    zone = _entity("Place", "济宁经济技术开发区", [zone_doc], ("济宁经开区", "济宁经济开发区", "经开区"),
                   "DevelopmentZone")
    hitech = _entity("Place", "济宁高新区", [hitech_doc], ("高新区",), "DevelopmentZone")
    city = _entity("Place", "济宁", both, (), "City")
    town = _entity("Place", "马集镇", [zone_doc], (), "Town")
    village = _entity("Place", "下花林村", [zone_doc], (), "Village")
    campaign = _entity("Program", "三抢四争攻坚行动", [zone_doc], ("三抢四争",))
    conversion = _entity("Program", "新旧动能转换", both)
    company = _entity("Organization", "中建钢构有限公司", [zone_doc], ("中建钢构",), "Company")
    park = _entity("Project", "节能环保产业园", [zone_doc], ("环保产业园",))
    centre = _entity("Project", "济宁经开区圣祥数据智能服务中心项目", [zone_doc])
    committee = _entity("Organization", "济宁高新区党工委", [hitech_doc], (), "PartyWorkingCommittee")
    person = _entity("Person", "石光亮", [hitech_doc])

    def fact(head: Entity, predicate: str, tail: Entity | None, document: Document, needle: str,
             **attrs: str) -> Relation:
        start, end, sentence = sentence_span(document.text, needle)
        return Relation(head=head.id, predicate=predicate, tail=tail.id if tail else None,  # type: ignore[arg-type]
                        evidence=sentence, doc_id=document.id, start=start, end=end, rule="test:sample",
                        attrs=tuple(attrs.items()))

    relations = [
        fact(zone, "implements", campaign, zone_doc, LAUNCH),
        fact(zone, "cooperatesWith", company, zone_doc, SIGNING, amount="10亿", date="5月12日"),
        fact(company, "participatesIn", park, zone_doc, PARK),
        fact(park, "locatedIn", zone, zone_doc, PARK),
        fact(zone, "participatesIn", centre, zone_doc, GROUNDBREAKING),
        fact(zone, "locatedIn", city, zone_doc, SIGNING),
        fact(town, "locatedIn", zone, zone_doc, VILLAGE),
        fact(village, "locatedIn", town, zone_doc, VILLAGE),
        fact(hitech, "locatedIn", city, hitech_doc, ROLE),
        fact(committee, "locatedIn", hitech, hitech_doc, ROLE),
        fact(person, "holdsPosition", committee, hitech_doc, ROLE, role="党工委书记"),
        fact(hitech, "recognizedAs", None, hitech_doc, TALENT, value="省级人才改革试验区"),
        fact(hitech, "implements", conversion, hitech_doc, CONVERSION),
    ]
    entities = [zone, hitech, city, town, village, campaign, conversion, company, park, centre, committee, person]
    return Corpus(documents=both, entities=entities, relations=relations)
