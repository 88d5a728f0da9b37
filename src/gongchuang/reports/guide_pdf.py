"""A draft of the activity guide (活动指南) from an edition's settings (issue 19 item 8).

The committee clones an edition for next year and downloads this draft of the new one:
dates (the phase windows), categories with their levels, team sizes and materials, and
each category's rubric. It is a starting point to edit, not the published guide. Set in
the embedded font of ``common.fonts`` like every PDF.
"""

import io
from xml.sax.saxutils import escape

from django.utils import timezone, translation
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from gongchuang.accounts.enums import Level
from gongchuang.common import fonts
from gongchuang.editions.models import Edition

from .pdf import _styles, _table


def _date(value) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M")


def guide_draft_pdf(edition: Edition) -> bytes:
    font = fonts.font_name()
    st = _styles(font)
    with translation.override("zh-hans"):
        story = [
            Paragraph("活动指南（草稿）", st["title"]),
            Paragraph(escape(str(edition.name)), st["h2"]),
            Paragraph(
                escape(
                    f"本草稿根据“{edition.name}”的设置自动生成"
                    f"（{timezone.localdate():%Y-%m-%d}），供组委会修改后发布。"
                ),
                st["body"],
            ),
            *_dates(edition, font, st),
            *_categories(edition, font, st),
            *_rubrics(edition, font, st),
        ]
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        title=f"{edition.name} · 活动指南（草稿）",
        leftMargin=18 * mm,
        rightMargin=18 * mm,
        **fonts.canvas_options(),
    )
    doc.build(story)
    return buffer.getvalue()


def _dates(edition: Edition, font: str, st: dict) -> list:
    windows = edition.windows.order_by("opens_at")
    rows = [["阶段", "开始", "截止"]] + [
        [str(w.get_step_display()), _date(w.opens_at), _date(w.closes_at)] for w in windows
    ]
    return [Paragraph("一、活动时间", st["h2"]), _table(rows, font)]


def _categories(edition: Edition, font: str, st: dict) -> list:
    story: list = [Paragraph("二、参赛类别与提交材料", st["h2"])]
    for i, category in enumerate(edition.categories.order_by("order", "pk"), 1):
        levels = "、".join(str(Level(v).label) for v in category.eligible_levels or []) or "不限"
        story += [
            Paragraph(escape(f"{i}. {category.name}"), st["body"]),
            Paragraph(escape(category.description or ""), st["body"]),
            Paragraph(
                escape(
                    f"适用学段：{levels}；每件作品作者不超过 {category.max_authors} 人，"
                    f"指导教师不超过 {category.max_advisors} 人。"
                ),
                st["body"],
            ),
        ]
        materials = [
            [m.get("label", ""), "必交" if m.get("required", True) else "选交"]
            for m in category.materials or []
        ]
        if materials:
            story.append(_table([["提交材料", "要求"], *materials], font))
        story.append(Spacer(1, 3 * mm))
    return story


def _rubrics(edition: Edition, font: str, st: dict) -> list:
    story: list = [Paragraph("三、评审标准", st["h2"])]
    for category in edition.categories.order_by("order", "pk"):
        dims = list(category.rubric.order_by("order", "pk"))
        if not dims:
            continue
        rows = [["评分维度", "权重", "说明"]] + [
            [d.name, f"{d.weight}%", Paragraph(escape(d.description or ""), st["body"])]
            for d in dims
        ]
        table = Table(rows, colWidths=[40 * mm, 18 * mm, 110 * mm], repeatRows=1)
        table.setStyle(
            TableStyle(
                [
                    ("FONT", (0, 0), (-1, -1), font, 9),
                    ("GRID", (0, 0), (-1, -1), 0.4, colors.HexColor("#c8cfdb")),
                    ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#eef2f7")),
                    ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ]
            )
        )
        story += [Paragraph(escape(category.name), st["body"]), table]
        story.append(Spacer(1, 3 * mm))
    return story
