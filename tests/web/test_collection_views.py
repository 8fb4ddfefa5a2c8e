"""Collection pages: allowed, other scope (404), anonymous (log-in), forbidden actions (403)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from io import BytesIO
from pathlib import Path

from conftest import Cast
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from dudao.collection import services
from dudao.collection.choices import SubmissionStatus
from dudao.collection.models import Period, Submission
from dudao.engine.spec import load_framework
from dudao.engine.tables import read_schools
from dudao.orgs.models import Institution

FIGURES = {
    "teaching_area": 3000,
    "sports_area": 5000,
    "equipment_value": 1e6,
    "multimedia_rooms": 9,
}
STALE = "该数据已被他人修改，请刷新后再改"


def submitted(cast: Cast, **values: object) -> Submission:
    return services.submission_submit(
        cast.clerk_a, (cast.period, cast.school_a), 0, values={**FIGURES, **values}
    )


def page(response: object) -> str:
    return response.content.decode()  # type: ignore[attr-defined]


def assert_login_redirect(client: Client, url: str, method: str = "get") -> None:
    response = getattr(client, method)(url)
    assert response.status_code == 302
    assert response["Location"].startswith(f"/login/?next={url}")


# ---------------------------------------------------------------- periods and the grid


def test_periods_lists_the_user_s_periods(cast: Cast, as_user: Callable[[User], Client]) -> None:
    response = as_user(cast.supervisor).get(reverse("collection:periods"))
    assert response.status_code == 200
    assert "青川县" in page(response) and "河西区" not in page(response)
    assert "开启填报期" in page(response)


def test_periods_for_a_school_link_to_its_own_forms(
    cast: Cast, as_user: Callable[[User], Client]
) -> None:
    response = as_user(cast.clerk_a).get(reverse("collection:periods"))
    assert reverse("collection:mine") in page(response)
    assert reverse("collection:period", args=[cast.period.pk]) not in page(response)


def test_periods_needs_a_log_in(cast: Cast, client: Client) -> None:
    assert_login_redirect(client, reverse("collection:periods"))


def test_periods_query_count_is_bounded(
    cast: Cast, as_user: Callable[[User], Client], django_assert_max_num_queries: object
) -> None:
    for year in range(2015, 2025):
        Period.objects.create(county=cast.county, name=f"{year}学年", framework="yzjh-2017")
    client = as_user(cast.city_reviewer)
    with django_assert_max_num_queries(8):  # type: ignore[operator]
        assert client.get(reverse("collection:periods")).status_code == 200


def test_the_county_office_opens_a_period(cast: Cast, as_user: Callable[[User], Client]) -> None:
    data = {"county": cast.county.pk, "name": "2027学年", "framework": "yzjh-2017"}
    response = as_user(cast.supervisor).post(reverse("collection:period_open"), data)
    assert response.status_code == 302
    assert Period.objects.filter(county=cast.county, name="2027学年").exists()


def test_a_leader_cannot_open_or_close_periods(
    cast: Cast, as_user: Callable[[User], Client]
) -> None:
    client = as_user(cast.leader)
    data = {"county": cast.county.pk, "name": "2027学年", "framework": "yzjh-2017"}
    assert client.post(reverse("collection:period_open"), data).status_code == 403
    assert client.post(reverse("collection:period_close", args=[cast.period.pk])).status_code == 403
    cast.period.refresh_from_db()
    assert cast.period.status == "open"


def test_closing_another_county_s_period_is_not_found(
    cast: Cast, as_user: Callable[[User], Client]
) -> None:
    url = reverse("collection:period_close", args=[cast.period.pk])
    assert as_user(cast.other_supervisor).post(url).status_code == 404


def test_the_grid_shows_statuses_and_counts(cast: Cast, as_user: Callable[[User], Client]) -> None:
    submitted(cast)
    response = as_user(cast.city_reviewer).get(reverse("collection:period", args=[cast.period.pk]))
    assert response.status_code == 200
    text = page(response)
    assert "已提交 1" in text and "未填报 1" in text
    assert cast.school_b.name in text


def test_the_grid_filters_with_htmx(cast: Cast, as_user: Callable[[User], Client]) -> None:
    services.submission_save(cast.clerk_a, (cast.period, cast.school_a), {"books": 1}, 0)
    url = reverse("collection:period", args=[cast.period.pk])
    response = as_user(cast.supervisor).get(
        url, {"status": "not_started"}, headers={"HX-Request": "true"}
    )
    text = page(response)
    assert "<html" not in text
    assert cast.school_b.name in text and cast.school_a.name not in text


def test_the_grid_of_another_county_is_not_found(
    cast: Cast, as_user: Callable[[User], Client]
) -> None:
    url = reverse("collection:period", args=[cast.period.pk])
    assert as_user(cast.other_supervisor).get(url).status_code == 404
    assert as_user(cast.clerk_a).get(url).status_code == 404


def test_the_grid_needs_a_log_in(cast: Cast, client: Client) -> None:
    assert_login_redirect(client, reverse("collection:period", args=[cast.period.pk]))


def test_the_grid_query_count_is_bounded_with_thirty_schools(
    cast: Cast, as_user: Callable[[User], Client], django_assert_max_num_queries: object
) -> None:
    schools = Institution.objects.bulk_create(
        Institution(
            code=f"21519{i:05d}",
            name=f"第{i}小学",
            school_type="小学",
            ownership="公办",
            county=cast.county,
            township=cast.township,
        )
        for i in range(30)
    )
    Submission.objects.bulk_create(
        Submission(period=cast.period, institution=s, updated_by=cast.clerk_a) for s in schools
    )
    client = as_user(cast.supervisor)
    with django_assert_max_num_queries(8):  # type: ignore[operator]
        response = client.get(reverse("collection:period", args=[cast.period.pk]))
    assert page(response).count("<tr>") == 33  # header and 32 schools


# ---------------------------------------------------------------- filling


def fill_url(cast: Cast, school: Institution | None = None) -> str:
    return reverse("collection:fill", args=[cast.period.pk, (school or cast.school_a).pk])


def test_the_form_shows_the_school_s_fields_grouped_with_units(
    cast: Cast, as_user: Callable[[User], Client]
) -> None:
    response = as_user(cast.clerk_a).get(fill_url(cast))
    assert response.status_code == 200
    text = page(response)
    assert "办学条件" in text and "教学及辅助用房面积（平方米）" in text
    assert "students_primary" in text and "students_junior" not in text
    assert "school_code" not in text  # info fields are not filled here
    assert 'name="version" value="0"' in text


def test_a_clerk_saves_a_draft(cast: Cast, as_user: Callable[[User], Client]) -> None:
    data = {"version": 0, "action": "save", "students_primary": "600", "teaching_area": "3000"}
    response = as_user(cast.clerk_a).post(fill_url(cast), data)
    assert response.status_code == 302
    submission = Submission.objects.get(institution=cast.school_a)
    assert submission.values == {"students_primary": 600, "teaching_area": 3000}
    assert submission.status == SubmissionStatus.DRAFT


def test_a_clerk_submits(cast: Cast, as_user: Callable[[User], Client]) -> None:
    data = {"version": 0, "action": "submit", **{k: str(v) for k, v in FIGURES.items()}}
    response = as_user(cast.clerk_a).post(fill_url(cast), data)
    assert response.status_code == 302
    assert Submission.objects.get(institution=cast.school_a).status == SubmissionStatus.SUBMITTED


def test_invalid_figures_are_shown_beside_their_field(
    cast: Cast, as_user: Callable[[User], Client]
) -> None:
    data = {"version": 0, "action": "save", "students_primary": "12.5"}
    response = as_user(cast.clerk_a).post(fill_url(cast), data)
    assert response.status_code == 200
    assert not Submission.objects.exists()


def test_a_stale_form_is_refused_and_nothing_is_overwritten(
    cast: Cast, as_user: Callable[[User], Client]
) -> None:
    services.submission_save(cast.principal_a, (cast.period, cast.school_a), {"books": 100}, 0)
    data = {"version": 0, "action": "save", "books": "5"}
    response = as_user(cast.clerk_a).post(fill_url(cast), data)
    assert response.status_code == 200
    assert STALE in page(response)
    assert Submission.objects.get(institution=cast.school_a).values == {"books": 100}


def test_returned_comments_are_shown_next_to_the_fields(
    cast: Cast, as_user: Callable[[User], Client]
) -> None:
    submission = submitted(cast)
    services.submission_return(
        cast.supervisor, submission, {"sports_area": "面积偏大"}, "请核实", 2
    )
    text = page(as_user(cast.clerk_a).get(fill_url(cast)))
    assert "退回意见：面积偏大" in text and "请核实" in text


def test_a_submitted_form_is_read_only(cast: Cast, as_user: Callable[[User], Client]) -> None:
    submitted(cast)
    text = page(as_user(cast.clerk_a).get(fill_url(cast)))
    assert "等待审核" in text and "保存草稿" not in text


def test_another_school_s_form_is_not_found(cast: Cast, as_user: Callable[[User], Client]) -> None:
    assert as_user(cast.clerk_b).get(fill_url(cast)).status_code == 404
    other = reverse("collection:fill", args=[cast.other_period.pk, cast.school_c.pk])
    assert as_user(cast.clerk_a).get(other).status_code == 404


def test_a_leader_in_scope_cannot_fill(cast: Cast, as_user: Callable[[User], Client]) -> None:
    client = as_user(cast.leader)
    assert client.get(fill_url(cast)).status_code == 403
    assert client.post(fill_url(cast), {"version": 0, "books": "1"}).status_code == 403
    assert not Submission.objects.exists()


def test_the_form_needs_a_log_in(cast: Cast, client: Client) -> None:
    assert_login_redirect(client, fill_url(cast))


def test_mine_shows_what_to_fill_and_why_it_was_returned(
    cast: Cast, as_user: Callable[[User], Client]
) -> None:
    submission = submitted(cast)
    services.submission_return(cast.supervisor, submission, {}, "体育面积请按实测填写", 2)
    response = as_user(cast.clerk_a).get(reverse("collection:mine"))
    assert response.status_code == 200
    text = page(response)
    assert "已退回" in text and "体育面积请按实测填写" in text
    assert fill_url(cast) in text


def test_mine_lists_nothing_for_a_county_user(
    cast: Cast, as_user: Callable[[User], Client]
) -> None:
    response = as_user(cast.supervisor).get(reverse("collection:mine"))
    assert response.status_code == 200
    assert cast.school_a.name not in page(response)


def test_mine_needs_a_log_in(cast: Cast, client: Client) -> None:
    assert_login_redirect(client, reverse("collection:mine"))


def test_mine_query_count_is_bounded(
    cast: Cast, as_user: Callable[[User], Client], django_assert_max_num_queries: object
) -> None:
    for year in range(2018, 2026):
        Period.objects.create(county=cast.county, name=f"{year}学年", framework="yzjh-2017")
    client = as_user(cast.clerk_a)
    with django_assert_max_num_queries(8):  # type: ignore[operator]
        assert client.get(reverse("collection:mine")).status_code == 200


# ---------------------------------------------------------------- review


def review_url(submission: Submission, name: str = "review") -> str:
    return reverse(f"collection:{name}", args=[submission.pk])


def test_review_shows_last_period_beside_and_flags_jumps(
    cast: Cast, as_user: Callable[[User], Client]
) -> None:
    before = Period.objects.create(county=cast.county, name="2025学年", framework="yzjh-2017")
    Period.objects.filter(pk=before.pk).update(opened_at=cast.period.opened_at - timedelta(days=1))
    Submission.objects.create(
        period=before,
        institution=cast.school_a,
        values={"sports_area": 3000, "teaching_area": 2900},
    )
    submission = submitted(cast)
    response = as_user(cast.supervisor).get(review_url(submission))
    assert response.status_code == 200
    text = page(response)
    assert "+67%" in text  # sports area 3000 → 5000
    assert "+3%" not in text  # teaching area 2900 → 3000 is within 30%
    assert "审核通过" in text and "退回修改" in text


def test_review_of_another_school_is_not_found(
    cast: Cast, as_user: Callable[[User], Client]
) -> None:
    submission = submitted(cast)
    assert as_user(cast.clerk_b).get(review_url(submission)).status_code == 404
    assert as_user(cast.other_supervisor).get(review_url(submission)).status_code == 404


def test_review_needs_a_log_in(cast: Cast, client: Client) -> None:
    assert_login_redirect(client, review_url(submitted(cast)))


def test_a_leader_sees_the_review_without_actions(
    cast: Cast, as_user: Callable[[User], Client]
) -> None:
    submission = submitted(cast)
    client = as_user(cast.leader)
    assert "审核通过" not in page(client.get(review_url(submission)))
    assert client.post(review_url(submission, "approve"), {"version": 2}).status_code == 403
    data = {"version": 2, "general": "不行"}
    assert client.post(review_url(submission, "return"), data).status_code == 403
    submission.refresh_from_db()
    assert submission.status == SubmissionStatus.SUBMITTED


def test_a_reviewer_returns_with_field_comments(
    cast: Cast, as_user: Callable[[User], Client]
) -> None:
    submission = submitted(cast)
    data = {"version": 2, "general": "", "comment_sports_area": "请核实"}
    response = as_user(cast.city_reviewer).post(review_url(submission, "return"), data)
    assert response.status_code == 302
    submission.refresh_from_db()
    assert submission.status == SubmissionStatus.RETURNED


def test_returning_without_comments_is_refused(
    cast: Cast, as_user: Callable[[User], Client]
) -> None:
    submission = submitted(cast)
    client = as_user(cast.supervisor)
    response = client.post(review_url(submission, "return"), {"version": 2}, follow=True)
    assert "退回时请填写退回意见" in page(response)
    submission.refresh_from_db()
    assert submission.status == SubmissionStatus.SUBMITTED


def test_approving_with_a_stale_version_is_refused(
    cast: Cast, as_user: Callable[[User], Client]
) -> None:
    submission = submitted(cast)
    client = as_user(cast.supervisor)
    response = client.post(review_url(submission, "approve"), {"version": 1}, follow=True)
    assert STALE in page(response)
    submission.refresh_from_db()
    assert submission.status == SubmissionStatus.SUBMITTED


def test_approve_then_reopen_by_the_county_office(
    cast: Cast, as_user: Callable[[User], Client]
) -> None:
    submission = submitted(cast)
    client = as_user(cast.supervisor)
    assert client.post(review_url(submission, "approve"), {"version": 2}).status_code == 302
    assert "重新打开" in page(client.get(review_url(submission)))
    response = client.post(review_url(submission, "reopen"), {"reason": "学籍更正"})
    assert response.status_code == 302
    submission.refresh_from_db()
    assert submission.status == SubmissionStatus.RETURNED


def test_a_city_reviewer_cannot_reopen(cast: Cast, as_user: Callable[[User], Client]) -> None:
    submission = submitted(cast)
    services.submission_approve(cast.supervisor, submission, 2)
    response = as_user(cast.city_reviewer).post(review_url(submission, "reopen"), {"reason": "x"})
    assert response.status_code == 403


def test_history_shows_who_field_old_new_and_comment(
    cast: Cast, as_user: Callable[[User], Client]
) -> None:
    submission = submitted(cast)
    services.submission_return(cast.supervisor, submission, {"sports_area": "偏大"}, "", 2)
    services.submission_save(cast.clerk_a, submission, {"sports_area": 4500}, 3)
    response = as_user(cast.clerk_a).get(review_url(submission, "history"))
    assert response.status_code == 200
    text = page(response)
    line = (
        "<td>小学填报员</td><td>保存</td><td>体育运动场馆面积（平方米）</td>\n"
        '    <td class="num">5000</td><td class="num">4500</td>'
    )
    assert line in text
    assert "<td>督导室王</td><td>退回</td><td>体育运动场馆面积（平方米）</td>" in text
    assert "偏大" in text


def test_history_of_another_school_is_not_found(
    cast: Cast, as_user: Callable[[User], Client]
) -> None:
    assert as_user(cast.clerk_b).get(review_url(submitted(cast), "history")).status_code == 404


def test_history_needs_a_log_in(cast: Cast, client: Client) -> None:
    assert_login_redirect(client, review_url(submitted(cast), "history"))


# ---------------------------------------------------------------- import and template


def import_url(cast: Cast) -> str:
    return reverse("collection:import", args=[cast.period.pk])


def test_the_import_page_links_the_template(cast: Cast, as_user: Callable[[User], Client]) -> None:
    response = as_user(cast.supervisor).get(import_url(cast))
    assert response.status_code == 200
    assert reverse("collection:template", args=[cast.period.pk]) in page(response)


def test_the_import_page_is_for_the_county_office_only(
    cast: Cast, as_user: Callable[[User], Client]
) -> None:
    assert as_user(cast.leader).get(import_url(cast)).status_code == 403
    assert as_user(cast.other_supervisor).get(import_url(cast)).status_code == 404
    assert as_user(cast.clerk_a).get(import_url(cast)).status_code == 404


def test_the_import_page_needs_a_log_in(cast: Cast, client: Client) -> None:
    assert_login_redirect(client, import_url(cast))


def test_the_template_lists_the_county_s_schools(
    cast: Cast, as_user: Callable[[User], Client], tmp_path: Path
) -> None:
    response = as_user(cast.supervisor).get(reverse("collection:template", args=[cast.period.pk]))
    assert response.status_code == 200
    path = tmp_path / "template.xlsx"
    path.write_bytes(b"".join(response.streaming_content))  # type: ignore[attr-defined]
    frame = read_schools(path, load_framework("yzjh-2017"))
    assert frame["school_code"].to_list() == [cast.school_a.code, cast.school_b.code]


def test_the_template_of_another_county_is_not_found(
    cast: Cast, as_user: Callable[[User], Client]
) -> None:
    url = reverse("collection:template", args=[cast.period.pk])
    assert as_user(cast.other_supervisor).get(url).status_code == 404


def csv_upload(rows: list[str]) -> SimpleUploadedFile:
    """A CSV school table: info, students per level, then the required columns left blank."""
    header = (
        "学校标识码,学校名称,区县,学校类型,办学性质,在校学生数（小学）（人）,在校学生数（初中）（人）,"
        "teaching_area,sports_area,equipment_value,multimedia_rooms"
    )
    text = "\n".join([header, *(f"{r},,,," for r in rows)]) + "\n"
    return SimpleUploadedFile("青川县.csv", text.encode())


def test_a_bad_workbook_shows_every_error_with_row_and_column(
    cast: Cast, as_user: Callable[[User], Client]
) -> None:
    upload = csv_upload(
        [
            f"{cast.school_a.code},石桥镇中心小学,青川县,小学,公办,-3,",
            f"{cast.school_c.code},河西第一小学,河西区,小学,公办,300,",
        ]
    )
    response = as_user(cast.supervisor).post(import_url(cast), {"file": upload})
    assert response.status_code == 200
    text = page(response)
    assert "未写入任何数据" in text
    assert "不能为负数" in text and "不是青川县的学校" not in text  # the engine's errors come first
    assert '<td class="num">2</td>' in text
    assert not Submission.objects.exists()


def test_a_good_workbook_is_imported(cast: Cast, as_user: Callable[[User], Client]) -> None:
    upload = csv_upload(
        [
            f"{cast.school_a.code},石桥镇中心小学,青川县,小学,公办,600,",
            f"{cast.school_b.code},城关第一初级中学,青川县,初中,公办,,800",
        ]
    )
    response = as_user(cast.supervisor).post(import_url(cast), {"file": upload}, follow=True)
    assert "导入成功" in page(response)
    assert Submission.objects.filter(status=SubmissionStatus.SUBMITTED).count() == 2


def test_an_unknown_school_is_reported_by_row(
    cast: Cast, as_user: Callable[[User], Client]
) -> None:
    upload = csv_upload([f"{cast.school_c.code},河西第一小学,河西区,小学,公办,300,"])
    response = as_user(cast.supervisor).post(import_url(cast), {"file": upload})
    text = page(response)
    assert "不是青川县的学校" in text and '<td class="num">2</td><td>学校标识码</td>' in text
    assert not Submission.objects.exists()


# ---------------------------------------------------------------- county items


def items_url(cast: Cast, name: str = "county_items") -> str:
    return reverse(f"collection:{name}", args=[cast.period.pk])


def test_the_county_office_fills_county_items(
    cast: Cast, as_user: Callable[[User], Client]
) -> None:
    client = as_user(cast.supervisor)
    text = page(client.get(items_url(cast)))
    assert "社会认可度（%）" in text and "一票否决" in text
    data = {"version": 0, "action": "save", "recognition_rate": "91.5", "veto_key_schools": "False"}
    assert client.post(items_url(cast), data).status_code == 302
    items = Submission.objects.get(institution__isnull=True)
    assert items.values == {"recognition_rate": 91.5, "veto_key_schools": False}


def test_county_items_are_read_only_for_a_leader(
    cast: Cast, as_user: Callable[[User], Client]
) -> None:
    client = as_user(cast.leader)
    assert client.get(items_url(cast)).status_code == 200
    response = client.post(items_url(cast), {"version": 0, "recognition_rate": "1"})
    assert response.status_code == 403


def test_county_items_of_another_county_are_not_found(
    cast: Cast, as_user: Callable[[User], Client]
) -> None:
    assert as_user(cast.other_supervisor).get(items_url(cast)).status_code == 404
    assert as_user(cast.clerk_a).get(items_url(cast)).status_code == 404


def test_county_items_need_a_log_in(cast: Cast, client: Client) -> None:
    assert_login_redirect(client, items_url(cast))


def test_evidence_is_uploaded_and_downloaded_in_scope_only(
    cast: Cast, as_user: Callable[[User], Client], media: Path
) -> None:
    services.submission_save(cast.supervisor, (cast.period, None), {}, 0)
    client = as_user(cast.supervisor)
    upload = SimpleUploadedFile("规划.pdf", b"%PDF-1.4")
    data = {"field": "layout_reasonable", "file": upload}
    assert client.post(items_url(cast, "evidence_upload"), data).status_code == 302
    items = Submission.objects.get(institution__isnull=True)
    evidence = items.evidence.get()
    assert "规划.pdf" in page(client.get(items_url(cast)))
    url = reverse("collection:evidence", args=[evidence.pk])
    response = client.get(url)
    assert response.status_code == 200
    assert BytesIO(b"".join(response.streaming_content)).read() == b"%PDF-1.4"  # type: ignore[attr-defined]
    assert as_user(cast.other_supervisor).get(url).status_code == 404
    assert as_user(cast.clerk_a).get(url).status_code == 404


def test_evidence_of_a_bad_type_is_refused_with_a_message(
    cast: Cast, as_user: Callable[[User], Client], media: Path
) -> None:
    services.submission_save(cast.supervisor, (cast.period, None), {}, 0)
    data = {"field": "layout_reasonable", "file": SimpleUploadedFile("a.exe", b"MZ")}
    response = as_user(cast.supervisor).post(items_url(cast, "evidence_upload"), data, follow=True)
    assert "不支持该文件类型" in page(response)
    assert not Submission.objects.get(institution__isnull=True).evidence.exists()


def test_a_leader_cannot_upload_evidence(
    cast: Cast, as_user: Callable[[User], Client], media: Path
) -> None:
    data = {"field": "layout_reasonable", "file": SimpleUploadedFile("a.pdf", b"x")}
    assert as_user(cast.leader).post(items_url(cast, "evidence_upload"), data).status_code == 403


def test_the_review_of_county_items_lists_their_evidence(
    cast: Cast, as_user: Callable[[User], Client], media: Path
) -> None:
    items = services.submission_submit(
        cast.supervisor, (cast.period, None), 0, values={"layout_reasonable": True}
    )
    services.submission_return(cast.city_reviewer, items, {}, "请补充布局规划文件", 2)
    upload = SimpleUploadedFile("布局规划.pdf", b"%PDF-1.4")
    services.evidence_add(cast.supervisor, items, "layout_reasonable", upload)
    response = as_user(cast.city_reviewer).get(review_url(items))
    assert response.status_code == 200
    text = page(response)
    assert "布局规划.pdf" in text and "学校规划布局合理" in text
    assert as_user(cast.clerk_a).get(review_url(items)).status_code == 404


def test_evidence_needs_a_saved_draft_first(
    cast: Cast, as_user: Callable[[User], Client], media: Path
) -> None:
    data = {"field": "layout_reasonable", "file": SimpleUploadedFile("a.pdf", b"x")}
    client = as_user(cast.supervisor)
    response = client.post(items_url(cast, "evidence_upload"), data, follow=True)
    assert "请先保存县级指标草稿" in page(response)
