"""kg.relations on sentences written for the tests (no seed names): one case per signal."""

from __future__ import annotations

import re

import pytest

from kg.model import Document, EntityType, Mention, RelationCandidate, Sentence
from kg.relations import extract_relations, lexicon

Names = list[tuple[str, EntityType]]


def make_document(text: str, title: str = "") -> Document:
    """Sentences end at 。！？ or a line end, as the corpus stage cuts them."""
    sentences = []
    for match in re.finditer(r"[^。！？\n]+[。！？]?", text):
        if match.group().strip():
            sentences.append(Sentence(len(sentences), match.start(), match.end(), match.group()))
    return Document(id="case.txt", path="case.txt", text=text, title=title, sentences=tuple(sentences))


def make_mentions(document: Document, names: Names) -> list[Mention]:
    """Every occurrence of each name, longest first, not overlapping, quotation marks skipped
    (“放管服”改革 is the mention 放管服改革 over the quoted span), as an extractor gives them."""
    kept = [i for i, c in enumerate(document.text) if c not in "“”《》"]
    flat = "".join(document.text[i] for i in kept)
    taken = [False] * len(flat)
    mentions = []
    for name, type_ in sorted(names, key=lambda n: -len(n[0])):
        for match in re.finditer(re.escape(name), flat):
            if any(taken[match.start():match.end()]):
                continue
            taken[match.start():match.end()] = [True] * len(name)
            start, end = kept[match.start()], kept[match.end() - 1] + 1
            sentence = next(s for s in document.sentences if s.start <= start < s.end)
            mentions.append(Mention(name, start, end, type_, "test", document.id, sentence.index))
    return sorted(mentions, key=lambda m: m.start)


def relate(text: str, names: Names) -> list[RelationCandidate]:
    document = make_document(text)
    return extract_relations(document, [], make_mentions(document, names))


def triples(candidates: list[RelationCandidate]) -> set[tuple[str, str, str]]:
    return {(c.head.text, c.predicate, c.tail.text if c.tail else dict(c.attrs)["value"]) for c in candidates}


CASES = [
    # nested names: a village's branch in a village in a subdistrict in a zone
    ("nested chain",
     "杭州高新区长河街道江一村党支部积极开展活动。",
     [("杭州高新区", "Place"), ("长河街道", "Place"), ("江一村党支部", "Organization")],
     {("长河街道", "locatedIn", "杭州高新区"), ("江一村党支部", "locatedIn", "江一村"),
      ("江一村", "locatedIn", "长河街道"), ("杭州高新区", "locatedIn", "杭州")}),
    # a body named after a province-level bureau: partOf the bureau, the bureau in the province
    ("nested body",
     "浙江省地质勘查局第三地质大队承建了该工程。",
     [("浙江省地质勘查局第三地质大队", "Organization")],
     {("浙江省地质勘查局第三地质大队", "partOf", "浙江省地质勘查局"), ("浙江省地质勘查局", "locatedIn", "浙江省")}),
    ("research centre of a company",
     "绿源科技研发中心负责人王芳表示，将加大投入。",
     [("绿源科技研发中心", "Organization"), ("王芳", "Person")],
     {("绿源科技研发中心", "partOf", "绿源科技"), ("王芳", "holdsPosition", "绿源科技研发中心")}),
    ("branch named with its county",
     "宁波工程学院象山分院组织学生走进企业。",
     [("宁波工程学院象山分院", "Organization"), ("宁波", "Place")],
     {("宁波工程学院象山分院", "partOf", "宁波工程学院"), ("宁波工程学院象山分院", "locatedIn", "象山")}),
    ("parks listed as the zone's",
     "今年以来,长沙经开区聚焦主业。在现有星沙智造城、黄花临空产业园等园区的基础上,加快招商。",
     [("长沙经开区", "Place"), ("星沙智造城", "Place"), ("黄花临空产业园", "Project")],
     {("星沙智造城", "locatedIn", "长沙经开区"), ("黄花临空产业园", "locatedIn", "长沙经开区")}),
    ("a body founded by a place is in it",
     "本报讯(通讯员 甲乙)嘉兴经开区于2023年5月8日,在全省率先成立数字经济行业党建联盟。",
     [("嘉兴经开区", "Place"), ("数字经济行业党建联盟", "Organization")],
     {("数字经济行业党建联盟", "locatedIn", "嘉兴经开区")}),
    ("位于",
     "绿源科技产业园位于常州经开区。",
     [("绿源科技产业园", "Project"), ("常州经开区", "Place")],
     {("绿源科技产业园", "locatedIn", "常州经开区")}),
    ("落户",
     "动力电池项目落户宜宾临港经开区。",
     [("动力电池项目", "Project"), ("宜宾临港经开区", "Place")],
     {("动力电池项目", "locatedIn", "宜宾临港经开区")}),
    ("设在: an office is part of the bureau that houses it",
     "联席会议办公室设在区发展改革局，负责日常工作。",
     [("联席会议办公室", "Organization"), ("区发展改革局", "Organization")],
     {("联席会议办公室", "partOf", "区发展改革局")}),
    ("zone name before a list of projects",
     "中建三局将参与到武汉经开区智能网联汽车产业园、氢能产业园等项目建设中。",
     [("中建三局", "Organization"), ("武汉经开区", "Place"), ("智能网联汽车产业园", "Project"), ("氢能产业园", "Project")],
     {("智能网联汽车产业园", "locatedIn", "武汉经开区"), ("氢能产业园", "locatedIn", "武汉经开区"),
      ("中建三局", "participatesIn", "智能网联汽车产业园"), ("中建三局", "participatesIn", "氢能产业园")}),
    ("title and name",
     "苏州工业园区党工委书记张明主持会议。",
     [("苏州工业园区党工委", "Organization"), ("张明", "Person")],
     {("张明", "holdsPosition", "苏州工业园区党工委")}),
    ("list of posts",
     "市委常委、合肥高新区党工委书记李强出席活动。",
     [("市委", "Organization"), ("合肥高新区党工委", "Organization"), ("李强", "Person")],
     {("李强", "holdsPosition", "市委"), ("李强", "holdsPosition", "合肥高新区党工委")}),
    ("与…签订…协议",
     "3月8日，常州经开区与华通重工有限公司签订了20亿元战略合作协议。",
     [("常州经开区", "Place"), ("华通重工有限公司", "Organization")],
     {("常州经开区", "cooperatesWith", "华通重工有限公司")}),
    ("与A、B等合作: one relation per party",
     "宁波高新区持续深化与浙江大学、复旦大学等高校院所合作。",
     [("宁波高新区", "Place"), ("浙江大学", "Organization"), ("复旦大学", "Organization")],
     {("宁波高新区", "cooperatesWith", "浙江大学"), ("宁波高新区", "cooperatesWith", "复旦大学")}),
    ("A联合B开展",
     "团县委联合青禾志愿者协会开展“暖冬行动”。",
     [("团县委", "Organization"), ("青禾志愿者协会", "Organization"), ("暖冬行动", "Program")],
     {("团县委", "cooperatesWith", "青禾志愿者协会"), ("团县委", "implements", "暖冬行动"),
      ("青禾志愿者协会", "implements", "暖冬行动")}),
    ("会同 A、B: each is a partner",
     "区发展改革局了解情况后,由局长带领处室人员,会同区住房城乡建设局、区生态环境分局等部门组成服务小组。",
     [("区发展改革局", "Organization"), ("区住房城乡建设局", "Organization"), ("区生态环境分局", "Organization")],
     {("区发展改革局", "cooperatesWith", "区住房城乡建设局"), ("区发展改革局", "cooperatesWith", "区生态环境分局")}),
    ("subject + 实施 + program",
     "合肥高新区全面实施“科创十条”政策。",
     [("合肥高新区", "Place"), ("科创十条", "Program")],
     {("合肥高新区", "implements", "科创十条")}),
    ("获批: a list of companies gets the status",
     "培育优质企业，天能电池、超威动力等8家企业获批省级专精特新企业。",
     [("天能电池", "Organization"), ("超威动力", "Organization")],
     {("天能电池", "recognizedAs", "省级专精特新企业"), ("超威动力", "recognizedAs", "省级专精特新企业")}),
    ("获评",
     "东湖孵化基地获评省级创新创业示范综合体。",
     [("东湖孵化基地", "Organization")],
     {("东湖孵化基地", "recognizedAs", "省级创新创业示范综合体")}),
    ("获得 + quoted award with 、 inside",
     "萧山经开区去年获得全省“招大引强、招才引智突出贡献奖”。",
     [("萧山经开区", "Place")],
     {("萧山经开区", "recognizedAs", "全省“招大引强、招才引智突出贡献奖”")}),
    ("a zone hosting a competition runs it",
     "6月8日,昆山开发区举办第三届智能制造创新大赛。",
     [("昆山开发区", "Place"), ("智能制造创新大赛", "Program")],
     {("昆山开发区", "implements", "智能制造创新大赛")}),
    ("a status held, named by the policy it brings",
     "绵阳高新区召开大会。要用足用好国家知识产权示范园区试点区的政策，加强标准供给。",
     [("绵阳高新区", "Place")],
     {("绵阳高新区", "recognizedAs", "国家知识产权示范园区试点区")}),
    ("several statuses in one list",
     "据了解,明月村先后荣获全国文明村、全国乡村治理示范村等称号。",
     [("明月村", "Place")],
     {("明月村", "recognizedAs", "全国文明村"), ("明月村", "recognizedAs", "全国乡村治理示范村")}),
    ("relative clause: the body that builds the project",
     "湖北省地质局第四地质大队投资建设的应急救援中心项目，列入了全省重点工程。",
     [("湖北省地质局第四地质大队", "Organization"), ("应急救援中心项目", "Project")],
     {("湖北省地质局第四地质大队", "participatesIn", "应急救援中心项目"),
      ("应急救援中心项目", "recognizedAs", "全省重点工程")}),
    ("与A共同建立: the partner takes part too",
     "嘉兴经开区与浙江工业职业学院共同建立“产教融合实训基地”。",
     [("嘉兴经开区", "Place"), ("浙江工业职业学院", "Organization"), ("产教融合实训基地", "Project")],
     {("嘉兴经开区", "cooperatesWith", "浙江工业职业学院"), ("嘉兴经开区", "participatesIn", "产教融合实训基地"),
      ("浙江工业职业学院", "participatesIn", "产教融合实训基地")}),
    ("a project named after its body",
     "腾讯与该区深化合作。要依托腾讯云计算中心等项目，建设工业互联网平台。",
     [("腾讯", "Organization"), ("腾讯云计算中心", "Project")],
     {("腾讯", "participatesIn", "腾讯云计算中心")}),
    ("a corridor named after a road is in the zone, not in the road",
     "合肥高新区加快建设。要推动好“一带两廊”开发，两廊即望江路科技走廊、南淝河生态走廊。望江路车流不断。",
     [("合肥高新区", "Place"), ("望江路科技走廊", "Place"), ("南淝河生态走廊", "Place"), ("望江路", "Place")],
     {("望江路科技走廊", "locatedIn", "合肥高新区"), ("南淝河生态走廊", "locatedIn", "合肥高新区")}),
    ("a company named in full inside its project",
     "芜湖经开区加快发展。其中，奇瑞新能源汽车有限公司二期项目拟投资30亿元。",
     [("芜湖经开区", "Place"), ("奇瑞新能源汽车有限公司二期项目", "Project")],
     {("奇瑞新能源汽车有限公司", "participatesIn", "奇瑞新能源汽车有限公司二期项目")}),
    ("a company's short name before an industry word of its project",
     "长沙经开区加快发展。华星新能源电池项目拟投资20亿元，鼎盛智能装备产业园同步开工。",
     [("长沙经开区", "Place"), ("华星新能源电池项目", "Project"), ("鼎盛智能装备产业园", "Project")],
     {("华星", "participatesIn", "华星新能源电池项目"), ("鼎盛", "participatesIn", "鼎盛智能装备产业园")}),
    ("a company written right before its project",
     "湖南重型机械有限公司新能源矿卡生产线建设现场，工人们正在安装设备。",
     [("湖南重型机械有限公司", "Organization"), ("新能源矿卡生产线", "Project")],
     {("湖南重型机械有限公司", "participatesIn", "新能源矿卡生产线")}),
    ("双方 are the parties of the agreement; the park after 在 is the site",
     "5月6日，宜宾经开区管委会与宁德时代新能源科技股份有限公司签订合作协议，双方将在临港产业园共建动力电池零部件产业园。",
     [("宜宾经开区管委会", "Organization"), ("宁德时代新能源科技股份有限公司", "Organization"),
      ("临港产业园", "Project"), ("动力电池零部件产业园", "Project")],
     {("宜宾经开区管委会", "participatesIn", "动力电池零部件产业园"),
      ("宁德时代新能源科技股份有限公司", "participatesIn", "动力电池零部件产业园")}),
    ("projects that start their clause are the article's, not the last sentence's subject",
     "南昌高新区召开大会。\n南昌高新区发布规划。\n会上，南昌高新区管委会与20家企业签订协议；航空城二期、瑶湖科技港等15个项目集中开工。",
     [("南昌高新区", "Place"), ("南昌高新区管委会", "Organization"), ("航空城二期", "Project"), ("瑶湖科技港", "Project")],
     {("南昌高新区", "participatesIn", "航空城二期"), ("南昌高新区", "participatesIn", "瑶湖科技港")}),
    ("a body after a relative clause is the subject of its status",
     "长沙经开区加快发展。三一重工股份有限公司牵头建设的工程机械国家重点实验室，今年获批首批“揭榜挂帅”项目。",
     [("长沙经开区", "Place"), ("三一重工股份有限公司", "Organization"), ("工程机械国家重点实验室", "Organization")],
     {("工程机械国家重点实验室", "recognizedAs", "首批“揭榜挂帅”项目")}),
    ("获批…以来: the status ends before 以来",
     "中德宁波生态园获批国家级国际合作园区以来，已集聚德国企业百余家。",
     [("中德宁波生态园", "Place")],
     {("中德宁波生态园", "recognizedAs", "国家级国际合作园区")}),
    ("a rank in an assessment is a status",
     "昆山开发区召开大会。\n昆山开发区连续5年在全国经开区综合发展水平考核评价中位列第三。",
     [("昆山开发区", "Place")],
     {("昆山开发区", "recognizedAs", "全国经开区综合发展水平考核评价第三")}),
    ("the bodies listed after an honour named hold it",
     "大会还表彰了2023年度“开发区创新二十强企业”，华星光电、鼎盛机械等企业榜上有名。",
     [("华星光电", "Organization"), ("鼎盛机械", "Organization")],
     {("华星光电", "recognizedAs", "开发区创新二十强企业"), ("鼎盛机械", "recognizedAs", "开发区创新二十强企业")}),
    ("落实省委“…”: the subject adopts the program",
     "今年以来，宜宾经开区坚决落实省委“制造强省”部署。",
     [("宜宾经开区", "Place"), ("省委", "Organization"), ("制造强省", "Program")],
     {("宜宾经开区", "implements", "制造强省")}),
    ("全省“…”体系: the province's program",
     "浙江省召开会议。\n园区要在全省“415X”产业集群建设中扛起重任。",
     [("浙江省", "Place"), ("415X产业集群", "Program")],
     {("浙江省", "implements", "415X产业集群")}),
    ("a party secretary's speech: the zone acts",
     "南昌高新区召开大会。\n南昌高新区党工委书记刘强说，要深化与南昌大学、江西财经大学的合作。",
     [("南昌高新区", "Place"), ("南昌高新区党工委", "Organization"), ("刘强", "Person"),
      ("南昌大学", "Organization"), ("江西财经大学", "Organization")],
     {("南昌高新区", "cooperatesWith", "南昌大学"), ("南昌高新区", "cooperatesWith", "江西财经大学")}),
    ("A与B两国: the name before 与 is the party",
     "作为中国与德国两国政府间的合作项目，中德生态园迎来十周年。",
     [("中国", "Place"), ("德国", "Place"), ("中德生态园", "Place")],
     {("中国", "cooperatesWith", "德国")}),
    ("a project moves into a park being built",
     "南昌高新区加快发展。\n其中，华星光电研发总部项目拟投资40亿元，将落户瑶湖科技园二期产业园。",
     [("南昌高新区", "Place"), ("华星光电研发总部项目", "Project"), ("瑶湖科技园二期产业园", "Project")],
     {("华星光电研发总部项目", "locatedIn", "瑶湖科技园二期产业园")}),
    ("落户X的Y项目: Y is in X",
     "落户南昌航空城的洪都教练机产业化项目计划总投资35亿元。",
     [("南昌航空城", "Place"), ("洪都教练机产业化项目", "Project")],
     {("洪都教练机产业化项目", "locatedIn", "南昌航空城")}),
    ("在X共建Y: the park after 在 holds the new one",
     "宜宾经开区管委会与宁德时代签订合作协议，双方将在临港产业园共建电池零部件产业园。",
     [("宜宾经开区管委会", "Organization"), ("宁德时代", "Organization"), ("临港产业园", "Project"),
      ("电池零部件产业园", "Project")],
     {("电池零部件产业园", "locatedIn", "临港产业园")}),
    ("甲、乙等办事处 are the zone's sub-districts",
     "长沙临空经济综合实验区召开大会。\n黄花、榔梨等办事处的12个安置区相继交付。",
     [("长沙临空经济综合实验区", "Place"), ("黄花", "Place"), ("榔梨", "Place")],
     {("黄花", "locatedIn", "长沙临空经济综合实验区"), ("榔梨", "locatedIn", "长沙临空经济综合实验区")}),
    ("X项目在Y投产: the project opening the clause is sited",
     "11月8日，华星光电二期项目在南昌航空城正式投产。",
     [("华星光电二期项目", "Project"), ("南昌航空城", "Place")],
     {("华星光电二期项目", "locatedIn", "南昌航空城")}),
    ("the companies a place draws in are in it",
     "武汉光谷生物城引进药明康德、华大基因等创新药企。",
     [("武汉光谷生物城", "Place"), ("药明康德", "Organization"), ("华大基因", "Organization")],
     {("药明康德", "locatedIn", "武汉光谷生物城"), ("华大基因", "locatedIn", "武汉光谷生物城")}),
    ("a body held by another is part of it",
     "湖南高速投资集团有限公司控股的长沙临空物流有限公司已开通航线19条。",
     [("湖南高速投资集团有限公司", "Organization"), ("长沙临空物流有限公司", "Organization")],
     {("长沙临空物流有限公司", "partOf", "湖南高速投资集团有限公司")}),
    ("a lab built by a body is its project",
     "三一重工股份有限公司牵头建设的工程机械国家重点实验室获批立项。",
     [("三一重工股份有限公司", "Organization"), ("工程机械国家重点实验室", "Organization")],
     {("三一重工股份有限公司", "participatesIn", "工程机械国家重点实验室")}),
    ("X区域的A、B: the area holds them",
     "光谷区域的高新大道、光谷大道沿线将新增商业面积。",
     [("光谷", "Place"), ("高新大道", "Place"), ("光谷大道", "Place")],
     {("高新大道", "locatedIn", "光谷"), ("光谷大道", "locatedIn", "光谷")}),
    ("a park named as a site is the zone's",
     "宜宾经开区召开大会。\n宜宾经开区管委会与宁德时代签订合作协议，双方将在临港生态产业园共建电池零部件产业园。",
     [("宜宾经开区", "Place"), ("宜宾经开区管委会", "Organization"), ("宁德时代", "Organization"),
      ("临港生态产业园", "Project"), ("电池零部件产业园", "Project")],
     {("临港生态产业园", "locatedIn", "宜宾经开区")}),
    ("communities that set up a station host it",
     "洪山区召开会议。珞南社区、卓刀泉社区还设立了“人才服务站”，为人才提供服务。",
     [("洪山区", "Place"), ("珞南社区", "Place"), ("卓刀泉社区", "Place"), ("人才服务站", "Project")],
     {("人才服务站", "locatedIn", "珞南社区"), ("人才服务站", "locatedIn", "卓刀泉社区")}),
    ("a department listed after its committee",
     "县委常委、宣传部部长赵刚出席仪式。",
     [("县委", "Organization"), ("宣传部", "Organization"), ("赵刚", "Person")],
     {("宣传部", "partOf", "县委"), ("赵刚", "holdsPosition", "宣传部"), ("赵刚", "holdsPosition", "县委")}),
]


@pytest.mark.parametrize(("text", "names", "expected"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_signal(text: str, names: Names, expected: set[tuple[str, str, str]]) -> None:
    found = triples(relate(text, names))
    assert expected <= found, f"missing {expected - found}; found {found}"


NOT_RELATED = [
    ("a city name inside a company name does not site the company",
     "杭州华顺电器集团投资建设新厂。", [("杭州华顺电器集团", "Organization"), ("杭州", "Place")], "locatedIn", None),
    ("a company's legal form is not a container", "华通重工有限公司扩大生产。华通重工订单饱满。",
     [("华通重工有限公司", "Organization"), ("华通重工", "Organization")], "partOf", None),
    ("获得感 is no award", "绍兴柯桥区让群众获得感不断增强。", [("绍兴柯桥区", "Place")], "recognizedAs", None),
    ("unnamed units get no status", "常州经开区狠抓培育。8家获批省级瞪羚企业。", [("常州经开区", "Place")], "recognizedAs", None),
    ("an unnamed unit's status is not its zone's", "常州经开区加快发展。常州经开区“众创”孵化基地获评省级示范基地。",
     [("常州经开区", "Place")], "recognizedAs", None),
    ("分获: shared out among unnamed entries", "南湖区的两个项目分获特等奖、三等奖。", [("南湖区", "Place")],
     "recognizedAs", None),
    ("an entrant does not run the competition",
     "昆山开发区加快创新。2022年第五届“创客中国”创新创业大赛中,来自昆山开发区的两个项目分获一等奖、二等奖。",
     [("昆山开发区", "Place"), ("创客中国创新创业大赛", "Program")], "implements", None),
    ("a law is the state's", "昆山开发区加强法治教育。加大对劳动合同法的宣传力度。",
     [("昆山开发区", "Place"), ("劳动合同法", "Program")], "implements", None),
    ("a community in a list of works is no doer",
     "常州经开区加快城市建设。东部片区基本建成，江南社区即将上房，锦绣花园等项目加快推进。",
     [("常州经开区", "Place"), ("江南社区", "Place"), ("锦绣花园", "Project")], "participatesIn", "江南社区"),
    ("a company's project is the company's, not the zone's",
     "芜湖经开区加快发展。其中，奇瑞新能源汽车有限公司二期项目拟投资30亿元。",
     [("芜湖经开区", "Place"), ("奇瑞新能源汽车有限公司二期项目", "Project")], "participatesIn", "芜湖经开区"),
    ("a generic or place word before an industry word names no owner",
     "苏州工业园区召开大会。国际人工智能创新港、独墅湖科技园智能制造产业园同步启动建设。",
     [("苏州工业园区", "Place"), ("国际人工智能创新港", "Project"), ("独墅湖科技园智能制造产业园", "Project")],
     "participatesIn", "国际"),
    ("the body whose program is adopted does not implement it here",
     "今年以来，宜宾经开区坚决落实省委“制造强省”部署。",
     [("宜宾经开区", "Place"), ("省委", "Organization"), ("制造强省", "Program")], "implements", "省委"),
    ("an unnamed party joined by 和…两国 leaves the zone out",
     "作为中国和德国两国政府间的合作项目，中德生态园迎来十周年。",
     [("德国", "Place"), ("中德生态园", "Place")], "cooperatesWith", None),
    ("a project named as a status is no work",
     "长沙经开区加快发展。\n长沙经开区今年获批首批“揭榜挂帅”项目。",
     [("长沙经开区", "Place"), ("揭榜挂帅项目", "Project")], "participatesIn", None),
    ("the park a project moves into is its site, not a work",
     "南昌高新区加快发展。\n其中，华星光电研发总部项目拟投资40亿元，将落户瑶湖科技园二期。",
     [("南昌高新区", "Place"), ("华星光电研发总部项目", "Project"), ("瑶湖科技园二期", "Project")],
     "participatesIn", "南昌高新区"),
    ("a verb before a name makes it no subject",
     "宁海经开区狠抓创新。宁海经开区召开大会。加快华光科技等平台培育，推进“引才+育才”工程。",
     [("宁海经开区", "Place"), ("华光科技", "Organization"), ("引才+育才工程", "Program")], "implements", "华光科技"),
]


@pytest.mark.parametrize(("text", "names", "predicate", "head"), [c[1:] for c in NOT_RELATED],
                         ids=[c[0] for c in NOT_RELATED])
def test_no_relation(text: str, names: Names, predicate: str, head: str | None) -> None:
    assert not [c for c in relate(text, names) if c.predicate == predicate and head in (None, c.head.text)]


def test_a_citys_new_area_is_the_articles_zone() -> None:
    text = ("本报讯(通讯员 陈某)杭州钱塘新区全面实施“双提升”行动。\n"
            "新区党工委副书记、管委会主任王建国表示，要持续开展“企业服务月”活动。\n"
            "该区下沙街道七格社区党委推行“邻里帮”服务模式。")
    found = triples(relate(text, [
        ("杭州钱塘新区", "Place"), ("新区党工委", "Organization"), ("管委会", "Organization"), ("王建国", "Person"),
        ("下沙街道", "Place"), ("七格社区党委", "Organization"), ("双提升行动", "Program"),
        ("企业服务月活动", "Program"), ("邻里帮服务模式", "Program")]))
    assert {("杭州钱塘新区", "implements", "双提升行动"), ("新区党工委", "locatedIn", "杭州钱塘新区"),
            ("管委会", "locatedIn", "杭州钱塘新区"), ("下沙街道", "locatedIn", "杭州钱塘新区"),
            ("七格社区", "locatedIn", "下沙街道"), ("七格社区党委", "locatedIn", "七格社区"),
            ("管委会", "implements", "企业服务月活动"), ("七格社区党委", "implements", "邻里帮服务模式"),
            ("王建国", "holdsPosition", "管委会"), ("王建国", "holdsPosition", "新区党工委")} <= found
    assert ("七格社区", "locatedIn", "杭州钱塘新区") not in found


def test_the_park_named_after_zai_is_no_work_of_the_parties() -> None:
    found = triples(relate("宜宾经开区管委会与宁德时代签订合作协议，双方将在临港产业园共建电池产业园。",
                           [("宜宾经开区管委会", "Organization"), ("宁德时代", "Organization"),
                            ("临港产业园", "Project"), ("电池产业园", "Project")]))
    assert ("宁德时代", "participatesIn", "电池产业园") in found
    assert not {t for t in found if t[1] == "participatesIn" and t[2] == "临港产业园"}


def test_roads_reported_as_works_are_the_zones() -> None:
    text = "长沙经开区召开大会。\n今年，长沙经开区新建道路30公里，东六路、漓湘大道实现贯通。\n交警加强对螺丝塘路的巡逻。"
    found = triples(relate(text, [("长沙经开区", "Place"), ("东六路", "Place"), ("漓湘大道", "Place"),
                                  ("螺丝塘路", "Place")]))
    assert {("东六路", "locatedIn", "长沙经开区"), ("漓湘大道", "locatedIn", "长沙经开区")} <= found
    assert ("螺丝塘路", "locatedIn", "长沙经开区") not in found  # a road named as a site of patrols


def test_a_district_written_as_one_with_its_zone_owns_its_bodies_and_subdistricts() -> None:
    text = ("萧山区 杭州萧山经开区\n本报讯 萧山区、杭州萧山经开区加快发展。\n区投资促进局推行“拿地即开工”。"
            "区委、区政府出台新政。宁围街道、新街街道推进旧改。萧山经开区管委会召开会议。")
    found = triples(relate(text, [("萧山区", "Place"), ("杭州萧山经开区", "Place"), ("萧山经开区管委会", "Organization"),
                                  ("区投资促进局", "Organization"), ("区委", "Organization"), ("区政府", "Organization"),
                                  ("宁围街道", "Place"), ("新街街道", "Place")]))
    assert {("区投资促进局", "locatedIn", "萧山区"), ("区委", "locatedIn", "萧山区"), ("区政府", "locatedIn", "萧山区"),
            ("宁围街道", "locatedIn", "萧山区"), ("新街街道", "locatedIn", "萧山区")} <= found
    assert ("区委", "locatedIn", "杭州萧山经开区") not in found


def test_what_an_official_says_has_its_own_anaphor() -> None:
    """区投资促进局局长X说，全区新签约…，其中A项目: 全区 signed, not the speaker's bureau; in a district
    that is also a zone, 全区 is the district."""
    text = ("萧山区 杭州萧山经开区\n本报讯 萧山区、杭州萧山经开区加快发展。\n"
            "区投资促进局局长王平说，全区今年新签约项目120个，其中钱塘港物流园、湘湖文旅综合体等8个项目投资额超过10亿元。")
    found = triples(relate(text, [("萧山区", "Place"), ("杭州萧山经开区", "Place"), ("区投资促进局", "Organization"),
                                  ("王平", "Person"), ("钱塘港物流园", "Project"), ("湘湖文旅综合体", "Project")]))
    assert {("萧山区", "participatesIn", "钱塘港物流园"), ("萧山区", "participatesIn", "湘湖文旅综合体")} <= found
    assert ("区投资促进局", "participatesIn", "钱塘港物流园") not in found


def test_a_citys_name_brands_an_area_it_does_not_site_it() -> None:
    found = triples(relate("绵阳高新区加快发展。绵阳科技城引进多家企业。绵阳国际机场扩建。绵阳市出台新政。",
                           [("绵阳高新区", "Place"), ("绵阳科技城", "Place"), ("绵阳国际机场", "Place"), ("绵阳市", "Place")]))
    assert ("绵阳高新区", "locatedIn", "绵阳") in found  # a zone is sited by its city's name
    assert not {t for t in found if t[0] in ("绵阳科技城", "绵阳国际机场") and t[2].startswith("绵阳")}


def test_shi_wei_is_the_city_named_only_inside_longer_names() -> None:
    document = make_document("市委常委、绵阳高新区党工委书记刘强出席会议。")
    mentions = make_mentions(document, [("市委", "Organization"), ("绵阳高新区党工委", "Organization"), ("刘强", "Person")])
    inner = Mention("绵阳", 5, 7, "Place", "test", document.id, 0)  # the extractor's nested name
    assert document.text[inner.start:inner.end] == "绵阳"
    found = triples(extract_relations(document, [], sorted([*mentions, inner], key=lambda m: (m.start, -m.end))))
    assert ("市委", "locatedIn", "绵阳") in found


def test_a_lake_before_a_list_holds_no_subdistrict_of_it() -> None:
    found = triples(relate("苏州工业园区召开大会。推动金鸡湖度假区、斜塘街道联动发展。",
                           [("苏州工业园区", "Place"), ("金鸡湖", "Place"), ("度假区", "Place"), ("斜塘街道", "Place")]))
    assert ("斜塘街道", "locatedIn", "金鸡湖") not in found and ("斜塘街道", "locatedIn", "苏州工业园区") in found


def test_a_branch_named_with_its_town_and_sited_in_the_innermost_place() -> None:
    text = "顺德区大良街道加快发展。广东顺德职业技术学院大良分院坐落于顺德区大良街道。"
    found = triples(relate(text, [("顺德区", "Place"), ("大良街道", "Place"),
                                  ("广东顺德职业技术学院大良分院", "Organization")]))
    assert {("广东顺德职业技术学院大良分院", "partOf", "广东顺德职业技术学院"),
            ("广东顺德职业技术学院大良分院", "locatedIn", "大良街道"), ("大良街道", "locatedIn", "顺德区")} <= found
    assert ("广东顺德职业技术学院大良分院", "locatedIn", "顺德区") not in found


def test_a_town_is_not_sited_in_its_village() -> None:
    found = triples(relate("唐昌街道综合文化站位于唐昌街道战旗村。",
                           [("唐昌街道", "Place"), ("战旗村", "Place")]))
    assert ("唐昌街道", "locatedIn", "战旗村") not in found
    assert ("战旗村", "locatedIn", "唐昌街道") in found


def test_a_town_sited_once_by_the_text_is_not_sited_by_the_article() -> None:
    found = triples(relate("佛山高新区加快发展。南海区狮山镇积极作为。狮山镇推行“一网通办”。",
                           [("佛山高新区", "Place"), ("南海区", "Place"), ("狮山镇", "Place"), ("一网通办", "Program")]))
    assert ("狮山镇", "locatedIn", "南海区") in found and ("狮山镇", "locatedIn", "佛山高新区") not in found


def test_a_road_is_no_container() -> None:
    found = relate("合肥高新区加快建设。望江路科技走廊初具规模。望江路车流不断。",
                   [("合肥高新区", "Place"), ("望江路科技走廊", "Place"), ("望江路", "Place")])
    assert ("望江路科技走廊", "locatedIn", "合肥高新区") in triples(found)
    assert ("望江路科技走廊", "locatedIn", "望江路") not in triples(found)


def test_market_bureau_is_no_city_body() -> None:
    """市场服务中心 starts with 市场, not with the bare level word 市: the county's unit, not the city's."""
    found = relate("宁波市宁海县召开大会。市场服务中心开展检查。",
                   [("宁波市", "Place"), ("宁海县", "Place"), ("市场服务中心", "Organization")])
    assert ("市场服务中心", "locatedIn", "宁海县") in triples(found)
    assert not [c for c in found if c.rule.startswith("bare-level")]


def test_agreement_keeps_amount_and_date() -> None:
    found = relate("3月8日，常州经开区与华通重工有限公司签订了20亿元战略合作协议。",
                   [("常州经开区", "Place"), ("华通重工有限公司", "Organization")])
    (agreement,) = [c for c in found if c.predicate == "cooperatesWith"]
    assert dict(agreement.attrs) == {"amount": "20亿元", "date": "3月8日"}
    assert agreement.sentence.text.startswith("3月8日") and agreement.rule.startswith("cooperate:与")


def test_positions_keep_their_role() -> None:
    found = relate("市委副书记、合肥高新区党工委书记李强出席。宏远集团办公室主任周敏介绍情况。",
                   [("市委", "Organization"), ("合肥高新区党工委", "Organization"), ("李强", "Person"),
                    ("宏远集团", "Organization"), ("周敏", "Person")])
    roles = {(c.head.text, c.tail.text): dict(c.attrs)["role"] for c in found if c.predicate == "holdsPosition"}
    assert roles == {("李强", "市委"): "市委副书记", ("李强", "合肥高新区党工委"): "党工委书记",
                     ("周敏", "宏远集团"): "办公室主任"}


@pytest.mark.parametrize("space", [" ", "\t", "\u3000", "\xa0", "\u2002"])
def test_spaces_between_a_body_and_a_title_are_skipped(space: str) -> None:
    found = relate(f"宏远集团{space}办公室{space}主任{space}周敏介绍情况。",
                   [("宏远集团", "Organization"), ("周敏", "Person")])
    roles = {(c.head.text, c.tail.text): dict(c.attrs)["role"] for c in found if c.predicate == "holdsPosition"}
    assert roles == {("周敏", "宏远集团"): "办公室主任"}


def test_byline_under_the_papers_name() -> None:
    text = "湖湘晚报·湘江新闻\n通讯员 周敏\n今年以来,长沙经开区加快发展。"
    found = relate(text, [("湖湘晚报", "Organization"), ("湘江新闻", "Organization"), ("周敏", "Person"),
                          ("长沙经开区", "Place")])
    positions = {(c.head.text, c.tail.text, dict(c.attrs)["role"]) for c in found if c.predicate == "holdsPosition"}
    assert positions == {("周敏", "湖湘晚报", "通讯员")}


def test_left_out_subject_is_the_articles_main_actor() -> None:
    text = ("南京江宁开发区召开高质量发展大会。\n南京江宁开发区将打造先进制造业集群。\n"
            "要深入推进“放管服”改革，持续开展“企业服务月”活动。")
    found = relate(text, [("南京江宁开发区", "Place"), ("放管服改革", "Program"), ("企业服务月活动", "Program")])
    assert {("南京江宁开发区", "implements", "放管服改革"), ("南京江宁开发区", "implements", "企业服务月活动")} <= triples(found)
    assert all(c.rule.endswith("main-actor") for c in found if c.predicate == "implements")


@pytest.mark.parametrize("zone", ["无锡工业园区", "长沙临空经济综合实验区"])
def test_a_zone_named_without_a_zone_word_is_the_main_actor(zone: str) -> None:
    """工业园区 (after a city) and 实验区 are zones: the article's actor, not the 街道 it names."""
    text = (f"{zone}召开大会。\n{zone}发布三年规划。\n"
            "推动梅村街道、鸿山街道联动发展，深入推进“智改数转”行动。")
    found = triples(relate(text, [(zone, "Place"), ("梅村街道", "Place"), ("鸿山街道", "Place"),
                                  ("智改数转行动", "Program")]))
    assert (zone, "implements", "智改数转行动") in found
    assert ("梅村街道", "locatedIn", zone) in found


def test_a_zone_without_a_zone_word_in_the_headline_beats_its_city() -> None:
    text = ("天府空港新城打好三大战役\n本报讯 成都召开大会。成都市出台新政。\n要持续推进“公园城市”建设。")
    found = triples(relate(text, [("天府空港新城", "Place"), ("成都", "Place"), ("成都市", "Place"),
                                  ("公园城市", "Program")]))
    assert ("天府空港新城", "implements", "公园城市") in found
    assert ("成都", "implements", "公园城市") not in found


def test_anaphor_names_the_last_town() -> None:
    text = "柯桥区湖塘街道积极作为。\n工作人员深入一线。该街道推行“网格连心”工作法。"
    found = relate(text, [("柯桥区", "Place"), ("湖塘街道", "Place"), ("网格连心工作法", "Program")])
    assert ("湖塘街道", "implements", "网格连心工作法") in triples(found)


def test_bare_level_body_is_in_the_articles_town() -> None:
    text = "桐乡市乌镇扎实做好安全生产。镇综治办组织开展消防演练。"
    found = relate(text, [("桐乡市", "Place"), ("乌镇", "Place"), ("镇综治办", "Organization")])
    assert ("镇综治办", "locatedIn", "乌镇") in triples(found)


def test_each_article_of_a_page_has_its_own_actor() -> None:
    text = ("本报讯(通讯员 甲乙)海曙区南门街道推行“红色物业”模式。\n要持续开展“邻里节”活动。\n"
            "北仑区大碶街道举办座谈会\n"
            "本报讯(通讯员 丙丁)北仑区大碶街道召开会议。\n要全面推进“微改造”行动。")
    names: Names = [("海曙区", "Place"), ("南门街道", "Place"), ("北仑区", "Place"), ("大碶街道", "Place"),
                    ("红色物业模式", "Program"), ("邻里节活动", "Program"), ("微改造行动", "Program")]
    found = triples(relate(text, names))
    assert ("南门街道", "implements", "邻里节活动") in found
    assert ("大碶街道", "implements", "微改造行动") in found
    assert ("南门街道", "implements", "微改造行动") not in found


@pytest.mark.parametrize("dateline", ["本报讯(通讯员 丙丁)", "新华社宁波9月3日电（记者 丙丁）", "甬江日报讯(通讯员 丙丁)"])
def test_datelines_of_other_papers_start_articles(dateline: str) -> None:
    text = ("本报讯(通讯员 甲乙)海曙区南门街道推行“红色物业”模式。\n要持续开展“邻里节”活动。\n"
            f"{dateline}北仑区大碶街道召开会议。\n要全面推进“微改造”行动。")
    names: Names = [("海曙区", "Place"), ("南门街道", "Place"), ("北仑区", "Place"), ("大碶街道", "Place"),
                    ("红色物业模式", "Program"), ("邻里节活动", "Program"), ("微改造行动", "Program")]
    found = triples(relate(text, names))
    assert ("大碶街道", "implements", "微改造行动") in found and ("南门街道", "implements", "邻里节活动") in found


def test_dateline_names_the_city_of_bare_city_bodies() -> None:
    found = triples(relate("新华社宁波9月3日电（记者 丙丁）市委召开会议。", [("市委", "Organization")]))
    assert ("市委", "locatedIn", "宁波") in found


def test_derived_mentions_point_at_their_text() -> None:
    document = make_document("杭州高新区长河街道江一村党支部积极开展活动。")
    mentions = make_mentions(document, [("杭州高新区", "Place"), ("长河街道", "Place"), ("江一村党支部", "Organization")])
    found = extract_relations(document, [], mentions)
    derived = [m for c in found for m in (c.head, c.tail) if m is not None and m.rule.startswith("nested:")]
    assert {m.text for m in derived} >= {"江一村", "杭州"}
    for m in derived:
        assert document.text[m.start:m.end] == m.text


def test_every_candidate_has_its_sentence_and_rule() -> None:
    text = "3月8日，常州经开区与华通重工有限公司签订了20亿元战略合作协议。\n绿源科技产业园位于常州经开区。"
    document = make_document(text)
    found = extract_relations(document, [], make_mentions(document, [
        ("常州经开区", "Place"), ("华通重工有限公司", "Organization"), ("绿源科技产业园", "Project")]))
    assert found
    for c in found:
        assert c.rule and c.doc_id == "case.txt"
        assert document.text[c.sentence.start:c.sentence.end] == c.sentence.text
        assert c.head.start >= 0 and (c.tail is None or c.tail.start >= 0)


def test_lexicon_has_every_trigger_list() -> None:
    lex = lexicon()
    for key in ("implements_triggers", "participates_triggers", "locate_triggers", "recognition_triggers",
                "cooperate_verbs", "joint_verbs"):
        assert lex[key], key
    assert "负责人" in lex.titles and lex.titles["局长"] == "局"
