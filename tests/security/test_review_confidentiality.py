"""Review confidentiality (issue 11 item 2), end to end over every page a person can open.

Already proved in tests/judging (referenced in docs/security.md, control 6): the blind
review page hides authors; a second expert does not see a first one's draft comment and
total; unassigned and conflicted experts get 404 on the review page; unassigned experts
get 404 on material downloads. Added here: what the *authors* can open after the review
(work page, receipt, list, inbox, dashboard, public results, API), experts' pages once
every review is in, and conflicted experts' file downloads (by unit, and by a conflict
declared after the assignment).

Experts see other experts' scores never by default; ``Jury.peer_scores_visible`` (per jury,
set by the committee) shows an expert who has submitted a review the others' scores of that
work, without names or comments. Both cases are asserted here; tests/judging/test_peer_scores.py
has the rest (not before submitting, drafts, the mean, the audited committee-only switch).
"""

import json

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from gongchuang.judging import services
from gongchuang.judging.enums import SelectionRule
from gongchuang.judging.models import Assignment
from gongchuang.notifications.models import Notification
from gongchuang.reports.services import api_token_create
from gongchuang.submissions.models import WorkFile
from tests.factories.works import qualified_work, rubric_values
from tests.judging.helpers import expert

pytestmark = pytest.mark.django_db

INTERNAL = {"甲": "内部评语甲：疑似模板拼接", "乙": "内部评语乙：建议复核版权"}
TO_AUTHORS = {"甲": "给作者甲：色彩运用很好", "乙": "给作者乙：说明可以更详细"}
VALUES = {"甲": 7, "乙": 4}  # weighted totals 70.0 and 40.0


@pytest.fixture
def reviewed(edition, units, roles, django_capture_on_commit_callbacks):
    """One work by a student (with a teacher as advisor), reviewed by experts 甲 and 乙,
    its group's finalists approved and the authors notified; one more expert conflicted
    by unit."""
    with django_capture_on_commit_callbacks(execute=True):
        return _reviewed(edition, units, roles)


def _reviewed(edition, units, roles):
    committee = roles["committee"]
    work = qualified_work(
        edition, units["cy_school"], committee=committee, real_name="赵小作",
        advisor=roles["teacher"],
    )  # fmt: skip
    work_file = WorkFile.objects.create(
        work=work, slot="artwork", file=ContentFile(b"\x89PNG-secret", name="a.png"),
        original_name="a.png", size=11, sha256="0", mime="image/png", kind="image",
        uploaded_by=work.created_by,
    )  # fmt: skip
    by_unit = expert(committee=committee, name="同区专家", unit=units["cy"])
    experts = {key: expert(committee=committee, name=f"评审人{key}") for key in VALUES}
    jury = services.jury_create(
        edition=edition,
        category=work.category,
        members=[*experts.values(), by_unit],
        actor=committee,
        k=2,
    )
    services.jury_solve(jury=jury, actor=committee)
    services.jury_publish(jury=jury, actor=committee)
    for key, person in experts.items():
        services.pledge_accept(expert=person, edition=edition)
        assignment = Assignment.objects.select_related("work__category").get(
            expert=person, work=work, forbidden=False
        )
        services.review_save(
            assignment=assignment, scores=rubric_values(work, VALUES[key]), submit=True,
            comment_to_committee=INTERNAL[key], comment_to_authors=TO_AUTHORS[key], actor=person,
        )  # fmt: skip
    services.pledge_accept(expert=by_unit, edition=edition)
    services.finalists_approve(
        jury=jury, level=work.level, rule=SelectionRule.COUNT, value=1, actor=committee
    )
    work.refresh_from_db()
    return {"work": work, "file": work_file, "experts": experts, "by_unit": by_unit,
            "jury": jury, "author": work.created_by}  # fmt: skip


def identities(person) -> list[str]:
    return [s for s in (person.real_name, person.username, person.email, person.mobile) if s]


def _peer_scores(reviewed, visible: bool, roles) -> None:
    services.jury_set_peer_scores_visible(
        jury=reviewed["jury"], visible=visible, actor=roles["committee"]
    )


@pytest.mark.parametrize("peer_scores_visible", [False, True], ids=["peers-off", "peers-on"])
@pytest.mark.parametrize("who", ["author", "advisor"])
def test_authors_never_see_reviewers_or_internal_comments_on_any_page(
    client, reviewed, roles, who, peer_scores_visible
):
    _peer_scores(reviewed, peer_scores_visible, roles)
    work = reviewed["work"]
    author = reviewed["author"] if who == "author" else roles["teacher"]
    client.force_login(author)
    urls = [
        reverse("accounts:dashboard"),
        reverse("submissions:my_works"),
        reverse("submissions:work_detail", args=[work.pk]),
        reverse("submissions:work_receipt", args=[work.pk]),
        reverse("notifications:inbox"),
        reverse("portal:results"),
    ]
    pages = {}
    for url in urls:
        response = client.get(url, follow=True)
        assert response.status_code == 200, url
        pages[url] = response.content.decode()

    secrets = [
        *INTERNAL.values(),
        *(s for person in reviewed["experts"].values() for s in identities(person)),
        "其他专家",  # the experts' anonymous view of each other is theirs alone
    ]
    notes = Notification.objects.filter(recipient=author)
    pages["notification texts"] = "".join(n.title + n.body for n in notes)
    leaks = [(url, s) for url, html in pages.items() for s in secrets if s in html]
    assert leaks == []
    # The page that does show the review outcome shows the comments meant for authors.
    dashboard = pages[reverse("accounts:dashboard")]
    assert all(text in dashboard for text in TO_AUTHORS.values())
    assert notes.exists()  # the inbox was not empty
    assert notes[0].title in pages[reverse("notifications:inbox")]


def test_e_mails_to_authors_name_no_reviewer_and_no_internal_comment(reviewed):
    from gongchuang.notifications.models import EmailDelivery

    bodies = [d.subject + d.body for d in EmailDelivery.objects.filter(to=reviewed["author"].email)]
    assert bodies  # the authors were told
    secrets = [
        *INTERNAL.values(),
        *(s for person in reviewed["experts"].values() for s in identities(person)),
    ]
    assert [s for body in bodies for s in secrets if s in body] == []


def test_api_for_the_authors_unit_returns_no_reviewer_or_comment(client, reviewed, roles):
    organizer = roles["organizer_cy"]
    token = api_token_create(user=organizer, name="区里", actor=roles["committee"])[1]
    headers = {"Authorization": f"Bearer {token}"}
    work = reviewed["work"]

    bodies = [
        client.get(f"/api/v1/works/{work.pk}", headers=headers),
        client.get("/api/v1/works", headers=headers),
        client.get("/api/v1/results", headers=headers),
    ]

    assert [r.status_code for r in bodies] == [200, 200, 200]
    assert bodies[0].json()["code"] == work.code  # the work is in scope
    text = "".join(json.dumps(r.json(), ensure_ascii=False) for r in bodies)
    secrets = [
        *INTERNAL.values(),
        *TO_AUTHORS.values(),
        *(s for person in reviewed["experts"].values() for s in identities(person)),
    ]
    assert [s for s in secrets if s in text] == []


def _expert_pages(client, person, work) -> dict[str, str]:
    client.force_login(person)
    return {
        url: client.get(url).content.decode()
        for url in (
            reverse("judging:review", args=[work.pk]),
            reverse("judging:queue"),
            reverse("accounts:dashboard"),
        )
    }


@pytest.mark.parametrize(("me", "other"), [("甲", "乙"), ("乙", "甲")])
def test_experts_see_only_their_own_review_once_all_are_in(client, reviewed, me, other):
    """The default: the jury's switch is off, so not even anonymous peer scores are shown."""
    work = reviewed["work"]
    assert reviewed["jury"].peer_scores_visible is False
    pages = _expert_pages(client, reviewed["experts"][me], work)

    mine_total, other_total = f"{VALUES[me] * 10}.0", f"{VALUES[other] * 10}.0"
    assert mine_total in pages[reverse("judging:review", args=[work.pk])]
    assert INTERNAL[me] in pages[reverse("judging:review", args=[work.pk])]
    secrets = [INTERNAL[other], TO_AUTHORS[other], other_total, "其他专家",
               *identities(reviewed["experts"][other])]  # fmt: skip
    assert [(url, s) for url, html in pages.items() for s in secrets if s in html] == []


@pytest.mark.parametrize(("me", "other"), [("甲", "乙"), ("乙", "甲")])
def test_with_peer_scores_on_experts_see_the_others_score_but_not_who_or_what_they_wrote(
    client, reviewed, roles, me, other
):
    work = reviewed["work"]
    _peer_scores(reviewed, True, roles)
    pages = _expert_pages(client, reviewed["experts"][me], work)

    review_page = pages[reverse("judging:review", args=[work.pk])]
    other_total = f"{VALUES[other] * 10}.0"
    cells = ["其他专家 1", *[str(VALUES[other])] * 5, other_total]  # five rubric dimensions
    assert "".join(f"<td>{cell}</td>" for cell in cells) in review_page
    secrets = [INTERNAL[other], TO_AUTHORS[other], *identities(reviewed["experts"][other])]
    assert [(url, s) for url, html in pages.items() for s in secrets if s in html] == []


@pytest.mark.parametrize("peer_scores_visible", [False, True], ids=["peers-off", "peers-on"])
def test_experts_have_no_page_showing_other_experts_reviews(
    client, reviewed, roles, peer_scores_visible
):
    """The committee's pages (names, comments, every score) stay closed to experts whether
    or not the jury shows them their peers' anonymous scores on their own review page."""
    _peer_scores(reviewed, peer_scores_visible, roles)
    jury, work = reviewed["jury"], reviewed["work"]
    client.force_login(reviewed["experts"]["甲"])

    for url in (
        reverse("judging:work_reviews", args=[jury.pk, work.pk]),
        reverse("judging:ranking", args=[jury.pk]),
        reverse("judging:jury", args=[jury.pk]),
    ):
        assert client.get(url).status_code in (403, 404), url


@pytest.mark.parametrize("peer_scores_visible", [False, True], ids=["peers-off", "peers-on"])
def test_expert_conflicted_by_unit_cannot_open_the_work_or_its_files(
    client, reviewed, roles, peer_scores_visible
):
    _peer_scores(reviewed, peer_scores_visible, roles)
    work, work_file = reviewed["work"], reviewed["file"]
    client.force_login(reviewed["by_unit"])

    responses = [
        client.get(reverse("judging:review", args=[work.pk])),
        client.get(reverse("judging:work_file", args=[work.pk, work_file.pk])),
        client.get(reverse("submissions:work_detail", args=[work.pk])),
        client.get(reverse("submissions:file_download", args=[work_file.pk])),
        client.get(reverse("submissions:file_preview", args=[work_file.pk])),
    ]

    assert [r.status_code for r in responses] == [404] * 5


def test_conflict_declared_after_assignment_closes_the_review_and_the_files(
    client, edition, units, roles
):
    committee = roles["committee"]
    work = qualified_work(edition, units["hd_school"], committee=committee)
    work_file = WorkFile.objects.create(
        work=work, slot="artwork", file=ContentFile(b"\x89PNG-data", name="a.png"),
        original_name="a.png", size=9, sha256="0", mime="image/png", kind="image",
        uploaded_by=work.created_by,
    )  # fmt: skip
    person = expert(committee=committee, name="后来回避")
    jury = services.jury_create(
        edition=edition, category=work.category, members=[person], actor=committee, k=1
    )
    services.jury_solve(jury=jury, actor=committee)
    services.jury_publish(jury=jury, actor=committee)
    services.pledge_accept(expert=person, edition=edition)
    client.force_login(person)
    review_url = reverse("judging:review", args=[work.pk])
    file_url = reverse("judging:work_file", args=[work.pk, work_file.pk])
    assert [client.get(review_url).status_code, client.get(file_url).status_code] == [200, 200]

    client.post(reverse("judging:conflicts"), {"work_code": work.code, "reason": "亲属"})

    assert [client.get(review_url).status_code, client.get(file_url).status_code] == [404, 404]
    assert work.code not in client.get(reverse("judging:queue")).content.decode()


DISCUSSION = "讨论：甲认为构图借鉴痕迹明显"
CONSENSUS = "组长意见：按较低分处理，决赛重点考察原创性"


def _discussed(reviewed, roles):
    """甲 leads the jury; 甲 and 乙 discuss the work and 甲 writes the consensus note."""
    jury, work = reviewed["jury"], reviewed["work"]
    jury = services.jury_set_discussion(
        jury=jury, discussion_after_review=True, lead=reviewed["experts"]["甲"],
        actor=roles["committee"],
    )  # fmt: skip
    services.discussion_post(jury=jury, work=work, body=DISCUSSION, actor=reviewed["experts"]["甲"])
    services.discussion_post(jury=jury, work=work, body="乙：同意", actor=reviewed["experts"]["乙"])
    services.consensus_note_save(
        jury=jury, work=work, body=CONSENSUS, actor=reviewed["experts"]["甲"]
    )
    return jury


@pytest.mark.parametrize("who", ["author", "advisor", "organizer"])
def test_the_experts_discussion_and_consensus_note_never_reach_authors_or_units(
    client, reviewed, roles, who
):
    jury = _discussed(reviewed, roles)
    work = reviewed["work"]
    person = {
        "author": reviewed["author"], "advisor": roles["teacher"],
        "organizer": roles["organizer_cy"],
    }[who]  # fmt: skip
    client.force_login(person)
    pages = {
        url: client.get(url, follow=True)
        for url in (
            reverse("accounts:dashboard"),
            reverse("submissions:my_works"),
            reverse("submissions:work_detail", args=[work.pk]),
            reverse("notifications:inbox"),
            reverse("portal:results"),
            reverse("judging:discussion", args=[jury.pk, work.pk]),
            reverse("judging:lead", args=[jury.pk]),
        )
    }

    assert pages[reverse("judging:discussion", args=[jury.pk, work.pk])].status_code in (403, 404)
    assert pages[reverse("judging:lead", args=[jury.pk])].status_code in (403, 404)
    html = "".join(r.content.decode() for r in pages.values())
    assert [s for s in (DISCUSSION, CONSENSUS, "组长") if s in html] == []


def test_experts_read_each_other_in_the_discussion_without_names(client, reviewed, roles):
    jury = _discussed(reviewed, roles)
    client.force_login(reviewed["experts"]["乙"])

    html = client.get(reverse("judging:discussion", args=[jury.pk, reviewed["work"].pk])).content
    html = html.decode()

    assert DISCUSSION in html and CONSENSUS in html
    assert identities(reviewed["experts"]["甲"])[0] not in html
    assert [s for s in identities(reviewed["experts"]["甲"]) if s in html] == []
