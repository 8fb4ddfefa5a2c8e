"""DOCX documents of the inspection app: the draw's public notice and the visit report."""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from dudao.core.officialdoc import OfficialDocument, chinese_date
from dudao.inspection import checklist as rubric
from dudao.inspection.models import RandomDraw, Visit

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def draw_notice(draw: RandomDraw, today: date) -> bytes:
    """关于……双随机抽查结果的公示, dated by its publication (`today` before it is published).

    Times are printed in the local time zone (settings.TIME_ZONE).
    """
    office = draw.county.supervision_office
    result = draw.result or {}
    doc = OfficialDocument(f"关于{draw.title}双随机抽查结果的公示", issuer=office)
    doc.addressee("各学校（幼儿园）：")
    doc.paragraph(
        f"按照“双随机、一公开”的要求，{office}从 {len(draw.schools)} 所候选学校中随机抽取"
        f" {draw.count} 所，从 {len(draw.inspectors)} 名在岗督学中"
        f"为每校随机选派 {draw.per_school} 名。"
        "抽签采用公开算法，任何人可用公布的种子和候选名单复核。现将结果公示如下。"
    )
    doc.heading("一、抽签参数")
    doc.paragraph(
        f"算法版本：{draw.algorithm}；随机种子：{draw.seed}；种子摘要（SHA-256）：{draw.seed_digest}。"
    )
    drawn = timezone.localtime(draw.drawn_at) if draw.drawn_at else None
    doc.paragraph(f"种子摘要于抽签前公布；抽签时间：{drawn:%Y-%m-%d %H:%M}。")
    doc.heading("二、抽签结果")
    rows = [
        [
            str(p["order"]),
            p["school"]["name"],
            p["school"]["code"],
            "、".join(i["name"] for i in p["inspectors"]),
        ]
        for p in result.get("picks", [])
    ]
    doc.table(["序号", "学校", "学校标识码", "检查督学"], rows)
    doc.heading("三、回避情况")
    doc.paragraph(
        f"依规回避的督学与学校组合共 {len(draw.conflicts)} 对（见附件3），"
        "抽签时不为学校选派与其有回避关系的督学。"
    )
    doc.heading("四、复核方法")
    doc.paragraph(
        "候选学校、候选督学和回避组合的 CSV 文件可在本次抽签的公示页面下载："
        f"{draw_page_url(draw)}。"
        "用上述三个文件和随机种子运行“dudao draw”命令，可得到与本公示相同的结果。"
    )
    doc.paragraph(f"公示期间如有异议，请向{office}反映。")
    doc.paragraph("附件：1. 候选学校名单　2. 候选督学名单　3. 回避组合")
    publication = getattr(draw, "publication", None)
    dated = timezone.localdate(publication.published_at) if publication is not None else today
    doc.closing(office, dated)
    doc.heading(f"附件1　候选学校名单（共 {len(draw.schools)} 所）")
    doc.table(
        ["序号", "学校标识码", "学校"],
        [[str(n), s["code"], s["name"]] for n, s in enumerate(draw.schools, start=1)],
    )
    doc.heading(f"附件2　候选督学名单（共 {len(draw.inspectors)} 名）")
    doc.table(
        ["序号", "督学编号", "姓名"],
        [[str(n), i["code"], i["name"]] for n, i in enumerate(draw.inspectors, start=1)],
    )
    doc.heading(f"附件3　回避组合（共 {len(draw.conflicts)} 对）")
    names = {i["code"]: i["name"] for i in draw.inspectors}
    schools = {s["code"]: s["name"] for s in draw.schools}
    rows = [
        [str(n), f"{names.get(i, '')}（{i}）", f"{schools.get(c, '')}（{c}）", reason]
        for n, (i, c, reason) in enumerate(draw.conflicts, start=1)
    ]
    if rows:
        doc.table(["序号", "督学", "学校", "回避原因"], rows)
    else:
        doc.paragraph("无。")
    return doc.to_bytes()


def draw_page_url(draw: RandomDraw) -> str:
    """The draw's page (where its CSV files are), with settings.DUDAO_SITE_URL in front if set."""
    path = reverse("inspection:draw", args=[draw.pk])
    site = settings.DUDAO_SITE_URL.rstrip("/")
    return f"{site}{path}" if site else f"本平台“督查与双随机”栏目（{path}）"


def visit_report(visit: Visit, today: date) -> bytes:
    """The visit report (督查报告) of one school."""
    target = visit.target
    office = target.plan.county.supervision_office
    doc = OfficialDocument(f"{target.institution.name}督查情况报告", issuer=office)
    doc.paragraph(
        f"{chinese_date(visit.visited_on)}，督学"
        f"{'、'.join(i.name for i in visit.inspectors.all())}按照“{target.plan.title}”"
        f"对{target.institution.name}进行了检查。"
    )
    doc.heading("一、评分情况")
    rows = []
    for item in rubric.items_of(visit.checklist.structure):
        index = visit.choices.get(item.key)
        option = item.options[index] if index is not None else None
        rows.append(
            [
                item.key,
                item.text,
                option.label if option else "—",
                f"{option.points * item.weight:g}" if option else "—",
            ]
        )
    doc.table(["序号", "检查内容", "评定", "得分"], rows, caption=str(visit.checklist))
    verdict = "合格" if visit.passed else "不合格"
    doc.paragraph(
        f"总分 {visit.total:g}（满分 {visit.full:g}，"
        f"合格分 {visit.checklist.pass_mark:g}），{verdict}。"
    )
    if visit.notes:
        doc.heading("二、检查情况")
        doc.paragraph(visit.notes)
    doc.heading("三、发现的问题及整改要求")
    findings = list(visit.findings.select_related("institution", "department"))
    for f in findings:
        who = f.department.name if f.department else target.institution.name
        parts = [f"责任单位：{who}"]
        if f.responsible:
            parts.append(f"责任人：{f.responsible}")
        if f.deadline:
            parts.append(f"整改时限：{chinese_date(f.deadline)}前整改到位")
        doc.paragraph(f"{f.number}. {f.problem}（{'；'.join(parts)}）")
        if f.measures:
            doc.paragraph(f"整改措施：{f.measures}")
    if not findings:
        doc.paragraph("本次检查未发现需要整改的问题。")
    doc.closing(office, today)
    return doc.to_bytes()
