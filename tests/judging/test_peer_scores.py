"""Per-jury setting: experts see other experts' scores of a work after submitting their own.

Off by default (nothing shown, as before); when the committee turns it on, an expert who has
submitted their review sees the others' submitted scores, anonymous, with the mean; before
submitting, nothing. Changing it is committee-only and audited.
"""

import re

import pytest
from django.urls import reverse

from gongchuang.common.models import AuditEvent
from gongchuang.judging import services
from gongchuang.judging.models import Assignment, Jury
from tests.factories.works import qualified_work, rubric_values

from .helpers import expert

pytestmark = pytest.mark.django_db

COMMENTS = {"甲": "甲的内部评语", "乙": "乙的内部评语", "丙": "丙的草稿评语"}


@pytest.fixture
def trio(edition, units, roles):
    """One work and its three experts: 甲 and 乙 submitted, 丙 has a draft; all pledged."""
    committee = roles["committee"]
    work = qualified_work(edition, units["hd_school"], committee=committee)
    people = {key: expert(committee=committee, name=f"专家{key}") for key in COMMENTS}
    jury = services.jury_create(
        edition=edition, category=work.category, members=list(people.values()),
        actor=committee, k=3,
    )  # fmt: skip
    services.jury_solve(jury=jury, actor=committee)
    services.jury_publish(jury=jury, actor=committee)
    first_dim = str(work.category.rubric.first().pk)
    scores = {
        "甲": rubric_values(work, 6) | {first_dim: 9},  # 9×30 % + 6×70 % → 69.0
        "乙": rubric_values(work, 4),  # 40.0
        "丙": rubric_values(work, 10),  # a draft: never shown to anyone
    }
    assignments = {}
    for key, person in people.items():
        services.pledge_accept(expert=person, edition=edition)
        assignments[key] = Assignment.objects.select_related("work__category").get(
            expert=person, work=work, forbidden=False
        )
        services.review_save(
            assignment=assignments[key], scores=scores[key], comment_to_committee=COMMENTS[key],
            submit=key != "丙", actor=person,
        )  # fmt: skip
    return {"work": work, "jury": jury, "people": people, "committee": committee,
            "assignments": assignments}  # fmt: skip


def _set(jury, visible, committee):
    services.jury_set_peer_scores_visible(jury=jury, visible=visible, actor=committee)


def _identities(person) -> list[str]:
    return [s for s in (person.real_name, person.username, person.email, person.mobile) if s]


def peer_table(html: str) -> list[list[str]]:
    """The cells of the peer-scores table, row by row ([] when the section is absent)."""
    section = re.search(r'data-testid="peer-scores".*?</section>', html, re.S)
    if section is None:
        return []
    rows = re.findall(r"<tr[^>]*>(.*?)</tr>", section.group(0), re.S)
    cells = [re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S) for row in rows]
    return [[re.sub(r"<[^>]+>", "", cell).strip() for cell in row] for row in cells]


def _pages(client, person, work) -> dict[str, str]:
    client.force_login(person)
    urls = [
        reverse("judging:review", args=[work.pk]),
        reverse("judging:queue"),
        reverse("accounts:dashboard"),
    ]
    return {url: client.get(url).content.decode() for url in urls}


def test_peer_scores_are_off_by_default_and_no_expert_page_shows_them(client, trio):
    assert Jury._meta.get_field("peer_scores_visible").default is False
    assert trio["jury"].peer_scores_visible is False

    pages = _pages(client, trio["people"]["甲"], trio["work"])

    review_page = pages[reverse("judging:review", args=[trio["work"].pk])]
    assert "69.0" in review_page  # the expert's own total
    secrets = ["40.0", "其他专家", COMMENTS["乙"], *_identities(trio["people"]["乙"])]
    assert [(url, s) for url, html in pages.items() for s in secrets if s in html] == []
    assert peer_table(review_page) == []


def test_expert_who_submitted_sees_the_others_scores_anonymously_with_the_mean(client, trio):
    _set(trio["jury"], True, trio["committee"])

    pages = _pages(client, trio["people"]["甲"], trio["work"])

    review_page = pages[reverse("judging:review", args=[trio["work"].pk])]
    assert peer_table(review_page) == [
        ["评审专家", "创新性（30%）", "AI 技术应用（25%）", "完成度与实用性（25%）",
         "表达与展示（10%）", "伦理与安全（10%）", "加权总分"],
        ["其他专家 1", "4", "4", "4", "4", "4", "40.0"],
        ["其他专家平均分", "4.0", "4.0", "4.0", "4.0", "4.0", "40.0"],
    ]  # fmt: skip
    # 丙's draft is not shown; nobody's name, account or comment is.
    secrets = [
        "100.0", COMMENTS["乙"], COMMENTS["丙"],
        *_identities(trio["people"]["乙"]), *_identities(trio["people"]["丙"]),
    ]  # fmt: skip
    assert [(url, s) for url, html in pages.items() for s in secrets if s in html] == []


def test_mean_covers_every_other_submitted_review(client, trio):
    _set(trio["jury"], True, trio["committee"])
    c = trio["people"]["丙"]
    services.review_save(
        assignment=trio["assignments"]["丙"], scores=rubric_values(trio["work"], 5), submit=True,
        actor=c,
    )  # fmt: skip

    client.force_login(c)
    html = client.get(reverse("judging:review", args=[trio["work"].pk])).content.decode()

    assert peer_table(html)[1:] == [
        ["其他专家 1", "9", "6", "6", "6", "6", "69.0"],
        ["其他专家 2", "4", "4", "4", "4", "4", "40.0"],
        ["其他专家平均分", "6.5", "5.0", "5.0", "5.0", "5.0", "54.5"],
    ]
    assert not any(s in html for p in ("甲", "乙") for s in _identities(trio["people"][p]))


def test_expert_who_has_not_submitted_sees_nothing_of_the_others(client, trio):
    _set(trio["jury"], True, trio["committee"])

    pages = _pages(client, trio["people"]["丙"], trio["work"])

    review_page = pages[reverse("judging:review", args=[trio["work"].pk])]
    assert peer_table(review_page) == []
    assert "提交您的评审后，这里将显示其他专家对该作品的评分（不显示姓名）。" in review_page
    secrets = ["69.0", "40.0", "其他专家 1", COMMENTS["甲"], COMMENTS["乙"]]
    assert [(url, s) for url, html in pages.items() for s in secrets if s in html] == []


def test_first_to_submit_is_told_nobody_else_has_yet(client, edition, units, roles):
    committee = roles["committee"]
    work = qualified_work(edition, units["hd_school"], committee=committee)
    a, b = expert(committee=committee), expert(committee=committee)
    jury = services.jury_create(
        edition=edition, category=work.category, members=[a, b], actor=committee, k=2
    )
    services.jury_solve(jury=jury, actor=committee)
    services.jury_publish(jury=jury, actor=committee)
    _set(jury, True, committee)
    services.pledge_accept(expert=a, edition=edition)
    mine = Assignment.objects.select_related("work__category").get(expert=a, work=work)
    services.review_save(assignment=mine, scores=rubric_values(work, 7), submit=True, actor=a)

    client.force_login(a)
    html = client.get(reverse("judging:review", args=[work.pk])).content.decode()

    assert peer_table(html) == []
    assert "其他专家尚未提交对该作品的评审。" in html


def test_conflicted_expert_still_gets_404_with_the_setting_on(client, trio, units, edition):
    _set(trio["jury"], True, trio["committee"])
    conflicted = expert(committee=trio["committee"], unit=units["hd"])
    services.jury_set_members(
        jury=trio["jury"], members=[*trio["people"].values(), conflicted], actor=trio["committee"]
    )
    services.pledge_accept(expert=conflicted, edition=edition)
    assert services.jury_solve(jury=trio["jury"], actor=trio["committee"])

    client.force_login(conflicted)

    assert client.get(reverse("judging:review", args=[trio["work"].pk])).status_code == 404


def test_committee_turns_it_on_and_off_on_the_jury_page_and_each_change_is_audited(client, trio):
    jury, committee = trio["jury"], trio["committee"]
    client.force_login(committee)
    page = client.get(reverse("judging:jury", args=[jury.pk])).content.decode()
    assert "专家可见其他专家评分" in page
    assert "按评审组设置：一个评审组即一轮网络评审" in page
    url = reverse("judging:jury_settings", args=[jury.pk])

    on = client.post(url, {"peer_scores_visible": "on"}, follow=True)
    again = client.post(url, {"peer_scores_visible": "on"})
    off = client.post(url, {}, follow=True)

    assert (
        "已开启：专家提交自己的评审后，可看到其他专家对同一作品的评分（匿名）。"
        in on.content.decode()
    )
    assert again.url == reverse("judging:jury", args=[jury.pk])
    assert "已关闭：专家不再能看到其他专家的评分。" in off.content.decode()
    jury.refresh_from_db()
    assert jury.peer_scores_visible is False
    events = AuditEvent.objects.filter(action="jury.settings", object_id=str(jury.pk)).order_by(
        "pk"
    )
    assert [(e.actor_id, e.before, e.after) for e in events] == [
        (committee.pk, {"peer_scores_visible": False}, {"peer_scores_visible": True}),
        (committee.pk, {"peer_scores_visible": True}, {"peer_scores_visible": False}),
    ]  # the repeated "on" changed nothing and recorded nothing


@pytest.mark.parametrize(
    "role", ["student", "teacher", "coordinator", "organizer", "expert", "jury_expert"]
)
def test_only_the_committee_can_change_the_setting(client, trio, roles, role):
    person = trio["people"]["甲"] if role == "jury_expert" else roles[role]
    client.force_login(person)
    url = reverse("judging:jury_settings", args=[trio["jury"].pk])

    response = client.post(url, {"peer_scores_visible": "on"})

    assert response.status_code == 403
    trio["jury"].refresh_from_db()
    assert trio["jury"].peer_scores_visible is False
    assert not AuditEvent.objects.filter(action="jury.settings").exists()


def test_setting_is_closed_to_anonymous_get_and_another_editions_jury(client, trio, roles):
    from gongchuang.editions.services import edition_create_from_defaults

    old, _ = edition_create_from_defaults(year=2025, slug="t2025", code="2025")
    other = services.jury_create(
        edition=old, category=old.categories.get(code="ai_art"), actor=roles["committee"]
    )
    url = reverse("judging:jury_settings", args=[trio["jury"].pk])
    data = {"peer_scores_visible": "on"}

    anonymous = client.post(url, data)
    client.force_login(roles["committee"])
    get = client.get(url)
    elsewhere = client.post(reverse("judging:jury_settings", args=[other.pk]), data)

    assert anonymous["Location"].startswith(reverse("accounts:login"))
    assert (get.status_code, elsewhere.status_code) == (405, 404)
    assert list(Jury.objects.filter(peer_scores_visible=True)) == []


def test_review_page_with_peer_scores_has_bounded_queries(
    client, trio, django_assert_max_num_queries
):
    _set(trio["jury"], True, trio["committee"])
    client.force_login(trio["people"]["甲"])
    # +2 for the menu (its state, and the current edition: kept per process outside tests)
    with django_assert_max_num_queries(22):
        response = client.get(reverse("judging:review", args=[trio["work"].pk]))
    assert peer_table(response.content.decode())[1][0] == "其他专家 1"


def test_a_submitted_review_is_final_once_peers_scores_are_shown(client, trio):
    """Seeing the others' scores after submitting must not let an expert re-anchor theirs."""
    from gongchuang.common.errors import DomainError
    from gongchuang.judging.models import Review

    work, person, assignment = trio["work"], trio["people"]["甲"], trio["assignments"]["甲"]
    before = Review.objects.get(assignment=assignment)
    # Without peers' scores shown, a submitted review may still be corrected (audited).
    services.review_save(
        assignment=assignment, scores=rubric_values(work, 5), submit=True, actor=person
    )
    _set(trio["jury"], True, trio["committee"])
    with pytest.raises(DomainError) as exc:
        services.review_save(
            assignment=assignment, scores=rubric_values(work, 9), submit=True, actor=person
        )
    assert exc.value.code == "final_after_peers"
    assert "已提交的评审不能再修改" in exc.value.message
    after = Review.objects.get(assignment=assignment)
    assert after.total == 50 and after.total != before.total

    client.force_login(person)
    html = client.get(reverse("judging:review", args=[work.pk])).content.decode()
    assert 'data-testid="review-final"' in html and 'name="submit"' not in html
    posted = client.post(
        reverse("judging:review", args=[work.pk]),
        {f"score_{k}": v for k, v in rubric_values(work, 9).items()} | {"submit": "1"},
    )
    assert "已提交的评审不能再修改" in posted.content.decode()
    assert Review.objects.get(assignment=assignment).total == 50
    # A draft (丙) can still be completed and submitted.
    third = trio["assignments"]["丙"]
    services.review_save(
        assignment=third, scores=rubric_values(work, 7), submit=True, actor=trio["people"]["丙"]
    )
