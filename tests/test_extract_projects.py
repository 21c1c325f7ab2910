"""Project rules on sentences written for the test, from provinces other than the seeds'."""

from __future__ import annotations

import pytest

from kg.extract.programs import extract_programs
from kg.extract.projects import extract_projects
from kg.extract.spans import unquote
from tests.extract_samples import tagged_document


def projects(text: str) -> dict[str, str | None]:
    document, tagged = tagged_document(text)
    return {m.text: m.canonical for m in extract_projects(document, tagged)}


@pytest.mark.parametrize(("text", "expected"), [
    # modifier + park/town/city head: developed areas
    ("咸阳高新区加快建设电子信息产业园和生物医药产业园。", {"电子信息产业园", "生物医药产业园"}),
    ("德阳经开区建设东方电气清洁能源装备产业园。", {"东方电气清洁能源装备产业园"}),
    ("南京江北新区建设集成电路设计服务产业园。", {"集成电路设计服务产业园"}),
    # named investment projects, with the X of X项目 as an alias
    ("合肥经开区新能源汽车零部件产业园项目昨日开工。", {"合肥经开区新能源汽车零部件产业园项目"}),
    ("绵阳科技城举行京东方第6代柔性显示面板项目签约仪式。", {"京东方第6代柔性显示面板项目"}),
    # items of a list closed by 等N个项目
    ("奇瑞新能源整车扩能项目、长信科技柔性显示模组项目等12个项目成功签约。",
     {"奇瑞新能源整车扩能项目", "长信科技柔性显示模组项目"}),
    ("中铁建将参与到成都天府国际机场、龙泉山城市森林公园等项目建设中。",
     {"成都天府国际机场", "龙泉山城市森林公园"}),  # a bare city name begins the first item's name
    ("在现有光电信息城、绿色食品城等园区的基础上扩容。", {"光电信息城", "绿色食品城"}),
    # quoted core + head
    ("团区委实施“暖巢行动”关爱项目和“童心港湾”儿童关爱项目。", {"童心港湾儿童关爱项目"}),
    # centres and platforms where they are built, signed or opened
    ("广州开发区与华为公司签约,共建华为人工智能创新中心。", {"华为人工智能创新中心"}),
    ("广州开发区与华为公司签约,共建华为(广州)人工智能创新中心。", {"华为(广州)人工智能创新中心"}),
    ("郑州经开区加快建设鲲鹏云数据中心。", {"鲲鹏云数据中心"}),
    ("西安高新区加快建设西安电子谷孵化器。", {"西安电子谷孵化器"}),
    # a capacity names a plant; the owner before it makes the project specific
    ("贝特瑞公司年产5万吨锂电池负极材料项目在常州金坛开工建设。", {"年产5万吨锂电池负极材料项目"}),
    # physical works on a named road or airport are Projects, not the 工程 of a program (Hunan, Qinghai)
    ("长沙经开区启动万家丽路综合改造工程。", {"万家丽路综合改造工程"}),
    ("西宁机场三期工程开工建设。", {"西宁机场三期工程"}),
    # works named by what they build or move: extensions, relocations, utility tunnels, restorations (Guizhou)
    ("贵阳经开区花溪大道南延工程和区妇幼保健院迁建工程年内完工。", {"贵阳经开区花溪大道南延工程", "区妇幼保健院迁建工程"}),
    ("观山湖区金阳片区地下综合管廊工程完成投资9亿元。", {"观山湖区金阳片区地下综合管廊工程"}),
    ("南明河生态修复工程二期启动。", {"南明河生态修复工程"}),
    # halls, stations and renewal works that are built or opened (Fujian, Jiangxi)
    ("泉州市西街片区城市更新工程启动。", {"泉州市西街片区城市更新工程"}),
    ("上饶市余干县梅港村文化礼堂建成投用。", {"上饶市余干县梅港村文化礼堂"}),
    # a base named at length right after a build verb needs no proper name (Jiangxi)
    ("洪都航空投资20亿元建设无人机整机总装测试基地。", {"无人机整机总装测试基地"}),
    # a plant named by one short word takes its owner along (Jiangxi)
    ("江铃汽车股份有限公司智能工厂建成投产。", {"江铃汽车股份有限公司智能工厂"}),
    # a project named after the facility it builds needs no proper name in it (Jiangxi)
    ("南昌高新区推进航空零部件加工基地项目和工业互联网孵化中心项目建设。",
     {"航空零部件加工基地项目", "工业互联网孵化中心项目"}),
    # a facility named right after a works project is a project of its own (Qinghai)
    ("西宁机场三期工程T3航站楼及综合交通中心建成投用。", {"西宁机场三期工程", "T3航站楼"}),
    # a phase names a project only with its owner or park (Hubei)
    ("长江存储科技有限责任公司二期项目开工。", {"长江存储科技有限责任公司二期项目"}),
    ("武汉光谷科学岛二期、东湖科技园三期等项目集中开工。", {"武汉光谷科学岛二期", "东湖科技园三期"}),
    # the owner before 投资的/牵头建设的 makes a project or centre specific (Heilongjiang, Hainan)
    ("哈电集团投资的氢能装备制造项目开工。", {"氢能装备制造项目"}),
    ("海南大学牵头建设的热带作物育种中心进展顺利。", {"热带作物育种中心"}),
    ("三亚崖州湾科技城管理局投资8亿元建设的深海装备测试项目落地。", {"深海装备测试项目"}),
    # a body that builds (建成) a base ends before the verb (Qinghai)
    ("海东市农业农村局联合青海大学建成高原种薯繁育基地。", {"高原种薯繁育基地"}),
    # a phase the tagger glued to a place name is the phase being built (Jilin)
    ("高新区的盛华广场二期和凯旋大厦三期将于年内开工。", {"盛华广场二期", "凯旋大厦三期"}),
    # works listed before 等配套工程, and a line's extension being built (Jilin)
    ("今年将完成硅谷大街二期、超达路改造等配套工程。", {"硅谷大街二期", "超达路改造"}),
    ("同步推进长春轻轨三号线延伸线建设。", {"长春轻轨三号线延伸线"}),
    # a park's phase, the tagger cutting the phase off (Fujian); a named place's upgrade being built (Guizhou)
    ("此外，福州高新区软件园二期获批省级数字经济示范园。", {"福州高新区软件园二期"}),
    ("今年将开工建设花溪湿地公园提升工程。", {"花溪湿地公园提升工程"}),
    # a dash joining two places is inside the name (Xinjiang); names in quoted speech count (Guangxi)
    ("加快建设中国-中亚经贸合作产业园。", {"中国-中亚经贸合作产业园"}),
    ("他说：“我们正加快建设北部湾数据港钦州核心基地，推动企业集聚。”", {"北部湾数据港钦州核心基地"}),
])
def test_finds_projects(text: str, expected: set[str]) -> None:
    found = projects(text)
    assert expected <= set(found), f"{expected - set(found)} not in {sorted(found)}"


def test_short_form_points_to_the_full_project_name() -> None:
    found = projects("昆山开发区富士康精密模具中心项目奠基。")
    assert found.get("昆山开发区富士康精密模具中心") == "昆山开发区富士康精密模具中心项目"


@pytest.mark.parametrize(("text", "absent"), [
    # generic references (GUIDELINES: 重点项目 is not an entity)
    ("确保一批重点项目尽快落地,扶贫项目和技改项目全部开工。", {"重点项目", "扶贫项目", "技改项目"}),
    ("选择受益面广、关注度较高、实施周期较长的11个重点项目开展绩效评价。", {"受益面广", "关注度较高"}),
    # a centre that acts is an Organization, not a Project
    ("东莞松山湖科技创新服务中心负责人介绍了情况。", {"东莞松山湖科技创新服务中心"}),
    ("成都高新区科技创新中心获批国家级孵化器。", {"成都高新区科技创新中心"}),
    ("依托高新区、经开区等园区,加快运作激光、软件2个国际科技合作基地。", {"高新区", "经开区", "激光", "软件"}),
    # a development zone named as a place
    ("苏州工业园区印发新政策。", {"苏州工业园区"}),
    ("佛山顺德区推进村级工业园改造提升。", {"村级工业园"}),
    ("各县区要加快建设特色产业园和现代产业新城。", {"特色产业园", "现代产业新城"}),
    # the places a list of projects is in (Hunan)
    ("岳麓街道、望城街道6个城中村改造项目同步推进。", {"岳麓街道", "望城街道"}),
    ("西宁机场三期工程T3航站楼及综合交通中心建成投用。", {"西宁机场三期工程T3航站楼"}),
    # a short generic object of a build verb is no project (Jiangxi)
    ("加快打造科技创新平台和技术研发中心。", {"科技创新平台", "技术研发中心"}),
    # projects counted under a program's name are no project of that name (Jiangxi)
    ("今年已签约“赣商回归”项目15个。", {"赣商回归项目", "赣商回归"}),
    # a bare facility head after generic words is no project, 项目 or not (Jiangxi)
    ("加快建设产业基地项目和服务中心项目。", {"产业基地项目", "服务中心项目"}),
    # an owner before 投资的 does not make a generic word a name (Heilongjiang)
    ("哈电集团投资的重点项目开工。", {"重点项目"}),
    # an upgrade with no proper name is a program's (能力提升工程), a phase of a bare word no project
    ("加快实施人才素质提升工程建设。", {"人才素质提升工程"}),
    ("今年全区实施项目二期。", {"项目二期", "全区实施项目二期"}),
    ("武汉光谷科学岛二期开工。", {"光谷科学岛二期"}),
    ("长沙黄花机场二期工程开工。", {"长沙黄花机场二期"}),
    # a dash between places outside a name joins nothing (Shaanxi)
    ("推动西安—咸阳一体化，建设高新产业园。", {"西安—咸阳一体化", "咸阳一体化"}),
    # a bare 工程 after a list may be a program's (人才工程): only works words close a list of projects
    ("实施英才计划、青年拔尖人才工程等人才工程。", {"英才计划", "青年拔尖人才工程"}),
    # a facility or project phrase after 入选/获批/被评为 is a status received, not a project (Guangxi, Jiangxi)
    ("柳州某公司数字化车间入选广西智能制造示范项目。", {"广西智能制造示范项目"}),
    ("赣州高新区孵化器获批国家级科技企业孵化器示范基地。", {"国家级科技企业孵化器示范基地"}),
    # a verb after a quoted program and its head begins the clause (Jiangxi)
    ("南昌高新区“一窗受理”改革跑出项目落地加速度。", {"一窗受理改革跑出项目"}),
    ("海东市农业农村局联合青海大学建成高原种薯繁育基地。", {"联合青海大学建成高原种薯繁育基地"}),
])
def test_skips_generic_and_acting(text: str, absent: set[str]) -> None:
    assert not absent & set(projects(text))


def test_offsets_cover_the_name() -> None:
    text = "咸阳高新区加快建设电子信息产业园,“童心港湾”儿童关爱项目启动。"
    document, tagged = tagged_document(text)
    for mention in extract_projects(document, tagged):
        assert unquote(text[mention.start:mention.end]) == mention.text
        assert mention.type == "Project"


def test_works_are_no_programs() -> None:
    document, tagged = tagged_document("长沙经开区启动万家丽路综合改造工程。")
    assert "万家丽路综合改造工程" not in {m.text for m in extract_programs(document, tagged)}


def test_plan_as_a_verb_is_no_program() -> None:
    # 计划总投资: the project plans to invest; no plan named …项目计划 (Sichuan)
    document, tagged = tagged_document("宜宾三江新区新能源电池项目计划总投资50亿元。")
    assert not any(m.text.endswith("计划") for m in extract_programs(document, tagged))
    assert "宜宾三江新区新能源电池项目" in projects("宜宾三江新区新能源电池项目计划总投资50亿元。")
