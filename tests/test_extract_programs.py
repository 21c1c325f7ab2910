"""Program rules on sentences written for the test, from provinces other than the seeds'."""

from __future__ import annotations

import pytest

from kg.extract.programs import extract_programs
from kg.extract.spans import unquote
from tests.extract_samples import tagged_document


def programs(text: str) -> dict[str, str | None]:
    document, tagged = tagged_document(text)
    return {m.text: m.canonical for m in extract_programs(document, tagged)}


@pytest.mark.parametrize(("text", "expected"), [
    # quoted core + head word → full name; the core is an alias of it
    ("成都高新区深入实施“揭榜挂帅”机制,推动科技攻关。", {"揭榜挂帅机制": None, "揭榜挂帅": "揭榜挂帅机制"}),
    ("郑州航空港区持续深化“放管服”改革。", {"放管服改革": None, "放管服": "放管服改革"}),
    ("绵阳科技城新区开展“百日攻坚”专项行动。", {"百日攻坚专项行动": None}),
    ("南京江北新区启动“产业地标”培育计划。", {"产业地标培育计划": None}),
    ("宿迁经开区建立“首席服务员”制度,为企业服务。", {"首席服务员制度": None}),
    ("开封市举办第三届“最美开封人”评选活动。", {"最美开封人评选活动": None}),
    ("咸阳高新区围绕“一区三园”空间布局谋划产业。", {"一区三园空间布局": None, "一区三园": "一区三园空间布局"}),
    ("芜湖经开区推行“1+N+X”服务体系。", {"1+N+X服务体系": None}),
    # quoted slogans without a head: numerals, formulas, a program verb before them
    ("洛阳高新区全面推行“一网通办”“一次办好”。", {"一网通办": None, "一次办好": None}),
    ("襄阳市坚持“一企一策”精准帮扶。", {"一企一策": None}),
    ("会上提出“三个转变、两个提升”。", {"三个转变": None, "两个提升": None}),
    ("该区以“智慧+党建”引领基层治理。", {"智慧+党建": None}),
    ("街道完善工作预案,“三个强化”扎实推进旧改。", {"三个强化": None}),
    ("区里新出台的“人才新政二十条”“科技金融12条”正式施行。", {"人才新政二十条": None, "科技金融12条": None}),
    ("昆山开发区创新实施“店小二”服务,推行“拿地即开工”。", {"店小二服务": None, "拿地即开工": None}),
    ("中山火炬开发区全面推进“三旧”改造。", {"三旧改造": None, "三旧": "三旧改造"}),
    # planning periods and policy documents in title marks
    ("“十四五”期间,宝鸡高新区将加快发展。", {"十四五": None}),
    ("洛阳市以“十四五”规划为引领。", {"十四五规划": None, "十四五": "十四五规划"}),
    ("江苏省出台《关于推进开发区改革创新的意见》。", {"关于推进开发区改革创新的意见": None}),
    # the period a plan covers, in brackets after its ending word (Sichuan)
    ("四川省印发《成渝地区双城经济圈建设规划纲要（2021—2025年）》。",
     {"成渝地区双城经济圈建设规划纲要（2021—2025年）": None}),
    # a longer program head after 工作, which otherwise ends a quoted name (Shaanxi)
    ("区里建立“周调度、月通报”工作机制。", {"周调度、月通报工作机制": None}),
    # the owner between the program verb and the quote (Sichuan)
    ("贯彻落实全省“项目为王”要求。", {"项目为王": None}),
    # a quote inside quoted speech (Zhejiang)
    ("“我们要在全市‘515’产业体系中多作贡献。”他说。", {"515产业体系": None, "515": "515产业体系"}),
    # the program a 实施细则 implements (Shaanxi)
    ("出台《西咸新区秦创原人才计划实施细则》。",
     {"西咸新区秦创原人才计划实施细则": None, "西咸新区秦创原人才计划": None}),
    # 行动计划 ends a plan's name: no campaign 某某行动 split off it (Zhejiang)
    ("印发《杭州高新区数字经济三年行动计划》。", {"杭州高新区数字经济三年行动计划": None}),
    # a program named inside a policy document's title counts (Anhui)
    ("合肥经开区印发《关于深化“证照分离”改革的实施意见》。",
     {"关于深化证照分离改革的实施意见": None, "证照分离改革": None}),
    # a system word quoted alone after what it applies to (Shaanxi)
    ("在全省率先推行企业投资项目“承诺制”。", {"承诺制": None}),
    # a quoted product or service after 推出 (Jiangxi)
    ("南昌高新区推出“洪城科创贷”。", {"洪城科创贷": None}),
    ("该镇印发《人居环境整治提升行动实施方案》。",
     {"人居环境整治提升行动实施方案": None, "人居环境整治提升行动": None}),
    # national programs named anywhere
    ("南充市加快推进乡村振兴和新型城镇化,巩固脱贫攻坚成果。",
     {"乡村振兴": None, "新型城镇化": None, "脱贫攻坚": None}),
    ("要坚决打赢蓝天保卫战,全面落实河长制。", {"蓝天保卫战": None, "河长制": None}),
    # modifier + head word, unquoted
    ("佛山交警大队积极开展电动自行车违法行为专项整治行动。", {"电动自行车违法行为专项整治行动": None}),
    ("该区开展基层卫生服务能力提升三年攻坚行动。", {"基层卫生服务能力提升三年攻坚行动": None}),
    ("德阳经开区实施绿色制造工程。", {"绿色制造工程": None}),
    ("第五届四川省创新创业大赛在成都举行。", {"四川省创新创业大赛": None}),
    # recurring fairs are Programs, named without their year or edition (Beijing, Heilongjiang)
    ("2021中国国际服务贸易交易会在北京举办。", {"中国国际服务贸易交易会": None}),
    ("第三届哈尔滨国际食品交易会开幕。", {"哈尔滨国际食品交易会": None}),
    # a quoted campaign year (Yunnan)
    ("昆明经开区把今年确定为“营商环境优化年”。", {"营商环境优化年": None}),
    ("全面推进财税管理体制改革。", {"财税管理体制改革": None}),
    # a quoted goal a body sets itself (Jiangxi, Guangxi)
    ("南昌高新区提出打造“世界光电之都”的目标。", {"世界光电之都": None}),
    ("柳州市全力落实“制造强市”定位。", {"制造强市": None}),
    # a quoted development idea is a strategy (Fujian)
    ("三明市坚持“山海协作、绿色崛起”发展思路。",
     {"山海协作、绿色崛起发展思路": None, "山海协作、绿色崛起": "山海协作、绿色崛起发展思路"}),
    # projects counted under a quoted program's name: the quote is the program (Jiangxi)
    ("今年已签约“赣商回归”项目15个。", {"赣商回归": None}),
    # laws listed together
    ("加大对安全生产法、消防法的宣传力度。", {"安全生产法": None, "消防法": None}),
])
def test_finds_programs(text: str, expected: dict[str, str | None]) -> None:
    found = programs(text)
    for name, canonical in expected.items():
        assert name in found, f"{name} not in {sorted(found)}"
        assert found[name] == canonical


@pytest.mark.parametrize(("text", "absent"), [
    # generic policy vocabulary and mottos (GUIDELINES: not entities)
    ("要推动经济高质量发展,持续优化营商环境。", {"高质量发展", "营商环境"}),
    ("全区各类开发区要抓好招商引资工作。", {"招商引资"}),
    ("要健全工作机制,完善管理制度,创新服务模式。", {"工作机制", "管理制度", "服务模式"}),
    ("各部门开展宣传活动和文体活动。", {"宣传活动", "文体活动"}),
    ("要以实际行动服务国家战略。", {"实际行动", "国家战略"}),
    # scare quotes, figures of speech, manners
    ("充分发挥“千里眼”作用,打通服务“最后一公里”。", {"千里眼", "最后一公里"}),
    ("实行“一站式”服务和“精细化”管理。", {"一站式服务", "一站式", "精细化"}),
    ("把功夫下到“四梁八柱”上,实现“双赢”。", {"四梁八柱", "双赢"}),
    ("坚持“抓早、抓小、抓苗头”的原则。", {"抓早", "抓小", "抓苗头"}),
    ("该企业实现“零的突破”。", {"零的突破"}),
    ("印发《杭州高新区数字经济三年行动计划》。", {"杭州高新区数字经济三年行动"}),
    ("以“一号工程”的力度推进招商,抓好项目“头号工程”。", {"一号工程", "头号工程"}),
    # titles of works
    ("近日,电影《长津湖》在区文化中心放映,观众观看《攀登者行动》。", {"长津湖", "攀登者行动"}),
    # verbs and complements do not start a name
    ("济宁经开区高扬改革创新主旋律。", {"济宁经开区高扬改革", "高扬改革"}),
    ("帮助贫困户提升发展能力制定脱贫计划。", {"发展能力制定脱贫计划"}),
    ("党员活动室改建后可容纳50人。", {"党员活动"}),
    # a program word that begins a zone's name is no program (Hainan)
    ("海南国际旅游消费改革示范区管委会召开会议。", {"海南国际旅游消费改革", "国际旅游消费改革"}),
])
def test_skips_generic_phrases(text: str, absent: set[str]) -> None:
    assert not absent & set(programs(text))


def test_offsets_cover_the_name() -> None:
    text = "成都高新区深入实施“揭榜挂帅”机制,实施“十四五”规划。"
    document, tagged = tagged_document(text)
    for mention in extract_programs(document, tagged):
        assert unquote(text[mention.start:mention.end]) == mention.text
        assert mention.type == "Program" and mention.doc_id == "sample.txt"


def test_quoted_core_met_again_is_the_same_program() -> None:
    text = "该区提出“双链融合”攻坚行动。全区掀起“双链融合”热潮。"
    document, tagged = tagged_document(text)
    again = [m for m in extract_programs(document, tagged) if m.rule == "program:quoted-again"]
    assert [(m.text, m.canonical) for m in again] == [("双链融合", "双链融合攻坚行动")]
