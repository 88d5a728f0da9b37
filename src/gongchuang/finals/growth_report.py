"""The growth report (成长报告) of a work, after the final's results are published.

One PDF per work for its authors and advisors (issue 19 item 7): the work's score per
rubric dimension against its group (category × level) in the online review and in the
final's presentation, the experts' comments to the authors without their names, the
on-site task result and the star level. Like the certificates it is a Chinese document,
set in the embedded font of ``common.fonts`` (``tests/common/test_pdf_fonts.py``).
The numbers come from ``growth.py`` (pure); this module reads the rows and draws.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field
from xml.sax.saxutils import escape

from django.utils import timezone, translation
from django.utils.translation import gettext as _
from reportlab.graphics.shapes import Circle, Drawing, Line, Rect, String
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from gongchuang.common import fonts
from gongchuang.common.errors import DomainError
from gongchuang.judging import selectors as judging_selectors
from gongchuang.judging.enums import ReviewStatus
from gongchuang.judging.models import Review
from gongchuang.submissions.models import Work

from .enums import ScoreKind
from .growth import (
    DimensionRow,
    Distribution,
    dimension_rows,
    distribution,
    percentile_rank,
    work_means,
)
from .models import FinalEvent, FinalResult, Score, TaskSubmission
from .scoring import group_label

SCALE = 10  # both the online review (1–10) and the final's sheets (0–10) score to 10


@dataclass
class GrowthReport:
    work: Work
    event: FinalEvent
    group: str
    online: list[DimensionRow] = field(default_factory=list)
    final: list[DimensionRow] = field(default_factory=list)
    comments: list[str] = field(default_factory=list)
    result: FinalResult | None = None
    task_group: Distribution | None = None
    task_percentile: int | None = None
    task_submitted: bool = False
    star_level: str = ""
    specials: list[str] = field(default_factory=list)


def ensure_published(event: FinalEvent | None) -> FinalEvent:
    """The growth report exists once the final's results are published, not before."""
    if event is None or not event.is_published:
        raise DomainError(
            _("The growth report is available once the final's results are published."),
            code="unpublished",
        )
    return event


def _dimensions(work: Work) -> list[tuple[str, str, int]]:
    return [(str(d.pk), d.name, d.weight) for d in work.category.rubric.order_by("order", "pk")]


def _group_filter(work: Work, prefix: str) -> dict:
    """The work's group: its category, and its level except for teaching cases."""
    where = {f"{prefix}edition_id": work.edition_id, f"{prefix}category_id": work.category_id}
    if not work.category.is_teacher_track:
        where[f"{prefix}level"] = work.level
    return where


def growth_report_build(*, work: Work, event: FinalEvent | None) -> GrowthReport:
    """Every number and text of ``work``'s report; raises ``DomainError`` before publication."""
    event = ensure_published(event)
    dims = _dimensions(work)
    report = GrowthReport(work=work, event=event, group=group_label(work))
    reviews = Review.objects.filter(
        status=ReviewStatus.SUBMITTED,
        assignment__forbidden=False,
        **_group_filter(work, "assignment__work__"),
    ).values_list("assignment__work_id", "scores")
    report.online = dimension_rows(work.pk, dims, work_means(reviews))
    report.comments = judging_selectors.comments_to_authors([work.pk]).get(work.pk, [])
    report.result = FinalResult.objects.filter(event=event, work=work).first()
    if report.result is not None:
        _final_part(report, dims)
    return report


def _final_part(report: GrowthReport, dims: list[tuple[str, str, int]]) -> None:
    """The final: presentation per dimension, task score, star level, special awards."""
    event, work, result = report.event, report.work, report.result
    group = FinalResult.objects.filter(event=event, group_label=result.group_label)
    sheets = Score.objects.filter(
        session__event=event,
        kind=ScoreKind.PRESENTATION,
        is_complete=True,
        work_id__in=group.values("work_id"),
    ).values_list("work_id", "values")
    report.final = dimension_rows(work.pk, dims, work_means(sheets))
    tasks = [float(t) for t in group.exclude(task=None).values_list("task", flat=True)]
    report.task_group = distribution(tasks)
    if result.task is not None:
        report.task_percentile = percentile_rank(float(result.task), tasks)
    report.task_submitted = TaskSubmission.objects.filter(
        task__session__event=event, work=work
    ).exists()
    with translation.override("zh-hans"):
        report.star_level = str(result.get_star_level_display()) if result.star_level else ""
    report.specials = list(event.special_awards.filter(work=work).values_list("name", flat=True))


# ------------------------------------------------------------------------------ the PDF


def _styles(font: str, bold: str) -> dict:
    return {
        "title": ParagraphStyle("t", fontName=bold, fontSize=20, leading=28, spaceAfter=3 * mm),
        "h2": ParagraphStyle(
            "h2", fontName=bold, fontSize=13, leading=19, spaceBefore=5 * mm, spaceAfter=2 * mm
        ),
        "body": ParagraphStyle("b", fontName=font, fontSize=10, leading=16),
        "muted": ParagraphStyle(
            "m", fontName=font, fontSize=8.5, leading=13, textColor=colors.HexColor("#5f6b7a")
        ),
    }


def _num(value) -> str:
    return "—" if value is None else f"{float(value):g}"


def _table(rows: list[list[str]], font: str) -> Table:
    table = Table(rows, repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("FONT", (0, 0), (-1, -1), font, 9),
                ("GRID", (0, 0), (-1, -1), 0.4, colors.HexColor("#c8cfdb")),
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#eef2f7")),
                ("ALIGN", (1, 0), (-1, -1), "CENTER"),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ]
        )
    )
    return table


def _dimension_table(rows: list[DimensionRow], font: str) -> Table:
    head = [
        "维度（权重）",
        "本作品",
        "组内最低",
        "下四分位",
        "中位数",
        "上四分位",
        "组内最高",
        "百分位",
    ]
    body = [
        [
            f"{r.name}（{r.weight}%）",
            _num(r.score),
            *(
                [_num(g.minimum), _num(g.q1), _num(g.median), _num(g.q3), _num(g.maximum)]
                if (g := r.group)
                else ["—"] * 5
            ),
            "—" if r.percentile is None else f"{r.percentile}%",
        ]
        for r in rows
    ]
    return _table([head, *body], font)


def _bars(rows: list[DimensionRow], font: str) -> Drawing:
    """Per dimension: the group's range (line), middle half (box), median (tick), the work (dot)."""
    label_w, bar_w, row_h = 40 * mm, 120 * mm, 16
    drawing = Drawing(label_w + bar_w + 6 * mm, row_h * len(rows) + 18, **fonts.canvas_options(8))

    def x(value: float) -> float:
        return label_w + bar_w * max(0.0, min(float(value), SCALE)) / SCALE

    for tick in range(0, SCALE + 1, 2):
        drawing.add(String(x(tick) - 2, 2, str(tick), fontName=font, fontSize=7))
    for i, row in enumerate(reversed(rows)):
        y = 16 + i * row_h + row_h / 2
        drawing.add(String(0, y - 3, row.name[:10], fontName=font, fontSize=8))
        drawing.add(Line(label_w, y, label_w + bar_w, y, strokeColor=colors.HexColor("#e5e7eb")))
        if g := row.group:
            drawing.add(
                Line(x(g.minimum), y, x(g.maximum), y, strokeColor=colors.HexColor("#94a3b8"))
            )
            drawing.add(
                Rect(x(g.q1), y - 4, max(x(g.q3) - x(g.q1), 1), 8,
                     fillColor=colors.HexColor("#dbeafe"), strokeColor=colors.HexColor("#1d4ed8"))
            )  # fmt: skip
            drawing.add(
                Line(x(g.median), y - 5, x(g.median), y + 5, strokeColor=colors.HexColor("#1d4ed8"))
            )
        if row.score is not None:
            drawing.add(
                Circle(x(row.score), y, 3.5, fillColor=colors.HexColor("#c2410c"), strokeWidth=0)
            )
    return drawing


def render_growth_report_pdf(report: GrowthReport) -> bytes:
    font, bold = fonts.font_name(), fonts.font_name(fonts.BOLD)
    s = _styles(font, bold)
    work, edition = report.work, report.event.edition
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=18 * mm,
        rightMargin=18 * mm,
        topMargin=16 * mm,
        bottomMargin=16 * mm,
        title=f"成长报告 · {work.title}",
        author=str(edition.name),
        **fonts.canvas_options(),
    )
    story = [
        Paragraph("成长报告", s["title"]),
        Paragraph(escape(f"{edition.name} · 作品《{work.title}》（{work.code}）"), s["body"]),
        Paragraph(escape(f"参赛组别：{report.group}"), s["body"]),
        Paragraph(
            escape(
                f"生成日期：{timezone.localdate():%Y-%m-%d}。本报告仅供作者及指导教师本人查阅。"
            ),
            s["muted"],
        ),
    ]
    story += _result_part(report, s, font)
    for title, rows, note in (
        ("网络评审：各评分维度", report.online, "各维度得分为评审专家所打分数（1–10 分）的平均值"),
        (
            "决赛现场展示：各评分维度",
            report.final,
            "各维度得分为决赛评委所打分数（0–10 分）的平均值",
        ),
    ):
        story += _dimension_part(title, rows, note, s, font)
    story += _comments_part(report, s)
    doc.build(story)
    return buffer.getvalue()


def _dimension_part(title: str, rows: list, note: str, s: dict, font: str) -> list:
    """One stage's dimensions: the heading, the table of scores and the box plot."""
    out = [Paragraph(title, s["h2"])]
    if not any(r.score is not None for r in rows):
        return [*out, Paragraph("本作品在此环节没有维度评分。", s["body"])]
    count = max((r.group.count for r in rows if r.group), default=0)
    return [
        *out,
        Paragraph(
            escape(
                f"{note}；组内分布取同组 {count} 件作品的维度平均分。"
                "百分位表示同组中得分不高于本作品的作品所占比例。"
            ),
            s["muted"],
        ),
        Spacer(1, 2 * mm),
        _dimension_table(rows, font),
        Spacer(1, 3 * mm),
        _bars(rows, font),
        Paragraph(
            "图例：灰线为组内最低至最高，蓝框为中间一半作品（四分位），蓝色竖线为中位数，橙点为本作品。",
            s["muted"],
        ),
    ]


def _comments_part(report: GrowthReport, s: dict) -> list:
    out = [Paragraph("专家评语（匿名）", s["h2"])]
    if not report.comments:
        return [*out, Paragraph("评审专家没有留下给作者的评语。", s["body"])]
    return out + [
        Paragraph(escape(f"{i}. {c}"), s["body"]) for i, c in enumerate(report.comments, 1)
    ]


def _result_part(report: GrowthReport, s: dict, font: str) -> list:
    out = [Paragraph("决赛结果", s["h2"])]
    result = report.result
    if result is None:
        return [*out, Paragraph("本作品未进入决赛。", s["body"])]
    awards = "、".join([a for a in [report.star_level, *report.specials] if a]) or "参加决赛"
    task = _num(result.task)
    if report.task_group is not None and result.task is not None:
        g = report.task_group
        task += (
            f"（同组中位数 {_num(g.median)}，最高 {_num(g.maximum)}，"
            f"百分位 {report.task_percentile}%）"
        )
    rows = [
        ["项目", "结果"],
        ["获奖等级", awards],
        ["现场任务得分（0–100）", task],
        ["现场任务成果", "已提交" if report.task_submitted else "未提交"],
        ["现场展示得分（0–100）", _num(result.presentation)],
        ["综合得分", _num(result.combined)],
    ]
    return [*out, _table(rows, font)]


def growth_report_file_name(work: Work) -> str:
    safe_title = re.sub(r'[\\/:*?"<>|\s]+', "_", work.title)[:40]
    return f"{work.code}_{safe_title}_成长报告.pdf"
