"""The county office's institution import: all or nothing, every error listed."""

from __future__ import annotations

from io import BytesIO

import pytest
import xlsxwriter
from conftest import Cast
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from dudao.orgs import services
from dudao.orgs.choices import SchoolType
from dudao.orgs.models import Institution, Region

URL = reverse("orgs:institution_import")
HEADER = "学校标识码,学校名称,学校类型,办学性质,城乡类别,乡镇（街道）"


def _csv(*lines: str, header: str = HEADER) -> SimpleUploadedFile:
    text = "\n".join([header, *lines]) + "\n"
    return SimpleUploadedFile("学校名单.csv", text.encode("utf-8"), content_type="text/csv")


def _xlsx(rows: list[list[object]]) -> SimpleUploadedFile:
    buffer = BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    sheet = book.add_worksheet("学校")
    sheet.write_row(0, 0, ["青川县学校名单"])  # a title row above the header
    sheet.write_row(1, 0, HEADER.split(","))
    for number, row in enumerate(rows, start=2):
        sheet.write_row(number, 0, row)
    book.close()
    return SimpleUploadedFile("学校名单.xlsx", buffer.getvalue())


def test_the_county_office_imports_a_csv_list(client: Client, cast: Cast) -> None:
    client.force_login(cast.supervisor)
    upload = _csv(
        "2151000009,新民乡中心小学,小学,公办,镇区,新民乡",
        "2151000002,城关第一初级中学（更名）,初中,公办,城区,",
    )
    response = client.post(URL, {"file": upload})
    assert response.status_code == 302
    new = Institution.objects.get(code="2151000009")
    assert (new.county, new.area_type, new.township.name) == (cast.county, "镇区", "新民乡")
    assert new.township.parent == cast.county
    assert Institution.objects.get(code="2151000002").name == "城关第一初级中学（更名）"
    message = str(next(iter(client.get(reverse("orgs:institutions")).context["messages"])))
    assert "新增 1 所，更新 1 所" in message and "新民乡" in message


def test_an_excel_list_with_a_title_row_and_numeric_codes_is_read(
    client: Client, cast: Cast
) -> None:
    client.force_login(cast.supervisor)
    rows = [[2151000010, "石桥镇初级中学", "初中", "公办", "镇区", "石桥镇"]]
    assert client.post(URL, {"file": _xlsx(rows)}).status_code == 302
    school = Institution.objects.get(code="2151000010")
    assert school.township == cast.township  # an existing township is reused


def test_every_error_is_listed_with_row_column_and_reason_and_nothing_is_saved(
    client: Client, cast: Cast
) -> None:
    client.force_login(cast.supervisor)
    upload = _csv(
        "2151000011,新学校,小学,公办,城区,城关镇",
        "2151000012,怪学校,大学,公办,城区,",
        "2151000011,重复学校,小学,公办,城区,",
        "2151000003,河西的学校,小学,公办,城区,",
        "2151000013,,小学,公办,城区,",
    )
    response = client.post(URL, {"file": upload})
    assert response.status_code == 200
    errors = [(e.row, e.column, e.reason) for e in response.context["errors"]]
    assert (3, "学校类型", "未知的学校类型“大学”，可选：" + "、".join(SchoolType.values)) in errors
    assert (4, "学校标识码", "学校标识码“2151000011”与第 2 行重复") in errors
    assert (5, "学校标识码", "学校标识码“2151000003”已被其他区县的学校使用") in errors
    assert (6, "学校名称", "缺少学校名称") in errors
    assert "未导入任何数据" in response.text
    assert not Institution.objects.filter(code__in=["2151000011", "2151000012"]).exists()
    assert not Region.objects.filter(name="城关镇").exists()


def test_a_file_without_the_expected_columns_is_refused(client: Client, cast: Cast) -> None:
    client.force_login(cast.supervisor)
    upload = _csv("2151000011,新学校", header="学校标识码,学校名称")
    response = client.post(URL, {"file": upload})
    missing = {e.column for e in response.context["errors"]}
    assert missing == {"学校类型", "办学性质", "城乡类别", "乡镇（街道）"}


def test_other_file_types_are_refused_by_the_form(client: Client, cast: Cast) -> None:
    client.force_login(cast.supervisor)
    upload = SimpleUploadedFile("名单.txt", b"hello")
    response = client.post(URL, {"file": upload})
    assert response.status_code == 200
    assert "不支持的文件类型" in response.text


def test_the_import_page_shows_the_form(client: Client, cast: Cast) -> None:
    client.force_login(cast.supervisor)
    response = client.get(URL)
    assert response.status_code == 200
    assert "学校标识码" in response.text


def test_a_leader_may_not_import(client: Client, cast: Cast) -> None:
    client.force_login(cast.leader)
    assert client.get(URL).status_code == 403
    assert client.post(URL, {"file": _csv("2151000011,新学校,小学,公办,城区,")}).status_code == 403


def test_a_school_clerk_may_not_import(client: Client, cast: Cast) -> None:
    client.force_login(cast.clerk_a)
    assert client.get(URL).status_code == 403


def test_another_county_is_missing(client: Client, cast: Cast) -> None:
    client.force_login(cast.supervisor)
    assert client.get(URL, {"county": cast.other_county.pk}).status_code == 404
    upload = _csv("2151000011,新学校,小学,公办,城区,")
    assert client.post(f"{URL}?county={cast.other_county.pk}", {"file": upload}).status_code == 404
    assert not Institution.objects.filter(code="2151000011").exists()


def test_anonymous_visitors_are_sent_to_log_in(client: Client, cast: Cast) -> None:
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith("/login/?next=")


def test_the_service_refuses_a_city_reviewer(cast: Cast) -> None:
    content = f"{HEADER}\n2151000011,新学校,小学,公办,城区,\n".encode()
    with pytest.raises(PermissionDenied):
        services.institutions_import(cast.city_reviewer, cast.county, "a.csv", content)


def test_a_gb18030_csv_is_read(cast: Cast) -> None:
    content = f"{HEADER}\n2151000011,新学校,小学,公办,乡村,红岩乡\n".encode("gb18030")
    summary = services.institutions_import(cast.supervisor, cast.county, "a.csv", content)
    assert (summary.created, summary.townships) == (1, ["红岩乡"])


def test_the_template_lists_the_expected_headers(client: Client, cast: Cast) -> None:
    client.force_login(cast.supervisor)
    response = client.get(reverse("orgs:institution_template"))
    assert response.status_code == 200
    assert response.content.decode("utf-8-sig").strip() == HEADER
