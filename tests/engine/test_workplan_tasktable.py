"""Reading key-task decomposition tables (重点工作分解表) as bureaus really write them."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Collection, Sequence

import openpyxl
import pytest
from hypothesis import given
from hypothesis import strategies as st

from dudao.engine.tables.errors import InputErrors
from dudao.engine.workplan import parse_task_table, plan_to_dict, split_names
from dudao.engine.workplan.tasktable import UNCATEGORISED, ParsedPlan, Problem

HEADER = ("类别", "序号", "重点工作任务", "责任领导", "责任股室", "协办股室（单位）")
Row = Sequence[object]


def xlsx(*sheets: tuple[str, Sequence[Row], Sequence[str]]) -> bytes:
    """A workbook of (sheet name, rows from row 1, merged ranges like "A3:A5")."""
    book = openpyxl.Workbook()
    book.remove(book.active)
    for name, rows, merges in sheets:
        sheet = book.create_sheet(name)
        for r, row in enumerate(rows, start=1):
            for c, value in enumerate(row, start=1):
                sheet.cell(r, c, value)
        for merged in merges:
            sheet.merge_cells(merged)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def parse(
    rows: Sequence[Row], merges: Sequence[str] = (), known_people: Collection[str] = ()
) -> ParsedPlan:
    data = xlsx(("分解表", rows, merges))
    return parse_task_table(data, "tasks.xlsx", known_people=known_people)


def problems_at(plan: ParsedPlan) -> list[tuple[int | None, str | None]]:
    return [(p.row, p.column) for p in plan.problems]


# ---------------------------------------------------------------- an awkward but valid table

AWKWARD: list[Row] = [
    ("2026年重点工作任务分解表",),
    HEADER,
    ("一、抓常规", 1, "规范办学行为", "张 三", "教育股", None),
    (None, 2.0, "课后服务全覆盖", "李四、王 五", "教育股 安全股", "财务室，办公室"),
    (None, "3", "作业管理", "局长办公会成员", "基础教育", "   "),
    (),
    (
        "强队伍",
        "4",
        "乡镇学校内部每年交流教师10%—15%",
        "赵六\n钱七",
        "人事股",
        "教师发展中心；各学校/督导室",
    ),
    HEADER,
    ("强队伍", 5, "师德建设", "孙　八", "人事股", ""),
    ("优布局", "６", "学校布局调整", "周九;吴十", "规划股", None),
    (),
    (None, "  "),
]
AWKWARD_MERGES = ["A1:F1", "A3:A5"]


@pytest.fixture(scope="module")
def awkward() -> ParsedPlan:
    return parse(AWKWARD, AWKWARD_MERGES)


def test_the_awkward_table_reads_without_problems(awkward: ParsedPlan) -> None:
    assert awkward.problems == ()
    assert awkward.sheet == "分解表"
    assert [t.row for t in awkward.tasks] == [3, 4, 5, 7, 9, 10]


def test_merged_and_repeated_categories_give_each_category_once(awkward: ParsedPlan) -> None:
    assert awkward.categories == ("一、抓常规", "强队伍", "优布局")
    assert [t.category for t in awkward.tasks] == ["一、抓常规"] * 3 + ["强队伍"] * 2 + ["优布局"]


def test_numbers_are_written_forms_with_float_and_full_width_folded(awkward: ParsedPlan) -> None:
    assert [t.number for t in awkward.tasks] == ["1", "2", "3", "4", "5", "6"]


def test_names_are_split_on_every_separator_and_typed_apart_names_rejoined(
    awkward: ParsedPlan,
) -> None:
    leaders = [t.leaders for t in awkward.tasks]
    assert leaders == [
        ("张三",),
        ("李四", "王五"),
        ("局长办公会成员",),
        ("赵六", "钱七"),
        ("孙八",),
        ("周九", "吴十"),
    ]
    assert awkward.tasks[1].lead_departments == ("教育股", "安全股")
    assert awkward.tasks[1].co_departments == ("财务室", "办公室")
    assert awkward.tasks[3].co_departments == ("教师发展中心", "各学校", "督导室")


def test_departments_are_kept_as_written_and_empty_co_departments_are_empty(
    awkward: ParsedPlan,
) -> None:
    assert awkward.tasks[2].lead_departments == ("基础教育",)  # no 股 guessed
    assert [t.co_departments for t in awkward.tasks if not t.co_departments] == [()] * 4
    assert awkward.departments() == (
        "教育股", "安全股", "财务室", "办公室", "基础教育", "人事股",
        "教师发展中心", "各学校", "督导室", "规划股",
    )  # fmt: skip


def test_people_are_distinct_leaders_in_order(awkward: ParsedPlan) -> None:
    assert awkward.people()[:3] == ("张三", "李四", "王五")
    assert len(awkward.people()) == len(set(awkward.people())) == 9


def test_plan_to_dict_has_the_fixed_shape(awkward: ParsedPlan) -> None:
    data = plan_to_dict(awkward)
    assert list(data) == ["sheet", "title", "year", "categories", "tasks", "problems"]
    assert (data["title"], data["year"]) == ("2026年重点工作任务分解表", 2026)
    assert data["categories"] == ["一、抓常规", "强队伍", "优布局"]
    assert isinstance(data["tasks"], list)
    assert data["tasks"][1] == {
        "row": 4,
        "category": "一、抓常规",
        "number": "2",
        "text": "课后服务全覆盖",
        "leaders": ["李四", "王五"],
        "lead_departments": ["教育股", "安全股"],
        "co_departments": ["财务室", "办公室"],
        "deadline": "",
        "milestones": "",
        "targets": [],
    }
    assert data["tasks"][3]["targets"] == ["乡镇学校内部每年交流教师10%—15%"]
    assert data["problems"] == []


def test_a_category_on_a_row_of_its_own_heads_the_tasks_below() -> None:
    plan = parse([HEADER, ("抓常规",), (None, 1, "任务一", "张三", "教育股")], ["A2:F2"])
    assert plan.categories == ("抓常规",)
    assert [(t.row, t.category) for t in plan.tasks] == [(3, "抓常规")]
    assert plan.problems == ()


def test_a_merged_task_cell_collects_the_names_of_the_rows_it_covers() -> None:
    rows = [
        HEADER,
        ("抓常规", 1, "校园安防三个100%", "张三", "安全股", "后勤股"),
        (None, None, None, "李四", "人事股"),
    ]
    plan = parse(rows, ["B2:B3", "C2:C3"])
    assert len(plan.tasks) == 1
    assert plan.tasks[0].leaders == ("张三", "李四")
    assert plan.tasks[0].lead_departments == ("安全股", "人事股")
    assert plan.problems == ()


def test_merged_leader_cells_apply_to_every_task_they_cover() -> None:
    rows = [
        HEADER,
        ("抓常规", 1, "任务一", "张三", "教育股"),
        ("抓常规", 2, "任务二", None, "教育股"),
    ]
    plan = parse(rows, ["D2:D3"])
    assert [t.leaders for t in plan.tasks] == [("张三",), ("张三",)]


def test_header_variants_are_recognised_and_a_missing_number_column_is_a_problem() -> None:
    header = ("类 别", "重点工作", "分管领导", "责任科室", "协办单位")
    plan = parse([header, ("抓常规", "任务一", "张三", "教育股", "人事股")])
    assert [(t.text, t.lead_departments, t.co_departments) for t in plan.tasks] == [
        ("任务一", ("教育股",), ("人事股",))
    ]
    assert plan.tasks[0].number == ""
    assert plan.problems == (Problem(1, "序号", "表头中没有“序号”列"),)


def test_lead_department_header_may_be_written_as_lead_section_with_a_bracket_note() -> None:
    header = ("类别", "序号", "重点工作任务", "责任领导（分管）", "牵头股室", "协办股室(单位)")
    plan = parse([header, ("抓常规", 1, "任务一", "张三", "教育股", "人事股")])
    assert plan.tasks[0].leaders == ("张三",)
    assert plan.tasks[0].co_departments == ("人事股",)
    assert plan.problems == ()


def test_known_people_join_a_name_split_between_two_and_one_characters() -> None:
    rows = [HEADER, ("抓常规", 1, "任务一", "王 小明 李四", "教育股")]
    assert parse(rows).tasks[0].leaders == ("王", "小明", "李四")
    assert parse(rows, known_people={"王 小明"}).tasks[0].leaders == ("王小明", "李四")


# ---------------------------------------------------------------- row problems


def test_row_problems_carry_the_excel_row_and_column() -> None:
    rows: list[Row] = [
        ("2026年重点工作任务分解表",),
        (),
        HEADER,
        (None, 1, "无类别的任务", "张三", "教育股"),  # row 4
        ("抓常规", 2, None, "李四", "人事股"),  # row 5: no task text
        (None, 3),  # row 6: a number and nothing else
        (None, 4, "任务甲", "王五", None),  # row 7: no lead department
        (None, 4, "任务乙", "王五", "教育股"),  # row 8: number 4 again in 抓常规
        (None, None, "任务丙", None, "教育股"),  # row 9: no number, no leader
        ("强队伍", 4, "任务丁", "赵六", "人事股"),  # row 10: 4 again, other category: fine
    ]
    plan = parse(rows)
    assert problems_at(plan) == [
        (4, "类别"),
        (5, "重点工作任务"),
        (6, "重点工作任务"),
        (7, "责任股室"),
        (8, "序号"),
        (9, "序号"),
        (9, "责任领导"),
    ]
    reasons = [p.reason for p in plan.problems]
    assert "未分类" in reasons[0]
    assert reasons[1].startswith("任务内容为空")
    assert reasons[2].startswith("只有序号")
    assert reasons[4] == "序号“4”在类别“抓常规”中重复（第 7 行）"
    assert [t.row for t in plan.tasks] == [4, 7, 8, 9, 10]
    assert plan.categories == (UNCATEGORISED, "抓常规", "强队伍")


# ---------------------------------------------------------------- files and sheets


def test_the_first_sheet_with_a_header_is_read() -> None:
    data = xlsx(
        ("说明", [("填表说明：每项任务一行",)], []),
        ("分解表", [HEADER, ("抓常规", 1, "任务一", "张三", "教育股")], []),
    )
    plan = parse_task_table(data, "计划.xlsx")
    assert plan.sheet == "分解表"
    assert len(plan.tasks) == 1


def test_a_workbook_without_a_header_names_the_sheet() -> None:
    data = xlsx(("任务", [("姓名", "电话"), ("张三", "123")], []))
    with pytest.raises(InputErrors) as caught:
        parse_task_table(data, "计划.xlsx")
    (error,) = caught.value.errors
    assert error.sheet == "任务"
    assert "找不到表头" in error.reason
    assert "工作表“任务”" in str(error)


def test_a_gb18030_csv_is_read() -> None:
    text = "\n".join(
        [
            "2026年重点工作任务分解表,,,,,",
            ",".join(HEADER),
            "抓常规,1.0,规范办学,张 三,教育股,",
            ',2,课后服务,"李四、王五",教育股,人事股',
        ]
    )
    data = text.encode("gb18030")
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")
    plan = parse_task_table(data, "计划.csv")
    assert plan.sheet == "计划.csv"
    assert [(t.row, t.number, t.leaders) for t in plan.tasks] == [
        (3, "1", ("张三",)),
        (4, "2", ("李四", "王五")),
    ]
    assert plan.problems == ()


def test_a_utf8_csv_with_bom_is_read() -> None:
    text = ",".join(HEADER) + "\n抓常规,1,任务一,张三,教育股,\n"
    plan = parse_task_table(text.encode("utf-8-sig"), "计划.csv")
    assert plan.tasks[0].category == "抓常规"


@pytest.mark.parametrize(
    ("data", "name", "words"),
    [
        (b"PK\x03\x04 not really a zip", "计划.xlsx", "文件不是有效的 Excel（.xlsx）文件"),
        (b"whatever", "计划.docx", "不支持的文件类型"),
        (b"", "计划.csv", "找不到表头"),
    ],
)
def test_unreadable_files_raise_located_input_errors(data: bytes, name: str, words: str) -> None:
    with pytest.raises(InputErrors) as caught:
        parse_task_table(data, name)
    (error,) = caught.value.errors
    assert error.sheet == name
    assert words in error.reason


def test_the_cli_keeps_a_compound_surname_with_its_given_name() -> None:
    data = xlsx(("Sheet1", [HEADER, ("抓常规", 1, "任务一", "欧阳 娜娜", "教育股", "")], []))
    assert parse_task_table(data, "计划.xlsx").tasks[0].leaders == ("欧阳娜娜",)


# ---------------------------------------------------------------- split_names


@pytest.mark.parametrize(
    ("cell", "names"),
    [
        ("张 三 李四", ("张三", "李四")),
        ("张 三、王 五", ("张三", "王五")),
        ("王局长 李副局长", ("王局长", "李副局长")),
        ("局长办公会成员", ("局长办公会成员",)),
        ("张　三", ("张三",)),
        ("张三,张三；李四", ("张三", "李四")),
        ("张、三", ("张", "三")),
        ("欧阳 娜娜", ("欧阳娜娜",)),
        ("欧阳 娜娜 张 三", ("欧阳娜娜", "张三")),
        ("司马 光、诸葛 亮", ("司马光", "诸葛亮")),
        ("上官 婉儿 东方 明", ("上官婉儿", "东方明")),
        ("欧阳、娜娜", ("欧阳", "娜娜")),
        (" 、 ", ()),
        ("", ()),
    ],
)
def test_split_names_examples(cell: str, names: tuple[str, ...]) -> None:
    assert split_names(cell) == names


SURNAMES_AND_GIVEN = "张王李赵钱孙周吴郑冯陈明华国强建军平红英"
names = st.lists(
    st.text(alphabet=SURNAMES_AND_GIVEN, min_size=2, max_size=3),
    min_size=1,
    max_size=6,
    unique=True,
)
separators = st.sampled_from([" ", "  ", "\u3000", "、", "，", ",", "；", ";", "/", "\n", " 、 "])


def _join(parts: list[str], seps: list[str]) -> str:
    return "".join(p + s for p, s in zip(parts, [*seps, ""], strict=False))


@given(names, st.lists(separators, min_size=6, max_size=6), separators, separators)
def test_names_joined_by_any_separators_come_back(
    written: list[str], seps: list[str], before: str, after: str
) -> None:
    assert split_names(before + _join(written, seps) + after) == tuple(written)


@given(names, st.lists(separators, min_size=6, max_size=6), st.data())
def test_two_character_names_typed_apart_are_rejoined(
    written: list[str], seps: list[str], data: st.DataObject
) -> None:
    typed = [
        n[0] + data.draw(st.sampled_from([" ", "\u3000", "  "])) + n[1]
        if len(n) == 2 and data.draw(st.booleans())
        else n
        for n in written
    ]
    assert split_names(_join(typed, seps)) == tuple(written)


# ---------------------------------------------------------------- 完成时限, 节点安排, targets, year

TIMED = (*HEADER, "完成时限", "节点安排")


def test_deadline_milestones_and_targets_are_read() -> None:
    plan = parse(
        [
            ("华容县教育体育局2026年重点工作任务分解表",),
            ("华教发〔2026〕3号",),
            TIMED,
            (
                "抓常规",
                1,
                "义务教育巩固率达到99%以上，新建学校3所",
                "张三",
                "教育股",
                "",
                "6月底前",
                "3月启动",
            ),
            (None, 2, "规范办学行为", "张三", "教育股", "", None, None),
        ],
        ["A1:H1"],
    )
    assert plan.problems == ()
    assert (plan.title, plan.year) == ("华容县教育体育局2026年重点工作任务分解表", 2026)
    first, second = plan.tasks
    assert (first.deadline, first.milestones) == ("6月底前", "3月启动")
    assert first.targets == ("义务教育巩固率达到99%以上", "新建学校3所")
    assert (second.deadline, second.milestones, second.targets) == ("", "", ())


@pytest.mark.parametrize("deadline", ["时限", "完成时间", "办结时限", "完成 时限"])
@pytest.mark.parametrize("milestones", ["节点安排", "时间节点"])
def test_deadline_and_milestone_headers_have_aliases(deadline: str, milestones: str) -> None:
    plan = parse(
        [
            (*HEADER, deadline, milestones),
            ("抓常规", 1, "任务", "张三", "教育股", "", "年底", "每季度"),
        ]
    )
    assert plan.problems == ()
    assert (plan.tasks[0].deadline, plan.tasks[0].milestones) == ("年底", "每季度")


def test_an_unreadable_deadline_is_a_problem_quoting_the_cell() -> None:
    plan = parse(
        [
            ("2026年分解表",),
            TIMED,
            ("抓常规", 1, "任务一", "张三", "教育股", "", "按上级要求"),
            (None, 2, "任务二", "张三", "教育股", "", "2026-06-30"),
        ]
    )
    assert problems_at(plan) == [(3, "完成时限")]
    assert "“按上级要求”" in plan.problems[0].reason and "无法识别" in plan.problems[0].reason
    assert [t.deadline for t in plan.tasks] == ["按上级要求", "2026-06-30"]  # both still listed


def test_an_excel_date_deadline_is_read() -> None:
    plan = parse([TIMED, ("抓常规", 1, "任务", "张三", "教育股", "", dt.datetime(2026, 6, 30))])
    assert plan.problems == ()
    assert plan.tasks[0].deadline == "2026-06-30"


def test_a_merged_deadline_applies_to_every_task_below() -> None:
    rows = [
        TIMED,
        ("抓常规", 1, "任务一", "张三", "教育股", "", "年底"),
        (None, 2, "任务二", "张三", "教育股", "", None),
    ]
    plan = parse(rows, ["G2:G3"])
    assert [t.deadline for t in plan.tasks] == ["年底", "年底"]


def test_milestones_on_rows_inside_a_tasks_merged_cell_are_added_to_it() -> None:
    rows = [
        TIMED,
        ("抓常规", 1, "任务一", "张三", "教育股", "", "", "3月启动"),
        (None, None, None, None, None, None, "6月底", "6月验收"),
    ]
    plan = parse(rows, ["C2:C3", "B2:B3"])
    assert plan.problems == ()
    (task,) = plan.tasks
    assert (task.deadline, task.milestones) == ("6月底", "3月启动\n6月验收")


@pytest.mark.parametrize(
    ("title", "year"),
    [
        ("华容县教育体育局2026年重点工作任务分解表", 2026),
        ("２０２７年重点工作", 2027),
        ("重点工作任务分解表", None),
        ("1998年老表格", None),
        ("编号20261号", None),  # five digits are not a year
    ],
)
def test_the_year_is_read_from_the_title_rows(title: str, year: int | None) -> None:
    plan = parse([(title,), HEADER, ("抓常规", 1, "任务", "张三", "教育股")])
    assert (plan.title, plan.year) == (title, year)


def test_a_table_without_title_rows_has_no_title_nor_year() -> None:
    plan = parse([HEADER, ("抓常规", 1, "2026年完成任务", "张三", "教育股")])
    assert (plan.title, plan.year) == ("", None)


def test_a_deadline_without_a_year_is_checked_in_the_plan_year() -> None:
    rows = [("2027年分解表",), TIMED, ("抓常规", 1, "任务", "张三", "教育股", "", "2月29日")]
    assert problems_at(parse(rows)) == [(3, "完成时限")]  # 2027 is not a leap year
    rows[0] = ("2028年分解表",)
    assert parse(rows).problems == ()
