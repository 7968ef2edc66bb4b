"""Acceptance: the structural parser on the sample gazette (宁夏政府公报 2023年第10期).

Every expected value was read off data/samples/ningxia-gazette-2023-10.txt.
"""

import hashlib
import json
import re
from collections import Counter
from datetime import date
from pathlib import Path

import pytest

from shuzheng.documents.parsing.model import MilestoneKind
from shuzheng.documents.parsing.parser import parse
from shuzheng.orgs.resolution import Registry
from shuzheng.text.characters import chinese_punctuation

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "data/samples/ningxia-gazette-2023-10.txt"
REGISTRY = ROOT / "src/shuzheng/orgs/data/ningxia.json"
CATEGORIES = [
    "(一) 驱动数字经济发展",
    "(二) 引领数字社会建设",
    "(三) 营造良好数字生态",
    "(四) 加快构建全方位安全保障体系",
    "(五) 构建科学规范的制度规则体系",
    "(六) 加快构建循环利用的数据资源体系",
    "(七) 加快构建智能集约的平台支撑体系",
    "(八) 健全“五个一”和“六级贯通”的工作体系",
    "(九) 提升科学精准的经济调节能力",
    "(十) 提升综合高效的市场监管能力",
    "(十一) 提升精细智能的社会管理能力",
    "(十二) 提升普惠便捷的公共服务能力",
    "(十三) 提升系统科学的生态环境保护能力",
    "(十四) 提升整体高效的政务运行能力",
    "(十五) 提升全面规范的政务公开能力",
    "(十六) 加强党对数字政府建设工作的全面领导",
]


@pytest.fixture(scope="module")
def result():
    registry = Registry.from_data(json.loads(REGISTRY.read_text(encoding="utf-8")))
    return parse(
        SAMPLE.read_bytes(),
        SAMPLE.name,
        resolve_responsibility=registry.parse_responsibility,
    )


@pytest.fixture(scope="module")
def opinion(result):
    return result.documents[0]


@pytest.fixture(scope="module")
def notice(result):
    return result.documents[1]


@pytest.fixture(scope="module")
def transmitted(result):
    return result.documents[2]


def names(units):
    return [unit.name for unit in units]


def test_source(result):
    data = SAMPLE.read_bytes()
    assert result.sha256 == hashlib.sha256(data).hexdigest()
    # The text as decoded, with the half-width marks between Chinese words made full-width.
    assert result.text == chinese_punctuation(data.decode("utf-8"))
    assert "监督责任，构建" in result.text and "监督责任, 构建" in data.decode("utf-8")
    assert (result.source_name, result.source_format, result.encoding) == (
        "ningxia-gazette-2023-10.txt",
        "txt",
        "utf-8",
    )


def test_gazette(result):
    gazette = result.gazette
    assert gazette.title == "宁夏回族自治区人民政府公报"
    assert (gazette.issue_no, gazette.year, gazette.number) == ("2023年第10期", 2023, 10)
    assert gazette.serial_no == 715
    assert gazette.published_on == date(2023, 5, 31)
    assert [(entry.title, entry.doc_number, entry.page) for entry in gazette.toc] == [
        ("自治区人民政府关于加强数字政府建设的实施意见", "宁政发〔2023〕17号", 3),
        (
            "自治区党委办公厅 人民政府办公厅印发《关于深化生态保护补偿制度改革的实施意见》的通知",
            "宁党办〔2023〕32号",
            28,
        ),
    ]


def test_exactly_three_documents_and_no_front_matter(result):
    assert [(doc.doc_number, doc.doc_type) for doc in result.documents] == [
        ("宁政发〔2023〕17号", "意见"),
        ("宁党办〔2023〕32号", "通知"),
        (None, "意见"),
    ]
    first = result.documents[0]
    assert result.text[first.start :].startswith("# 自治区人民政府\n")
    front = result.text[: first.start]
    assert "编辑委员会" in front and "邮政编码" in front


def test_the_documents_follow_each_other(result):
    for document, following in zip(result.documents, result.documents[1:], strict=False):
        assert document.end <= following.start
    assert result.documents[-1].end == len(result.text.rstrip())


def test_opinion_metadata(opinion, result):
    assert opinion.title == "自治区人民政府关于加强数字政府建设的实施意见"
    assert opinion.issuers == ["自治区人民政府"]
    assert opinion.signatories == ["宁夏回族自治区人民政府"]
    assert opinion.addressees == ["各市、县（区）人民政府", "自治区政府各部门、各直属机构"]
    assert opinion.written_on == date(2023, 5, 16)
    assert opinion.disclosure == "public"
    assert opinion.transmits is None
    assert [(a.number, a.title, a.omitted) for a in opinion.attachments] == [
        (1, "宁夏回族自治区数字政府“34567”体系框架", True),
        (2, "全区数字政府建设重点任务清单（2023年—2025年）", False),
    ]
    assert result.text[: opinion.end].endswith("\t2023 年形成机制，长期坚持")  # task 124


def test_notice_metadata(notice):
    assert notice.title == (
        "自治区党委办公厅 人民政府办公厅印发《关于深化生态保护补偿制度改革的实施意见》的通知"
    )
    assert notice.issuers == ["自治区党委办公厅", "人民政府办公厅"]
    assert notice.signatories == ["中共宁夏回族自治区委员会办公厅", "宁夏回族自治区人民政府办公厅"]
    assert notice.addressees == [
        "各市、县（区）党委和人民政府",
        "区直各部委办厅局",
        "各人民团体、直属事业单位",
        "中央驻宁各单位、各大型企业",
    ]
    assert notice.written_on == date(2023, 5, 12)
    assert notice.disclosure == "public"
    assert notice.attachments == []
    assert notice.transmits == 2 and notice.transmitted == [2]
    assert notice.tasks == []


def test_transmitted_opinion(transmitted, result):
    assert transmitted.title == "关于深化生态保护补偿制度改革的实施意见"
    assert transmitted.doc_number is None and transmitted.addressees == []
    # Issue 14: an attachment with no issuer or date of its own is the notice's (the page
    # showed 发文机关 and 成文日期 as "—").
    assert transmitted.written_on == date(2023, 5, 12)
    assert transmitted.issuers == ["自治区党委办公厅", "人民政府办公厅"]
    assert transmitted.disclosure == "public"  # published with its notice
    assert result.text[transmitted.start :].startswith("# 关于深化生态保护补偿制度改革实施意见")
    differs = [finding for finding in result.findings if finding.code == "title-differs"]
    assert [finding.offset for finding in differs] == [transmitted.start]


def test_opinion_sections(opinion, result):
    paths = [section.path for section in opinion.sections]
    assert paths[:4] == ["一", "一/(一)", "一/(二)", "一/(三)"]
    assert [path for path in paths if "/" not in path] == [
        "一",
        "二",
        "三",
        "四",
        "五",
        "六",
        "附件2",
    ]
    assert len([path for path in paths if path.startswith("五/")]) == 7
    by_path = {section.path: section for section in opinion.sections}
    guiding = by_path["一/(一)"]
    assert (guiding.heading, guiding.level) == ("指导思想", 2)
    assert result.text[guiding.start : guiding.end].startswith("（一）指导思想。坚持以习近平")
    assert result.text[guiding.end - 5 : guiding.end] == "有力支撑。"
    assert by_path["一/(二)"].heading == "主要目标"  # a Markdown heading "### （二）主要目标。"
    assert by_path["三/(二)"].heading == "加快构建科学规范的制度规则体系"  # "(二) " half-width
    four = by_path["四"]
    assert four.heading == "健全“五个一”和“六级贯通”的工作体系，统筹推进数字政府一体化建设"
    assert result.text[four.start :].startswith("#### 四、健全")
    assert four.end <= by_path["五"].start
    last = by_path["六/(四)"]
    assert result.text[last.end - 10 : last.end] == "数字政府应用效能和满意度。"[-10:]
    attachment = by_path["附件2"]
    assert attachment.heading == "全区数字政府建设重点任务清单（2023年—2025年）"
    assert attachment.end == opinion.end


def test_sections_nest_inside_their_parents(result):
    for document in result.documents:
        by_path = {section.path: section for section in document.sections}
        for section in document.sections:
            assert document.start <= section.start < section.end <= document.end
            if "/" in section.path:
                parent = by_path[section.path.rsplit("/", 1)[0]]
                assert parent.start < section.start and section.end <= parent.end
                assert section.level == parent.level + 1


def test_transmitted_sections(transmitted):
    paths = [section.path for section in transmitted.sections]
    assert [path for path in paths if "/" not in path] == ["一", "二", "三", "四", "五", "六"]
    measures = [path.split("/")[1] for path in paths if "/" in path]
    numbers = "一 二 三 四 五 六 七 八 九 十 十一 十二 十三 十四 十五 十六 十七 十八 十九 二十"
    assert measures == [f"({number})" for number in numbers.split()]
    assert paths[paths.index("三") + 1] == "三/(八)"


def test_citations(opinion, transmitted, notice):
    assert [(c.title, c.doc_number) for c in opinion.citations] == [
        ("国务院关于加强数字政府建设的指导意见", "国发〔2022〕14号"),
        ("全国一体化政务大数据体系建设指南", None),
    ]
    assert (
        opinion.citations[0].raw == "《国务院关于加强数字政府建设的指导意见》（国发〔2022〕14号）"
    )
    assert [(c.title, c.doc_number) for c in notice.citations] == [
        ("关于深化生态保护补偿制度改革的实施意见", None)
    ]
    assert [c.title for c in transmitted.citations] == [
        "关于深化生态保护补偿制度改革的意见",
        "宁夏回族自治区建设黄河流域生态保护和高质量发展先行区促进条例",
    ]


def test_citation_offsets(result):
    for document in result.documents:
        for citation in document.citations:
            assert result.text[citation.start : citation.end] == citation.raw


def test_124_table_tasks_numbered_once_each(opinion):
    tasks = [task for task in opinion.tasks if task.form == "table"]
    assert [task.number for task in tasks] == list(range(1, 125))
    assert tasks == opinion.tasks


def test_16_categories_in_order(opinion):
    categories = list(dict.fromkeys(task.category for task in opinion.tasks))
    assert categories == CATEGORIES
    counts = Counter(task.category for task in opinion.tasks)
    assert counts["(一) 驱动数字经济发展"] == 5
    assert counts["(十六) 加强党对数字政府建设工作的全面领导"] == 9


def test_the_raw_category_is_kept(opinion):
    assert opinion.tasks[0].category_raw == "(一) 驱动数字经济 发展"
    assert opinion.tasks[79].category_raw == "(十一) 提升 精细智能的 社会管理 能力"
    assert opinion.tasks[79].category == "(十一) 提升精细智能的社会管理能力"


def test_every_task_is_complete(opinion, result):
    header = re.compile("主要任务|重点内容|责任单位|完成时限")
    for task in opinion.tasks:
        assert task.content and task.raw_responsibility and task.deadline_text
        assert task.milestones, task.number
        assert task.lead_units or task.owner_units, task.number
        assert not header.search(task.content), task.number
        assert not re.match(r"\d+\s*[.．]", task.content), task.number
        assert f"{task.number + 1}. " not in task.content
        assert "\t" not in task.content + task.raw_responsibility + task.deadline_text
        row = result.text[task.start : task.end]
        assert row.count("\n") == 0 and task.content in row


def test_task_37(opinion, result):
    task = opinion.tasks[36]
    assert task.number == 37
    assert task.category == "(六) 加快构建循环利用的数据资源体系"
    assert task.content == (
        "按需建设政务数据实时交换系统，支持海量数据高速传输，实现数据分钟级共享，"
        "形成安全稳定、运行高效的数据供应链。"
    )
    assert task.raw_responsibility == "自治区各部门（单位）及各地级市具体负责"
    assert task.lead_units == [] and task.supporting_units == []
    assert names(task.owner_units) == ["自治区各部门（单位）", "各地级市"]
    assert all(unit.resolved and unit.group for unit in task.owner_units)
    assert task.deadline_text == "2024年"
    assert [(m.kind, m.year, m.on, m.text) for m in task.milestones] == [
        (MilestoneKind.COMPLETE, 2024, None, "2024年")
    ]
    assert result.text[task.start : task.end] == (
        "\t37. " + task.content + "\t" + task.raw_responsibility + "\t2024年"
    )


def test_task_121(opinion, result):
    task = opinion.tasks[120]
    assert task.number == 121
    assert task.category == "(十六) 加强党对数字政府建设工作的全面领导"
    assert task.content == (
        "每年度制定数字政府工作要点和重点任务考核指标体系，形成常态化考核和以奖代补工作机制。"
        "强化对政务信息化建设投资效益和应用水平的考核。"
    )
    assert task.raw_responsibility == "自治区政府办公厅负责，各市、县（区）、自治区相关部门参与"
    assert names(task.owner_units) == ["自治区政府办公厅"]
    assert task.owner_units[0].unit_codes and task.owner_units[0].resolved
    assert names(task.supporting_units) == ["各市、县（区）", "自治区相关部门"]
    assert task.supporting_units[0].group == "all-cities-and-counties"
    assert task.deadline_text == "长期坚持"
    assert [(m.kind, m.year) for m in task.milestones] == [(MilestoneKind.ONGOING, None)]
    # The first row after a repeated header: the category cell is repeated, not a new one.
    assert result.text[task.start : task.end].startswith("(十六) 加强党对数字政府建设")


def test_lead_units_of_the_first_task(opinion):
    task = opinion.tasks[0]
    assert names(task.lead_units) == ["自治区发展改革委", "自治区工业和信息化厅"]
    assert names(task.supporting_units) == ["自治区有关部门（单位）", "银川市", "中卫市"]
    assert [(m.kind, m.year) for m in task.milestones] == [
        (MilestoneKind.ONGOING, None),
        (MilestoneKind.EFFECTIVE, 2025),
    ]


def test_inline_measures(transmitted, result):
    """Measures （一）–（十七） end in 〔责任单位：…〕; （十八）–（二十） name none, yet are
    measures of the opinion all the same: kept as tasks without units, each with a finding."""
    tasks = transmitted.tasks
    assert [task.number for task in tasks] == list(range(1, 21))
    assert {task.form for task in tasks} == {"inline"}
    assert [task.category for task in tasks].count(
        "二、聚焦重要生态环境要素，完善分类补偿制度"
    ) == 7
    assert tasks[7].category == "三、强化生态安全保障，完善综合补偿制度"
    assert [task.content[:6] for task in tasks[17:]] == [
        "压实主体责任",
        "健全考评机制",
        "严格监督问责",
    ]
    assert all(task.category == "六、树牢生态保护责任意识，强化激励约束" for task in tasks[17:])
    assert all(task.raw_responsibility == "" and not task.owner_units for task in tasks[17:])
    first = tasks[0]
    assert first.content.startswith("开展水流生态保护补偿。加强水生生物多样性恢复")
    assert first.content.endswith("受损河湖探索开展水流生态保护补偿。")
    assert first.raw_responsibility == "自治区财政厅、水利厅、农业农村厅，各市、县（区）"
    assert names(first.owner_units) == [
        "自治区财政厅",
        "自治区水利厅",
        "自治区农业农村厅",
        "各市、县（区）",
    ]
    assert all(unit.resolved for unit in first.owner_units)
    for task in tasks[:17]:
        assert task.owner_units and "责任单位" not in task.content
        assert task.deadline_text == "" and task.milestones == []
        assert result.text[task.end - 1] in "〕]"


def test_inline_labels_broken_over_lines_and_mixed_brackets(transmitted):
    seventh = transmitted.tasks[6]  # "〔责任单" / "位：…〕" across a page break
    assert seventh.raw_responsibility == (
        "自治区财政厅、自然资源厅、生态环境厅、水利厅、农业农村厅、林草局，各市、县（区）"
    )
    fourteenth = transmitted.tasks[13]  # opened with 〔, closed with ]
    assert fourteenth.raw_responsibility == (
        "自治区人大法工委，司法厅、自然资源厅、水利厅、农业农村厅、林草局，宁夏税务局，各市、县（区）"
    )
    assert transmitted.tasks[14].raw_responsibility.startswith("自治区自然资源厅、生态环境厅")


def test_findings(result):
    assert [finding.code for finding in result.findings] == [
        "title-differs",
        "responsibility-missing",
        "responsibility-missing",
        "responsibility-missing",
    ]
    for finding, measure in zip(
        result.findings[1:], ("（十八）", "（十九）", "（二十）"), strict=True
    ):
        assert result.text.startswith(measure, finding.offset)


def test_without_a_resolver_the_raw_text_stays():
    plain = parse(SAMPLE.read_bytes(), SAMPLE.name)
    task = plain.documents[0].tasks[0]
    assert task.raw_responsibility.startswith("自治区发展改革委、工业和信息化厅牵头负责")
    assert (task.lead_units, task.owner_units, task.supporting_units) == ([], [], [])


def test_to_dict_is_json(result):
    data = json.loads(json.dumps(result.to_dict(), ensure_ascii=False))
    assert data["gazette"]["published_on"] == "2023-05-31"
    assert data["documents"][0]["tasks"][0]["milestones"][1] == {
        "kind": "effective",
        "year": 2025,
        "on": None,
        "text": "2025年取得明显成效",
    }
