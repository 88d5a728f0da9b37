"""The committee's judging pages say what the assignment does in plain words (issue 20)."""

import glob
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.urls import reverse

from .test_views import jury_setup  # noqa: F401 - the fixture

pytestmark = pytest.mark.django_db

JARGON = [
    "TF-IDF",
    "OR-Tools",
    "n-gram",
    "min-cost",
    "最小费用流",
    "求解器",
    "岭回归",
    "自助重抽样",
]


def test_jury_page_explains_the_assignment_without_jargon(client, jury_setup):  # noqa: F811
    jury = jury_setup["jury"]
    client.force_login(jury_setup["committee"])
    html = client.get(reverse("judging:jury", args=[jury.pk])).content.decode()
    assert "按专家研究方向与作品标题、简介和关键词的匹配度自动分配，并均衡每位专家的评审量" in html
    assert "回避规则：" in html
    assert [word for word in JARGON if word in html] == []
    assert "重新分配" in html
    assert "全组专家评分可相互比较" in html
    assert "作品数（件）" in html


@pytest.mark.parametrize(
    ("optimal", "shown"),
    [
        (True, "自动分配（已达最优）。"),
        (False, "自动分配（匹配良好，未能在限定时间内确认已达最优）。"),
    ],
)
def test_jury_page_says_how_good_the_last_assignment_is(client, jury_setup, optimal, shown):  # noqa: F811
    jury = jury_setup["jury"]
    jury.solve_summary = {"pairs": 8, "solve_s": 0.02, "optimal": optimal}
    jury.save(update_fields=["solve_summary"])
    client.force_login(jury_setup["committee"])
    html = client.get(reverse("judging:jury", args=[jury.pk])).content.decode()
    assert shown in html
    assert "最近一次共分配 8 个专家—作品组合，用时 0.02 秒。" in html


def test_solving_says_works_were_assigned_not_solver_status(client, jury_setup):  # noqa: F811
    jury = jury_setup["jury"]
    client.force_login(jury_setup["committee"])
    response = client.post(reverse("judging:jury_solve", args=[jury.pk]), follow=True)
    assert "已自动分配作品，结果见下方。" in response.content.decode()


def test_committee_panel_gives_review_progress_with_units(client, jury_setup):  # noqa: F811
    jury = jury_setup["jury"]
    n = jury.assignments.filter(forbidden=False).count()
    client.force_login(jury_setup["committee"])
    html = client.get(reverse("accounts:dashboard")).content.decode()
    assert f"已提交 0 / 应提交 {n} 份（0%）" in html


def test_no_zh_hans_text_names_the_algorithms():
    """No translated text shows implementation jargon (the method is in the code's docs)."""
    root = Path(settings.BASE_DIR)
    found = []
    for path in glob.glob(str(root / "src/gongchuang/*/locale/zh_Hans/LC_MESSAGES/django.po")):
        for entry in polib.pofile(path):
            texts = [entry.msgstr, *entry.msgstr_plural.values()]
            found += [f"{path}: {word}" for word in JARGON for t in texts if word in t]
    assert found == []
