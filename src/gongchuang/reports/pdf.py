"""The summary report PDF of an edition (reportlab platypus + reportlab graphics charts).

Every text, table cell and axis label is set in the embedded font of ``common.fonts``:
chart labels default to Helvetica, which PDFs do not embed, so each is given the font.
"""

import io
from collections import defaultdict
from xml.sax.saxutils import escape

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from reportlab.graphics.charts.barcharts import HorizontalBarChart, VerticalBarChart
from reportlab.graphics.charts.lineplots import LinePlot
from reportlab.graphics.shapes import Drawing, Line, String
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import PageBreak, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from gongchuang.accounts.models import Unit
from gongchuang.common import fonts
from gongchuang.editions.enums import Step
from gongchuang.submissions.enums import WorkState

from .scope import Filters, Scope
from .selectors import Dashboard, count_matrix, dashboard_data
from .surveys import survey_results


def _styles(font: str) -> dict:
    return {
        "title": ParagraphStyle("t", fontName=font, fontSize=20, leading=28, spaceAfter=6 * mm),
        "h2": ParagraphStyle(
            "h2", fontName=font, fontSize=14, leading=20, spaceBefore=5 * mm, spaceAfter=3 * mm
        ),
        "body": ParagraphStyle("b", fontName=font, fontSize=10, leading=15),
    }


def _table(rows: list[list], font: str, *, header: bool = True) -> Table:
    table = Table([[str(c) for c in row] for row in rows], repeatRows=1 if header else 0)
    table.setStyle(
        TableStyle(
            [
                ("FONT", (0, 0), (-1, -1), font, 9),
                ("GRID", (0, 0), (-1, -1), 0.4, colors.HexColor("#c8cfdb")),
                (
                    "BACKGROUND",
                    (0, 0),
                    (-1, 0),
                    colors.HexColor("#eef2f7") if header else colors.white,
                ),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ]
        )
    )
    return table


def _bar_drawing(labels: list[str], values: list[float], font: str, title: str) -> Drawing:
    height = 40 + 18 * max(len(labels), 1)
    drawing = Drawing(170 * mm, height, **fonts.canvas_options(8))
    chart = HorizontalBarChart()
    chart.x, chart.y = 45 * mm, 10
    chart.width, chart.height = 110 * mm, height - 30
    chart.data = [list(values) or [0]]
    chart.categoryAxis.categoryNames = [label[:12] for label in labels] or [""]
    chart.categoryAxis.labels.fontName = font
    chart.categoryAxis.labels.fontSize = 8
    chart.categoryAxis.reverseDirection = 1
    chart.valueAxis.valueMin = 0
    chart.valueAxis.labels.fontName = font
    chart.valueAxis.labels.fontSize = 8
    chart.bars[0].fillColor = colors.HexColor("#1d4ed8")
    drawing.add(chart)
    drawing.add(String(0, height - 12, title, fontName=font, fontSize=10))
    return drawing


def _column_drawing(labels: list[str], values: list[float], font: str, title: str) -> Drawing:
    drawing = Drawing(170 * mm, 60 * mm, **fonts.canvas_options(8))
    chart = VerticalBarChart()
    chart.x, chart.y = 15 * mm, 10 * mm
    chart.width, chart.height = 145 * mm, 40 * mm
    chart.data = [list(values) or [0]]
    chart.categoryAxis.categoryNames = labels or [""]
    chart.categoryAxis.labels.fontName = font
    chart.categoryAxis.labels.fontSize = 8
    chart.valueAxis.valueMin = 0
    chart.valueAxis.labels.fontName = font
    chart.bars[0].fillColor = colors.HexColor("#0f9d58")
    drawing.add(chart)
    drawing.add(String(0, 56 * mm, title, fontName=font, fontSize=10))
    return drawing


def _line_drawing(rows: list[list], deadline: str, font: str, title: str) -> Drawing:
    drawing = Drawing(170 * mm, 65 * mm, **fonts.canvas_options(8))
    plot = LinePlot()
    plot.x, plot.y = 15 * mm, 10 * mm
    plot.width, plot.height = 145 * mm, 45 * mm
    plot.data = [[(i, row[1]) for i, row in enumerate(rows)] or [(0, 0)]]
    plot.lines[0].strokeColor = colors.HexColor("#1d4ed8")
    plot.xValueAxis.valueMin = 0
    plot.xValueAxis.valueMax = max(len(rows) - 1, 1)
    plot.xValueAxis.labels.fontName = font
    plot.xValueAxis.labels.fontSize = 7
    plot.yValueAxis.valueMin = 0
    plot.yValueAxis.labels.fontName = font
    drawing.add(plot)
    days = [row[0] for row in rows]
    if deadline and days and days[0] <= deadline <= days[-1]:
        index = days.index(deadline) if deadline in days else len(days) - 1
        x = plot.x + plot.width * index / max(len(rows) - 1, 1)
        drawing.add(
            Line(
                x,
                plot.y,
                x,
                plot.y + plot.height,
                strokeColor=colors.HexColor("#c2410c"),
                strokeDashArray=[4, 3],
            )
        )
    drawing.add(String(0, 60 * mm, title, fontName=font, fontSize=10))
    if days:
        drawing.add(String(plot.x, 2, f"{days[0]} … {days[-1]}", fontName=font, fontSize=7))
    return drawing


def key_numbers(data: Dashboard) -> dict[str, int]:
    """The first table of the report: each figure is the total of a list it summarises
    (submitted: every work but drafts; finalists and awarded works: the awards table)."""
    awards = data.table("awards_units")
    rows = awards.rows if awards else []
    return {
        "works": data.totals["submitted"],
        "units": data.totals["units"],
        "schools": data.totals["schools"],
        "finalists": sum(r[1] for r in rows),
        "awards": sum(r[-1] for r in rows),
    }


def summary_pdf(edition) -> bytes:
    """Render the summary report of ``edition`` (committee scope: every unit)."""
    font = fonts.font_name()
    st = _styles(font)
    scope = Scope(unit_ids=None)
    # Submitted works only: every table then adds up to the first figure.
    data = dashboard_data(scope, edition=edition, filters=Filters(submitted_only=True))
    story = [
        *_opening(edition, data, font, st),
        *_dashboard_sections(edition, data, font, st),
        *survey_sections(edition, font, st),
        *_unit_appendix(scope, edition, font, st),
    ]
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        title=str(edition.name),
        leftMargin=18 * mm,
        rightMargin=18 * mm,
        **fonts.canvas_options(),
    )
    doc.build(story)
    return buffer.getvalue()


def _opening(edition, data: Dashboard, font: str, st: dict) -> list:
    """Title, time of generation and the key numbers table."""
    numbers = key_numbers(data)
    return [
        Paragraph(_("Summary report: %(name)s") % {"name": edition.name}, st["title"]),
        Paragraph(
            _("Generated at %(time)s") % {"time": timezone.localtime().strftime("%Y-%m-%d %H:%M")},
            st["body"],
        ),
        Paragraph(_("Key numbers"), st["h2"]),
        _table(
            [
                [
                    _("Submitted works"),
                    pgettext("report", "Units"),
                    _("Schools"),
                    pgettext("report", "Finalists"),
                    _("Awards"),
                ],
                [
                    numbers["works"],
                    numbers["units"],
                    numbers["schools"],
                    numbers["finalists"],
                    numbers["awards"],
                ],
            ],
            font,
        ),
    ]


def _dashboard_sections(edition, data: Dashboard, font: str, st: dict) -> list:
    """The dashboard's tables that have rows: units, states, daily, scores, awards."""
    story: list = []
    units = data.table("units")
    if units and units.rows:
        story += [
            Paragraph(units.title, st["h2"]),
            _bar_drawing(
                [r[0] for r in units.rows], [r[-1] for r in units.rows], font, _("Works by unit")
            ),
            _table([units.headers, *units.rows, *([units.footer] if units.footer else [])], font),
        ]
    states = data.table("states")
    if states and states.rows:
        story += [
            Paragraph(states.title, st["h2"]),
            _bar_drawing(
                [r[0] for r in states.rows], [r[-1] for r in states.rows], font, _("Works by state")
            ),
            _table(
                [states.headers, *states.rows, *([states.footer] if states.footer else [])], font
            ),
        ]
    daily = data.table("daily")
    if daily and daily.rows:
        window = edition.window(Step.SUBMISSION)
        deadline = timezone.localtime(window.closes_at).date().isoformat() if window else ""
        story += [
            Paragraph(daily.title, st["h2"]),
            Paragraph(daily.note, st["body"]),
            _line_drawing(daily.rows, deadline, font, _("Submissions per day")),
        ]
    scores = data.table("scores")
    if scores and scores.rows:
        overall = [sum(r[i] for r in scores.rows) for i in range(1, len(scores.headers))]
        story += [
            Paragraph(scores.title, st["h2"]),
            _column_drawing(scores.headers[1:], overall, font, _("Expert scores (all groups)")),
            _table([scores.headers, *scores.rows], font),
        ]
    awards = data.table("awards_units")
    if awards and awards.rows:
        story += [Paragraph(awards.title, st["h2"]), _table([awards.headers, *awards.rows], font)]
    return story


def survey_sections(edition, font: str, st: dict) -> list:
    """The participants' feedback: per survey with answers, its count, each rating's
    average (1–5) and a few free-text answers."""
    results = survey_results(edition)
    if not results:
        return []
    story: list = [Paragraph(_("Feedback from participants"), st["h2"])]
    for result in results:
        story.append(
            Paragraph(
                escape(
                    _("%(title)s: %(count)s answers")
                    % {"title": result.survey.title, "count": result.responses}
                ),
                st["body"],
            )
        )
        ratings = [q for q in result.questions if q.kind == "likert"]
        if ratings:
            rows = [[pgettext("survey", "Question"), _("Average (1–5)"), _("Answers")]]
            rows += [[q.text, "—" if q.average is None else q.average, q.answered] for q in ratings]
            story.append(_table(rows, font))
        for q in result.questions:
            if q.kind == "text" and q.samples:
                story.append(Paragraph(escape(q.text), st["body"]))
                story += [Paragraph(escape(f"“{text}”"), st["body"]) for text in q.samples]
        story.append(Spacer(1, 4 * mm))
    return story


def _unit_appendix(scope, edition, font, st) -> list:
    """One section per unit with works: category × state counts."""
    matrix = count_matrix(scope, edition=edition, filters=Filters())
    per_unit: dict[int, dict] = defaultdict(lambda: defaultdict(int))
    for r in matrix:
        if r["state"] != WorkState.DRAFT:
            per_unit[r["unit_id"]][r["category_id"], r["state"]] += r["n"]
    if not per_unit:
        return []
    categories = list(edition.categories.all())
    states = [s for s in WorkState if s != WorkState.DRAFT]
    story: list = [PageBreak(), Paragraph(_("Appendix: units"), st["h2"])]
    for unit in Unit.objects.filter(pk__in=per_unit):
        counts = per_unit[unit.pk]
        used_states = [s for s in states if any(counts.get((c.pk, s)) for c in categories)]
        rows = [
            [
                pgettext("report", "Category"),
                *[s.label for s in used_states],
                pgettext("report", "Total"),
            ]
        ]
        for c in categories:
            cells = [counts.get((c.pk, s), 0) for s in used_states]
            if sum(cells):
                rows.append([c.name, *cells, sum(cells)])
        story += [Paragraph(unit.name, st["h2"]), _table(rows, font), Spacer(1, 4 * mm)]
    return story
