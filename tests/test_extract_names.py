"""Organization, Place and Person rules on sentences written for these tests (other provinces).

Each case runs the real LAC tagger and the real extractor; the names expected are what the
annotation guidelines (tests/gold/GUIDELINES.md) count as entities.
"""

from __future__ import annotations

import pytest

from kg.extract import resolve_overlaps, title_spans
from kg.extract.names import extract_names, head_of, is_generic, is_person_name
from kg.model import Document, Mention, Sentence
from kg.nlp import get_tagger


@pytest.fixture(scope="module")
def tagger():
    return get_tagger("lac")


def names_of(tagger, text: str, bylines: tuple[tuple[str, str, int, int], ...] = ()) -> set[tuple[str, str]]:
    document = Document(id="t.txt", path="t.txt", text=text, sentences=(Sentence(0, 0, len(text), text),),
                        byline_mentions=bylines, bylines=tuple(b[0] for b in bylines))
    mentions = resolve_overlaps(extract_names(document, tagger.tag(document.sentences)), titles=title_spans(text))
    for m in mentions:  # offsets point at the surface text
        assert text[m.start:m.end].replace("“", "").replace("”", "") == m.text
    return {(m.type, m.text) for m in mentions}


@pytest.mark.parametrize("text, expected", [
    # a zone, its governing body and the city it starts with (Sichuan)
    ("成都高新区党工委书记李明华出席会议并讲话。",
     {("Place", "成都"), ("Place", "成都高新区"), ("Organization", "成都高新区党工委"), ("Person", "李明华")}),
    # a department named with its city (Shaanxi)
    ("西安市市场监管局近日发布通知。", {("Place", "西安市"), ("Organization", "西安市市场监管局")}),
    # a zone's committee and a company with its province (Anhui)
    ("合肥经开区管委会与安徽省投资集团有限公司签订战略合作协议。",
     {("Place", "合肥经开区"), ("Organization", "合肥经开区管委会"), ("Organization", "安徽省投资集团有限公司"),
      ("Place", "安徽省")}),
    # a hospital inside a university; a district of a city (Henan)
    ("四川大学华西医院专家团队来到郑州市金水区开展义诊。",
     {("Organization", "四川大学"), ("Organization", "四川大学华西医院"), ("Place", "郑州市"), ("Place", "金水区")}),
    # a chain of places, the party committee keeps only its own community (Jiangsu)
    ("南京市江宁区东山街道佘村社区党委组织志愿者清理河道。",
     {("Place", "南京市"), ("Place", "江宁区"), ("Place", "东山街道"), ("Place", "佘村社区"),
      ("Organization", "佘村社区党委")}),
    # title + name, roads (Sichuan)
    ("公司负责人王建国介绍,项目位于天府大道与益州大道交汇处。",
     {("Person", "王建国"), ("Place", "天府大道"), ("Place", "益州大道")}),
    # numbered roads, a river, a town in a county (Shaanxi)
    ("沿G310和S312向东,经洛河进入宝鸡市陈仓区虢镇。",
     {("Place", "G310"), ("Place", "S312"), ("Place", "洛河"), ("Place", "宝鸡市"), ("Place", "陈仓区"),
      ("Place", "虢镇")}),
    # a verb glued to a company by the tagger; a sub-district office (Guangdong)
    ("深圳市龙岗区坂田街道办事处联合华为技术有限公司开展培训。",
     {("Place", "深圳市"), ("Place", "龙岗区"), ("Place", "坂田街道"), ("Organization", "坂田街道办事处"),
      ("Organization", "华为技术有限公司")}),
    # a town government inside a county name chain (Guangdong)
    ("佛山市顺德区北滘镇政府与美的集团共建产业园。",
     {("Place", "佛山市"), ("Place", "顺德区"), ("Place", "北滘镇"), ("Organization", "北滘镇政府"),
      ("Organization", "美的集团")}),
    # an area word continuing a river (Henan)
    ("在黄河滩区迁建社区举行交房仪式。", {("Place", "黄河"), ("Place", "黄河滩区")}),
    # areas of a new district, one named after a road (Anhui)
    ("六大片区即北城片区、三岗片区,一廊即金寨路科技走廊。",
     {("Place", "北城片区"), ("Place", "三岗片区"), ("Place", "金寨路"), ("Place", "金寨路科技走廊")}),
    # a quoted alliance name keeps its words without the marks (Jiangsu)
    ("苏州工业园区成立“苏心”服务联盟,为企业解决难题。", {("Organization", "苏心服务联盟")}),
    # an organization inside a longer one, the province first (Shandong, outside Jining)
    ("山东省地矿局第一地质大队承担勘查任务。",
     {("Place", "山东省"), ("Organization", "山东省地矿局"), ("Organization", "山东省地矿局第一地质大队")}),
    # a region word that LAC may tag as a person (Anhui)
    ("带动皖北加快承接产业转移。", {("Place", "皖北")}),
    ("皖北地区加快承接产业转移。", {("Place", "皖北地区")}),
    # a bare body with a unit head after it (Guangxi)
    ("县扶贫办党委组织党员学习。", {("Organization", "县扶贫办党委")}),
    # the company a research centre belongs to (Zhejiang)
    ("海康威视研发中心负责人介绍了新产品。", {("Organization", "海康威视"), ("Organization", "海康威视研发中心")}),
    # a county named with its city; its bare short name then counts too (Shandong, outside Jining)
    ("滨州市惠民县推进惠民政策。", {("Place", "滨州市"), ("Place", "惠民县")}),
    # a quoted core before the head, whatever the tags inside the quotes (Zhejiang)
    ("去年,“惠企服务”联盟帮助企业解决难题。", {("Organization", "惠企服务联盟")}),
    # a park that the tagger names as a place (Shanghai)
    ("参照张江科技园模式,组建专门团队。", {("Place", "张江科技园")}),
    # a zone named after a lake, inside its committee's name (Guangdong)
    ("东莞松山湖高新区党工委委员、管委会副主任赵卫东出席。",
     {("Place", "东莞"), ("Place", "东莞松山湖高新区"), ("Organization", "东莞松山湖高新区党工委"),
      ("Organization", "管委会"), ("Person", "赵卫东")}),
    # an industrial park zone and its committee in one token (Jiangsu)
    ("总经理陈晓东介绍,苏州工业园区管委会给予了大力支持。",
     {("Person", "陈晓东"), ("Place", "苏州工业园区"), ("Organization", "苏州工业园区管委会")}),
    # a full chain of divisions down to a town government (Jiangsu)
    ("江苏省南通市如东县洋口镇人民政府与中天钢铁集团签约。",
     {("Place", "江苏省"), ("Place", "南通市"), ("Place", "如东县"), ("Place", "洋口镇"),
      ("Organization", "洋口镇人民政府"), ("Organization", "中天钢铁集团")}),
    # persons after titles (Henan)
    ("副市长王芳、镇长李强陪同调研。", {("Person", "王芳"), ("Person", "李强")}),
    # a base that acts is an Organization (guidelines: 获批, 开展, 负责) (Anhui)
    ("2月,芜湖经开区“双创”孵化基地获评省级示范综合体。", {("Organization", "芜湖经开区双创孵化基地")}),
    ("芜湖市检验检测中心负责全市食品抽检。", {("Place", "芜湖市"), ("Organization", "芜湖市检验检测中心")}),
    # an ecological corridor named after its river (Henan)
    ("加快建设伊洛河生态廊道和创新大道。", {("Place", "伊洛河"), ("Place", "伊洛河生态廊道"), ("Place", "创新大道")}),
    # a verb inside a body's name (Guangdong)
    ("由街道城市更新办公室统一负责拆迁。", {("Organization", "街道城市更新办公室")}),
    # a village committee inside a town; a bank branch; customs (Jiangsu)
    ("横林镇崔桥村村委会主任顾建国介绍情况。",
     {("Place", "横林镇"), ("Place", "崔桥村"), ("Organization", "崔桥村村委会"), ("Person", "顾建国")}),
    ("中国银行常州分行、常州海关负责人发言。", {("Organization", "中国银行常州分行"), ("Organization", "常州海关")}),
    ("遥观镇党委副书记钱丽华表示。", {("Place", "遥观镇"), ("Organization", "遥观镇党委"), ("Person", "钱丽华")}),
    # a bare 社区 between a sub-district and its service centre goes with the centre (Shaanxi)
    ("张家堡街道社区卫生服务中心等民生项目", {("Place", "张家堡街道"), ("Organization", "张家堡街道社区卫生服务中心")}),
    # the items of a list of companies, however the tagger cut them (Hubei)
    ("去年引进了华锐光电、星辰重工等12家企业。", {("Organization", "华锐光电"), ("Organization", "星辰重工")}),
    ("培育优质工业企业,华美机械、江推重工等10家企业入选。", {("Organization", "江推重工")}),
    # a long head (委员会) is not cut after its first character (Sichuan)
    ("绵阳市发展和改革委员会有关负责同志参加会议。", {("Place", "绵阳市"), ("Organization", "绵阳市发展和改革委员会")}),
    # a company and a university with their seat in brackets (Jiangsu, Guangdong)
    ("昆山开发区引进立讯精密工业（昆山）有限公司等企业。",
     {("Place", "昆山开发区"), ("Organization", "立讯精密工业（昆山）有限公司")}),
    ("珠海高新区与北京师范大学（珠海）签订合作协议。", {("Organization", "北京师范大学（珠海）")}),
    # a byline line without 本报: every name between spaces after a role, however the tagger cut it (Henan)
    ("洛阳日报记者 孟庆华 通讯员 洛高宣", {("Person", "孟庆华"), ("Person", "洛高宣")}),
    # park and district heads: 生物城, 商务区 after a lake (Hubei)
    ("企业代表参观了武汉光谷生物城和东湖商务区。", {("Place", "武汉光谷生物城"), ("Place", "东湖商务区")}),
    # laboratories and funds after a proper name or a place (Hubei)
    ("华中科技大学牵头建设的数字制造装备国家重点实验室获批。", {("Organization", "数字制造装备国家重点实验室")}),
    ("武汉东湖高新区产业引导基金已投资12家企业。", {("Organization", "武汉东湖高新区产业引导基金")}),
    # bare names listed before 等 and their level word (Henan, Hunan)
    ("东城、西关、南湖等办事处的18个安置区相继交付。",
     {("Place", "东城"), ("Place", "西关"), ("Place", "南湖")}),
    ("八里、滨江、三河等街道完成改造。", {("Place", "八里"), ("Place", "滨江"), ("Place", "三河")}),
    # railway stations (Anhui, Shaanxi)
    ("合肥南站、西安北站综合交通枢纽建成投用。", {("Place", "合肥南站"), ("Place", "西安北站")}),
    # foreign countries and cities without a head word
    ("新开通至卢森堡、芝加哥的货运航线。", {("Place", "卢森堡"), ("Place", "芝加哥")}),
    # a bare zone word opens a chain of places (Sichuan)
    ("高新区石桥铺街道马家巷社区党委书记李红梅说。",
     {("Place", "高新区"), ("Place", "石桥铺街道"), ("Place", "马家巷社区"), ("Organization", "马家巷社区党委"),
      ("Person", "李红梅")}),
    # a bank's or company's local branch is named from its parent, the seat in between (Fujian, Guangxi)
    ("中国银行泉州分行向园区企业授信5亿元。",
     {("Organization", "中国银行"), ("Organization", "中国银行泉州分行"), ("Place", "泉州")}),
    ("广西柳工机械股份有限公司南宁分公司正式投产。",
     {("Organization", "广西柳工机械股份有限公司"), ("Organization", "广西柳工机械股份有限公司南宁分公司")}),
    # a river in a company's name is its trade name; the province before it is its seat (Jiangxi)
    ("江西省鄱阳湖文化旅游集团有限公司正式挂牌。",
     {("Place", "江西省"), ("Organization", "江西省鄱阳湖文化旅游集团有限公司")}),
    # a city before a zone whose name counts rivers: no river 两江 (Guangxi); 新技术开发区 continues a place
    ("柳州两江新区管委会召开会议。", {("Place", "柳州"), ("Organization", "柳州两江新区管委会")}),
    ("合肥蜀山新技术开发区启动建设。", {("Place", "合肥"), ("Place", "合肥蜀山新技术开发区")}),
    # a division's name followed by 湾 names a bay, inside a zone's or a bank branch's name too (Guangdong, Shandong)
    ("深圳湾科技生态园开园。", {("Place", "深圳湾")}),
    ("青岛胶州湾新区管委会召开会议。", {("Place", "青岛"), ("Place", "胶州湾")}),
    # a division before a bay is a place of its own, and a zone named after the bay keeps it (Fujian)
    ("泉州湄洲湾新区召开大会。", {("Place", "泉州"), ("Place", "湄洲湾"), ("Place", "泉州湄洲湾新区")}),
    # a bare 新区 before a department is the article's new area; 创新局 is a head, 新局 (a new situation) is not (Gansu)
    ("新区科技创新局局长马丽华介绍了情况。", {("Organization", "新区科技创新局"), ("Person", "马丽华")}),
    # a testing centre with its seat in brackets is one body; the seat is a place inside it (Hunan)
    ("国家电子元器件质量检验检测中心（株洲）通过验收。",
     {("Organization", "国家电子元器件质量检验检测中心（株洲）"), ("Place", "株洲")}),
    # a counted river word begins a zone's area name, not a river (Chongqing)
    ("三江协同发展区引进5所高校。", {("Place", "三江协同发展区")}),
    # a park is a place, one with its lake's, river's or mountain's name too (Guangxi)
    ("柳州龙潭公园对外开放。", {("Place", "柳州"), ("Place", "柳州龙潭公园")}),
    ("沿邕江滨江公园完成提升改造。", {("Place", "邕江"), ("Place", "邕江滨江公园")}),
    # a free-trade zone's area named after its seat is named from the zone (Hubei, Henan)
    ("湖北自贸区武汉片区和河南自贸区郑州片区挂牌运行。",
     {("Place", "湖北自贸区"), ("Place", "湖北自贸区武汉片区"), ("Place", "河南自贸区郑州片区")}),
    # a park's area named after its seat is named from the park (Jilin, Heilongjiang)
    ("共建吉林大学科技园净月园区。", {("Place", "吉林大学科技园净月园区")}),
    ("共建哈尔滨工业大学科技园松北园区。", {("Place", "哈尔滨工业大学科技园松北园区")}),
    # a bare park word after a zone names the zone's park (Shaanxi)
    ("推进西咸新区软件园建设。", {("Place", "西咸新区"), ("Place", "西咸新区软件园")}),
    # a park named after its river, the tagger cutting the park word apart (Jiangxi)
    ("在袁河产业园区，新能源项目投产。", {("Place", "袁河产业园区")}),
    # a university's campus is named from the university, the seat a division or not (Shandong, Guizhou)
    ("山东大学青岛校区和贵州大学花溪校区招收新生。",
     {("Organization", "山东大学青岛校区"), ("Organization", "贵州大学花溪校区"), ("Place", "青岛")}),
    # a centre recognized in the passive (被…评为) acts: an Organization (Fujian)
    ("泉州高新区科技企业孵化器被科技部评为优秀孵化器。", {("Organization", "泉州高新区科技企业孵化器")}),
    # cooperatives are bodies; a bare village body points to the village's one body (Guangxi)
    ("灵川县溶江果蔬专业合作社带动农户200户。", {("Organization", "灵川县溶江果蔬专业合作社"), ("Place", "灵川县")}),
    ("村党支部书记黄海燕带领村民种植砂糖橘。", {("Organization", "村党支部"), ("Person", "黄海燕")}),
    # a science park (科创园) named after a place is a place (Hunan)
    ("位于高新区的麓谷科创园已入驻企业80家。", {("Place", "麓谷科创园")}),
    # a verb after a province may begin its zone's name (Hainan, Zhejiang)
    ("近年来，海南转型升级示范区持续深化改革。", {("Place", "海南"), ("Place", "海南转型升级示范区")}),
    # a region word the tagger glued to the next words is named inside them (Chongqing, Jilin)
    ("推动成渝双城经济圈建设。", {("Place", "成渝")}),
    ("打造东北振兴的新引擎。", {("Place", "东北")}),
])
def test_names_found(tagger, text: str, expected: set[tuple[str, str]]) -> None:
    found = names_of(tagger, text)
    assert expected <= found, f"missing {expected - found}; found {found}"


@pytest.mark.parametrize("text, not_expected", [
    # generic references are not names (GUIDELINES: 各级党组织, 区有关部门, 市属国有企业)
    ("各级党组织要充分发挥战斗堡垒作用,区有关部门和市属国有企业负责落实。", None),
    ("全市上下形成了发展新格局,党员干部带头。", None),
    ("全区7所小学和3家企业参加活动。", None),
    # 向东 is a direction, not a person
    ("沿河道向东延伸两公里。", None),
    # generic phrases with organization heads
    ("技术研发中心和行业协会参与。", None),
    # a centre being built does not act: no Organization (a Project, if anything)
    ("建设科技研发平台,推进大数据中心建设。", None),
    # a status ending in a place word is no place
    ("被评为全省乡村治理示范街道。", None),
    # industries listed before 等企业 are no companies
    ("吸引电子信息、生物医药等企业落户。", None),
    ("与高校、科研院所等单位合作。", None),
    # a count before a head word is no name
    ("全市51家联盟成员企业参加。", None),
    # a county's bare short name is no place when the article names nothing above it
    ("惠民政策落实到户。", None),
    # an amount before a head word (部 of 3.6亿部) is no body
    ("全年手机产量达3.6亿部。", None),
    # generic areas listed before a level word are no names
    ("组织城区、郊区等街道开展检查。", None),
    # resettlement estates are a kind of place, not a name (Hunan)
    ("各地建设口袋公园和城市公园。", None),
    ("全区12个安置小区和3个安置点交付使用。", None),
    # a bare cooperative or park word names nothing (Guangxi)
    ("组建农民专业合作社12家,推动工业园区提质增效。", None),
    ("新校区建成投用。", None),
    # a figurative road (X之路) is no road (Guizhou)
    ("全力打造“数字丝绸之路”和新春文化之路。", None),
])
def test_generic_phrases_are_not_names(tagger, text: str, not_expected: None) -> None:
    assert names_of(tagger, text) == set()


@pytest.mark.parametrize("text, fragments", [
    # a counted river word in a zone's name is no river, with or without its city (Guangxi)
    ("柳州两江新区管委会召开会议。", {"两江", "柳州两江"}),
    ("三江协同发展区引进5所高校。", {"三江"}),
    # a road named after a river is no mention of the river (Jiangxi)
    ("赣江路东延工程年内完工。", {"赣江"}),
    # the seat between a company and its branch is no part of the company's name (Guangxi)
    ("广西柳工机械股份有限公司南宁分公司正式投产。", {"广西柳工机械股份有限公司南宁"}),
    # a high-tech zone's long form is one place, not a lake and a zone (Anhui)
    ("合肥蜀山新技术开发区启动建设。", {"新技术开发区", "合肥蜀山"}),
    # 深圳 of 深圳湾 is no city: the bay runs on from it (Guangdong)
    ("招商银行深圳湾支行正式开业。", {"深圳"}),
    # the area of a named zone is no area of the seat alone; a bare zone word names no area (Hubei)
    ("湖北自贸区武汉片区挂牌运行。", {"武汉片区"}),
    ("高新区西区片区挂牌运行。", {"高新区西区片区"}),
    # a verb that introduces a name keeps the place and the zone apart (Hainan)
    ("支持海南建设自由贸易试验区。", {"海南建设自由贸易试验区"}),
])
def test_no_fragments_of_names(tagger, text: str, fragments: set[str]) -> None:
    found = {name for _, name in names_of(tagger, text)}
    assert not fragments & found, found


def test_bylines_become_persons(tagger) -> None:
    text = "本报通讯员 赵文涛 钱小雨\n合肥高新区召开大会。"
    bylines = (("赵文涛", "通讯员", 6, 9), ("钱小雨", "通讯员", 10, 13))
    found = names_of(tagger, text, bylines)
    assert {("Person", "赵文涛"), ("Person", "钱小雨"), ("Place", "合肥高新区")} <= found


def test_surname_and_honorific(tagger) -> None:
    assert ("Person", "谭先生") in names_of(tagger, "办公室主任谭先生经常来企业走访。")


@pytest.mark.parametrize("name, head", [
    ("咸阳市发改委", ("委", "Organization")),
    ("宿州经济技术开发区", ("经济技术开发区", "Place")),
    ("芜湖市鸠江区", ("区", "Place")),
    ("江苏省交通运输厅", ("厅", "Organization")),
    ("发展新格局", None),  # 格局 ends with 局 but names no body
    ("基层干部", None),  # 干部 ends with 部
    ("兰州新区科技创新局", ("创新局", "Organization")),  # a longer head covers the ordinary word 新局
    ("奋力开创发展新局", None),
])
def test_head_of(name: str, head: tuple[str, str] | None) -> None:
    found = head_of(name)
    assert (found[:2] if found else None) == head


@pytest.mark.parametrize("name, generic", [
    ("各级党组织", True), ("区有关部门", True), ("全市", True), ("社区", True), ("10家企业", True),
    ("股份有限公司", True), ("2.58亿部", True), ("合肥）技术有限公司", True), ("十县百镇", True), ("产业社区", True),
    ("数字化医院", True),
    ("蚌埠市", False), ("洛阳高新区", False),
])
def test_is_generic(name: str, generic: bool) -> None:
    assert is_generic(name) is generic


@pytest.mark.parametrize("name, person", [
    ("王建国", True), ("欧阳明辉", True), ("李", False), ("向东", False), ("许多多", False), ("张三丰二", False),
])
def test_is_person_name(name: str, person: bool) -> None:
    assert is_person_name(name) is person


def test_mentions_carry_document_offsets_across_page_breaks(tagger) -> None:
    # the corpus stage rejoins "合肥高新\n\n区" into one sentence with a gap; offsets map back
    original = "位于合肥高新\n\n区的企业。"
    joined = "位于合肥高新区的企业。"
    sentence = Sentence(0, 0, len(original), joined, gaps=((6, 2),))
    document = Document(id="g.txt", path="g.txt", text=original, sentences=(sentence,))
    mentions: list[Mention] = list(extract_names(document, tagger.tag([sentence])))
    zone = next(m for m in mentions if m.text == "合肥高新区")
    assert (zone.start, zone.end) == (2, 9) and zone.type == "Place"


def test_conjunction_joins_only_inside_a_body_name(tagger) -> None:
    found = names_of(tagger, "安排专人与派出所对接。")
    assert ("Organization", "派出所") in found and not any("专人" in name for _, name in found)


def test_bare_body_inside_a_quoted_program_keeps_clear_of_the_marks(tagger) -> None:
    text = "继续深化“党工委(管委会)+”体制改革"
    document = Document(id="q.txt", path="q.txt", text=text, sentences=(Sentence(0, 0, len(text), text),))
    body = next(m for m in extract_names(document, tagger.tag(document.sentences)) if m.text == "党工委")
    assert text[body.start:body.end] == "党工委" and body.subtype == "PartyWorkingCommittee"


def test_quoted_verb_in_a_headline_is_no_name_core(tagger) -> None:
    found = names_of(tagger, "合肥经开区许可登记“搬进”政务服务大厅")
    assert not any("搬进" in name or "许可" in name for _, name in found)


@pytest.mark.parametrize("text, name", [
    ("领导小组下设办公室,负责日常工作。", "领导小组下设办公室"),  # a structural verb joins no name
    ("科大讯飞获安徽省科技厅表彰。", "科大讯飞获安徽省科技厅"),  # a verb between two names
])
def test_verbs_between_names_do_not_join_them(tagger, text: str, name: str) -> None:
    assert name not in {n for _, n in names_of(tagger, text)}


def test_film_titles_are_not_entities(tagger) -> None:
    # GUIDELINES: not titles of films, books or songs (a lake's name as a film title)
    assert ("Place", "长津湖") not in names_of(tagger, "组织党员观看电影《长津湖》。")
