"""The dashboard's headings say what the figures are, and every figure has its unit
(issue 20): the unit × category table with its totals, the review progress in words."""

from collections import Counter

import pytest
from django.urls import reverse
from django.utils import translation

from gongchuang.editions.enums import Phase, Step
from gongchuang.submissions.models import Work

from .seed import seed_works
from .test_results_panels import judged  # noqa: F401 - the fixture

judging = pytest.importorskip("gongchuang.judging.models")
pytestmark = pytest.mark.django_db


def _dashboard(client, user):
    client.force_login(user)
    return client.get(reverse("reports:dashboard"))


def test_unit_by_category_table_has_row_and_column_totals(client, edition, roles, units):
    seed_works(edition, roles["committee"])  # 6 works in each of HD, CY, DC; 2 per category
    response = _dashboard(client, roles["committee"])
    table = response.context["data"].table("units")
    cats = list(edition.categories.all())
    assert table.title == "各组织单位、各类别作品数"
    assert table.headers == ["组织单位", *[c.name for c in cats], "合计"]
    counts = Counter(Work.objects.filter(edition=edition).values_list("unit_id", "category_id"))
    hd = next(r for r in table.rows if r[0] == "海淀区")
    assert hd[1:] == [*[counts[units["hd"].pk, c.pk] for c in cats], 6]
    per_cat = {c.code: sum(n for (_u, cat), n in counts.items() if cat == c.pk) for c in cats}
    assert table.footer == ["合计", *[per_cat[c.code] for c in cats], 18]
    assert per_cat["ai_art"] == per_cat["ai_agent"] == per_cat["ai_scientist"] == 6
    html = response.content.decode()
    # The table itself is shown (not folded behind the chart of the totals), closed by 合计.
    panel = html[html.index('id="panel-units"') :]
    panel = panel[: panel.index("</section>")]
    assert "<details open>" in panel
    assert '<tfoot><tr><th scope="row">合计</th><td>6</td><td>6</td><td>6</td>' in panel
    assert "表中数字为作品件数。" in panel
    assert ">6 件</text>" in panel  # the chart's labels carry the unit too


def test_key_figures_carry_their_units(client, edition, roles):
    seed_works(edition, roles["committee"])
    html = _dashboard(client, roles["committee"]).content.decode()
    assert '<span data-testid="total-works">18</span> <span class="unit">件</span>' in html
    submitted = Work.objects.filter(edition=edition).exclude(state="draft").count()
    assert f'"total-submitted">{submitted}</span> <span class="unit">件</span>' in html
    assert '"total-units">3</span> <span class="unit">个</span>' in html
    assert '"total-schools">3</span> <span class="unit">所</span>' in html


def test_review_progress_says_submitted_of_due_with_percent(client, edition, roles, judged):  # noqa: F811
    judging.Review.objects.filter(assignment__work=judged[0]).delete()
    from gongchuang.reports.counts import rebuild

    rebuild([edition.pk])
    response = _dashboard(client, roles["committee"])
    table = response.context["data"].table("review_groups")
    assert table.headers == [
        "组别",
        "作品数（件）",
        "应提交评审（份）",
        "已提交评审（份）",
        "完成率（%）",
    ]
    assert table.rows == [["AI 艺术创作", 4, 4, 3, 75]]
    assert "已提交 3 / 应提交 4 份（75%）" in str(table.chart)
    experts = response.context["data"].table("review_experts")
    assert experts.headers == ["专家", "应提交评审（份）", "已提交评审（份）", "完成率（%）"]
    scores = response.context["data"].table("scores")
    assert scores.headers[1:] == ["0–60 分", "60–70 分", "70–80 分", "80–90 分", "90–100 分"]
    assert "1 份" in str(scores.chart)


def test_the_last_phase_is_called_summary_not_overview():
    """Django admin's catalogue comes first and turns a bare "Summary" into 概览."""
    with translation.override("zh-hans"):
        assert str(Step.SUMMARY.label) == "总结"
        assert str(Phase.SUMMARY.label) == "第四阶段：总结规划"


def test_the_deadlines_panel_lists_the_summary_step(client, edition, roles):
    client.force_login(roles["committee"])
    html = client.get(reverse("accounts:dashboard")).content.decode()
    assert "概览" not in html
    if edition.windows.filter(step=Step.SUMMARY).exists():
        assert "总结：" in html
