"""The experts' discussion of a work, the panel lead's consensus note, the review form's
autosave and the expert's score distribution (issue 19 items 1 and 2)."""

import pytest
from django.urls import reverse

from gongchuang.common.errors import DomainError
from gongchuang.common.models import AuditEvent
from gongchuang.judging import selectors, services
from gongchuang.judging.enums import ReviewStatus, SelectionRule
from gongchuang.judging.models import Assignment, ConsensusNote, DiscussionPost, Review
from tests.factories.works import qualified_work, rubric_values
from tests.judging.helpers import expert

pytestmark = pytest.mark.django_db

MESSAGE = "我认为创新性评分偏低，作品的交互设计很新颖"
NOTE = "组长意见：两位专家对创新性分歧较大，经讨论同意按 55 分左右处理"


@pytest.fixture
def panel(edition, units, roles):
    """A work (student author, teacher advisor) reviewed by 甲 and 乙 in one jury whose lead
    丙 does not review it; 丁 sits on another category's jury; 戊 is an expert of no jury."""
    committee = roles["committee"]
    work = qualified_work(
        edition, units["cy_school"], committee=committee, real_name="赵小作",
        advisor=roles["teacher"],
    )  # fmt: skip
    a, b = expert(committee=committee, name="评审甲"), expert(committee=committee, name="评审乙")
    lead = expert(committee=committee, name="组长丙")
    jury = services.jury_create(
        edition=edition, category=work.category, members=[a, b], actor=committee, k=2
    )
    services.jury_solve(jury=jury, actor=committee)
    services.jury_publish(jury=jury, actor=committee)
    jury = services.jury_set_members(jury=jury, members=[a, b, lead], actor=committee)
    jury = services.jury_set_discussion(
        jury=jury, discussion_after_review=True, lead=lead, actor=committee
    )
    other = expert(committee=committee, name="他组丁")
    other_jury = services.jury_create(
        edition=edition, category=edition.categories.get(code="ai_agent"), members=[other],
        actor=committee, k=1,
    )  # fmt: skip
    free = expert(committee=committee, name="空闲戊")
    for person in (a, b, lead, other, free):
        services.pledge_accept(expert=person, edition=edition)
    return {"work": work, "jury": jury, "a": a, "b": b, "lead": lead, "other": other,
            "other_jury": other_jury, "free": free, "committee": committee}  # fmt: skip


def submit(panel, person, value):
    assignment = Assignment.objects.select_related("work__category").get(
        jury=panel["jury"], work=panel["work"], expert=person
    )
    return services.review_save(
        assignment=assignment, scores=rubric_values(panel["work"], value), submit=True,
        actor=person,
    )  # fmt: skip


def url(panel, name="discussion"):
    return reverse(f"judging:{name}", args=[panel["jury"].pk, panel["work"].pk])


def test_an_expert_joins_the_discussion_only_after_submitting_their_review(client, panel):
    client.force_login(panel["a"])
    assert client.get(url(panel)).status_code == 404
    with pytest.raises(DomainError):
        services.discussion_post(
            jury=panel["jury"], work=panel["work"], body=MESSAGE, actor=panel["a"]
        )

    submit(panel, panel["a"], 8)

    assert client.get(url(panel)).status_code == 200
    client.force_login(panel["b"])
    assert client.get(url(panel)).status_code == 404  # 乙 has not submitted yet


def test_with_the_setting_off_experts_join_before_submitting(client, panel):
    services.jury_set_discussion(
        jury=panel["jury"], discussion_after_review=False, lead=panel["lead"],
        actor=panel["committee"],
    )  # fmt: skip
    client.force_login(panel["b"])

    assert client.get(url(panel)).status_code == 200


def test_two_experts_discuss_without_names_and_the_committee_sees_who(client, panel):
    submit(panel, panel["a"], 8)
    submit(panel, panel["b"], 4)
    client.force_login(panel["a"])
    client.post(url(panel), {"body": MESSAGE})
    client.force_login(panel["b"])
    client.post(url(panel), {"body": "同意复核，但完成度一般"})

    page_b = client.get(url(panel)).content.decode()
    client.force_login(panel["committee"])
    page_committee = client.get(url(panel)).content.decode()

    assert DiscussionPost.objects.filter(jury=panel["jury"], work=panel["work"]).count() == 2
    assert MESSAGE in page_b and "专家 1" in page_b and "我" in page_b
    assert panel["a"].real_name not in page_b
    assert panel["a"].real_name in page_committee and panel["b"].real_name in page_committee
    assert list(
        AuditEvent.objects.filter(action="discussion.post")
        .order_by("pk")
        .values_list("after__body", flat=True)
    ) == [MESSAGE, "同意复核，但完成度一般"]


def test_the_lead_writes_a_consensus_note_on_a_work_they_do_not_review(client, panel):
    client.force_login(panel["lead"])
    assert client.get(url(panel)).status_code == 200

    client.post(url(panel, "consensus"), {"note": NOTE})
    client.post(url(panel, "consensus"), {"note": NOTE + "。"})

    note = ConsensusNote.objects.get(jury=panel["jury"], work=panel["work"])
    assert (note.body, note.author) == (NOTE + "。", panel["lead"])
    events = AuditEvent.objects.filter(action="consensus.save").order_by("pk")
    assert [e.before and e.before["body"] for e in events] == [None, NOTE]


def test_only_the_lead_writes_consensus_notes(panel):
    submit(panel, panel["a"], 8)
    with pytest.raises(DomainError) as err:
        services.consensus_note_save(
            jury=panel["jury"], work=panel["work"], body=NOTE, actor=panel["a"]
        )
    assert err.value.code == "forbidden"
    assert ConsensusNote.objects.count() == 0


def test_the_lead_must_be_one_of_the_jurys_experts(panel):
    with pytest.raises(DomainError) as err:
        services.jury_set_discussion(
            jury=panel["jury"], discussion_after_review=True, lead=panel["other"],
            actor=panel["committee"],
        )  # fmt: skip
    assert err.value.code == "lead"


def test_a_lead_conflicted_by_unit_cannot_read_the_discussion(client, panel, units):
    lead = panel["lead"]
    lead.expert_profile.unit = units["cy"]
    lead.expert_profile.save()
    client.force_login(lead)

    assert client.get(url(panel)).status_code == 404
    assert (
        panel["work"].title
        not in client.get(reverse("judging:lead", args=[panel["jury"].pk])).content.decode()
    )


@pytest.mark.parametrize(
    "who", ["author", "advisor", "coordinator", "organizer", "other_jury", "free_expert"]
)
def test_authors_advisors_units_and_other_experts_never_reach_the_thread(client, panel, roles, who):
    submit(panel, panel["a"], 8)
    services.discussion_post(jury=panel["jury"], work=panel["work"], body=MESSAGE, actor=panel["a"])
    person = {
        "author": panel["work"].created_by, "advisor": roles["teacher"],
        "coordinator": roles["coordinator"], "organizer": roles["organizer_cy"],
        "other_jury": panel["other"], "free_expert": panel["free"],
    }[who]  # fmt: skip
    client.force_login(person)

    statuses = [
        client.get(url(panel)).status_code,
        client.post(url(panel), {"body": "看看"}).status_code,
        client.post(url(panel, "consensus"), {"note": "看看"}).status_code,
        client.get(reverse("judging:lead", args=[panel["jury"].pk])).status_code,
    ]

    assert all(s in (403, 404) for s in statuses), statuses
    assert DiscussionPost.objects.count() == 1 and ConsensusNote.objects.count() == 0


def test_finalist_approval_shows_spread_disputed_flag_and_the_leads_note(client, panel):
    submit(panel, panel["a"], 9)
    submit(panel, panel["b"], 3)
    services.consensus_note_save(
        jury=panel["jury"], work=panel["work"], body=NOTE, actor=panel["lead"]
    )
    client.force_login(panel["committee"])

    page = client.get(
        reverse("judging:finalists", args=[panel["jury"].pk]),
        {"level": panel["work"].level, "rule": SelectionRule.COUNT, "value": 1},
    ).content.decode()

    assert NOTE in page
    assert "有争议" in page
    assert 'data-testid="spread">60.0' in page


def test_the_lead_page_lists_disputed_works_first(client, panel):
    submit(panel, panel["a"], 9)
    submit(panel, panel["b"], 3)
    client.force_login(panel["lead"])

    page = client.get(reverse("judging:lead", args=[panel["jury"].pk])).content.decode()

    assert panel["work"].title in page and "有争议" in page
    client.force_login(panel["a"])  # not the lead
    assert client.get(reverse("judging:lead", args=[panel["jury"].pk])).status_code == 404


def test_discussion_settings_change_is_audited(client, panel):
    client.force_login(panel["committee"])
    client.post(
        reverse("judging:jury_discussion_settings", args=[panel["jury"].pk]),
        {"lead": panel["a"].pk},
    )
    panel["jury"].refresh_from_db()

    assert (panel["jury"].lead, panel["jury"].discussion_after_review) == (panel["a"], False)
    event = AuditEvent.objects.filter(action="jury.discussion").latest("pk")
    assert event.after == {"discussion_after_review": False, "lead": panel["a"].pk}


# --- the review form ----------------------------------------------------------------------


def test_draft_autosave_keeps_the_scores_and_stops_once_submitted(client, panel):
    work = panel["work"]
    dims = list(work.category.rubric.all())
    client.force_login(panel["a"])
    draft = reverse("judging:review_draft", args=[work.pk])

    response = client.post(draft, {f"score_{dims[0].pk}": "7", "comment_to_committee": "草稿"})

    assert response.json() == {"ok": True, "total": None}
    review = Review.objects.get(assignment__expert=panel["a"], assignment__work=work)
    assert (review.status, review.scores, review.comment_to_committee) == (
        ReviewStatus.DRAFT, {str(dims[0].pk): 7}, "草稿",
    )  # fmt: skip
    submit(panel, panel["a"], 8)
    refused = client.post(draft, {f"score_{dims[0].pk}": "1"})
    assert refused.status_code == 400
    review.refresh_from_db()
    assert review.scores[str(dims[0].pk)] == 8


def test_draft_autosave_refuses_a_score_off_the_scale(client, panel):
    dims = list(panel["work"].category.rubric.all())
    client.force_login(panel["a"])
    response = client.post(
        reverse("judging:review_draft", args=[panel["work"].pk]), {f"score_{dims[0].pk}": "11"}
    )
    assert response.status_code == 400
    assert not Review.objects.exists()


def test_review_page_shows_steppers_on_the_editions_scale(client, panel):
    edition = panel["jury"].edition
    edition.settings = {**edition.settings, "score_min": 1}
    edition.save(update_fields=["settings"])
    client.force_login(panel["a"])

    page = client.get(reverse("judging:review", args=[panel["work"].pk])).content.decode()

    assert 'data-min="1" data-max="10"' in page
    assert page.count('data-step="1"') == len(panel["work"].category.rubric.all())
    assert 'data-testid="running-total"' in page


def test_distribution_shows_own_totals_and_the_jurys_only_with_three_experts(panel, edition):
    submit(panel, panel["a"], 8)
    submit(panel, panel["b"], 4)

    mine = selectors.score_distribution(panel["a"], panel["jury"])

    assert (mine.n_mine, mine.mean_mine, mine.jury_shown) == (1, 80.0, False)
    assert [b["mine"] for b in mine.bins] == [0] * 8 + [1, 0]
    assert all(b["jury"] is None for b in mine.bins)
    assert selectors.score_distribution(panel["lead"], panel["jury"]) is None


def test_discussion_and_lead_pages_query_count_does_not_grow_with_messages(
    client, panel, django_assert_max_num_queries
):
    submit(panel, panel["a"], 9)
    submit(panel, panel["b"], 3)
    for n in range(8):
        person = panel["a"] if n % 2 else panel["b"]
        services.discussion_post(
            jury=panel["jury"], work=panel["work"], body=f"留言{n}", actor=person
        )
    client.force_login(panel["lead"])

    # Constant: one query for the whole thread; +4 for the staff menu (its state and the
    # current edition, kept per process outside tests).
    with django_assert_max_num_queries(28):
        page = client.get(url(panel))
    with django_assert_max_num_queries(30):
        lead_page = client.get(reverse("judging:lead", args=[panel["jury"].pk]))

    assert page.content.decode().count("留言") >= 8
    assert lead_page.status_code == 200
