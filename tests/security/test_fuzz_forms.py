"""Hostile input to the main forms, by hand: never a server error, never a stored script on a page.

Values and checks are shared with the crawler (``_fuzz``); ``test_fuzz_every_form`` reaches every
other form. These tests also look at the pages other people see (author, committee, public).
"""

import pytest
from django.test import Client
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from gongchuang.judging import services as judging
from gongchuang.judging.models import Assignment
from gongchuang.submissions.models import Work
from tests.factories import people
from tests.factories.works import qualified_work
from tests.judging.helpers import expert
from tests.publicity.helpers import finalist, published
from tests.screening import factories as screening
from tests.submissions.helpers import art_draft

from ._fuzz import FUZZ, HOSTILE, WRONG, assert_safe, logged_in, unsafe_markup


def test_the_scanner_finds_stored_scripts():
    for bad in (
        "<script>alert(1)</script>",
        "<img src=x onerror=alert(1)>",
        '<a href="javascript:x">',
        "<p><fuzz-x></p>",
        "<p>fzzq</p>",  # what TEMPLATE_PAYLOAD renders to when a template engine evaluates it
    ):
        assert unsafe_markup(bad), bad
    assert not unsafe_markup(
        '<input value="&quot;&gt;&lt;img src=x onerror=alert(1)&gt;"><script src="/a.js"></script>'
        "<p>&lt;fuzz-x&gt; {{ &quot;fz&quot;|add:&quot;zq&quot; }}</p>"
    )


@pytest.fixture
def hd(units):
    return units


@FUZZ
@given(username=WRONG, password=WRONG)
def test_login(db, username, password):
    response = Client().post(
        reverse("accounts:login"), {"username": username, "password": password}
    )
    assert_safe(response)


@FUZZ
@given(
    real_name=HOSTILE, username=WRONG, grade=HOSTILE, birth=WRONG, mobile=WRONG, guardian=HOSTILE
)
def test_student_registration(units, edition, real_name, username, grade, birth, mobile, guardian):
    response = Client().post(reverse("accounts:register_student"), {
        "username": username, "real_name": real_name, "email": "x@example.cn", "mobile": mobile,
        "password1": "Passw0rd2026!", "password2": "Passw0rd2026!", "unit": units["hd"].pk,
        "school": units["hd_school"].pk, "level": "junior", "grade": grade, "birth_date": birth,
        "document_type": "resident_id", "document_number": real_name[:18], "guardian_name": guardian, "guardian_phone": mobile,
        "guardian_consent": "on", "privacy_ack": "on",
    })  # fmt: skip
    assert_safe(response)


@FUZZ
@given(field=st.sampled_from(["mobile", "guardian_phone", "x", ""]), phone=WRONG, code=WRONG)
def test_registration_codes(units, settings, field, phone, code):
    settings.SMS_BACKEND = "tests.notifications.test_sms_outbox.RecordingBackend"
    client = Client()
    assert_safe(client.post(reverse("accounts:register_code"), {"field": field, field: phone}))
    assert_safe(client.post(reverse("accounts:register_teacher"), {
        "username": "fuzzer", "real_name": "陈", "mobile": phone, "mobile_code": code,
        "password1": "Passw0rd2026!", "password2": "Passw0rd2026!", "unit": units["hd"].pk,
        "school": units["hd_school"].pk, "kind": "school", "privacy_ack": "on",
    }))  # fmt: skip


@FUZZ
@given(title=HOSTILE, abstract=HOSTILE, keywords=HOSTILE, tools=HOSTILE, link=WRONG, category=WRONG)
def test_work_create_and_detail(roles, edition, title, abstract, keywords, tools, link, category):
    client = logged_in(roles["student"])
    cat = edition.categories.get(code="ai_art")
    for cat_value in (cat.pk, category):
        response = client.post(reverse("submissions:work_create"), {
            "category": cat_value, "title": title, "abstract": abstract, "keywords": keywords,
            "ai_tools": tools, "ai_generated": abstract, "ai_process": keywords, "link": link,
            "originality_pledge": "on",
        })  # fmt: skip
        assert_safe(response)
    for work in Work.objects.filter(created_by=roles["student"]):
        assert_safe(client.get(reverse("submissions:work_detail", args=[work.pk])))
        assert_safe(client.get(reverse("submissions:my_works")))


@FUZZ
@given(title=HOSTILE, abstract=HOSTILE, username=WRONG, role=WRONG)
def test_work_edit_and_invite(roles, edition, title, abstract, username, role):
    work = Work.objects.filter(created_by=roles["student"]).first() or art_draft(
        edition, roles["student"]
    )
    client = logged_in(roles["student"])
    assert_safe(client.post(reverse("submissions:work_edit", args=[work.pk]), {
        "title": title, "abstract": abstract, "keywords": abstract, "ai_tools": title,
        "ai_generated": title, "ai_process": abstract, "originality_pledge": "on",
    }))  # fmt: skip
    assert_safe(
        client.post(
            reverse("submissions:invite", args=[work.pk]), {"username": username, "role": role}
        )
    )
    assert_safe(client.get(reverse("submissions:work_detail", args=[work.pk]), follow=False))


@FUZZ
@given(note=HOSTILE, decision=st.sampled_from(["return", "reject", "recommend", "x", ""]))
def test_unit_decision_reason_reaches_author_escaped(roles, units, edition, note, decision):
    work = screening.work(
        edition,
        unit=units["hd"],
        school=units["hd_school"],
        author=people.student(units["hd_school"]),
    )
    response = logged_in(roles["organizer"]).post(
        reverse("screening:unit_work", args=[work.pk]), {"decision": decision, "note": note}
    )
    assert_safe(response)
    author = work.created_by
    assert_safe(logged_in(author).get(reverse("submissions:work_detail", args=[work.pk])))
    assert_safe(logged_in(roles["organizer"]).get(reverse("screening:unit_queue")))


@pytest.fixture
def listed(roles, edition):
    work = finalist(edition, roles["student"], roles["committee"])
    publicity = published(edition, [work], roles["committee"])
    return publicity, publicity.entries.get()


@FUZZ
@given(reason=HOSTILE, contact=WRONG)
def test_objection(roles, units, listed, reason, contact):
    publicity, entry = listed
    objector = people.student(units["cy_school"])
    url = reverse("publicity:objection_create", args=[publicity.pk, entry.pk])
    assert_safe(logged_in(objector).post(url, {"reason": reason + "，" * 20, "contact": contact}))
    committee = logged_in(roles["committee"])
    assert_safe(committee.get(reverse("publicity:objection_queue")))
    from gongchuang.publicity.models import Objection

    for objection in Objection.objects.all():
        assert_safe(committee.get(reverse("publicity:objection_detail", args=[objection.pk])))


@FUZZ
@given(title=HOSTILE, summary=HOSTILE, body=HOSTILE, publish_at=WRONG)
def test_notice_editor(roles, edition, title, summary, body, publish_at):
    client = logged_in(roles["committee"])
    data = {"title": title, "summary": summary, "body": body, "publish_at": publish_at, "unit": ""}
    assert_safe(client.post(reverse("portal:notice_create"), {**data, "preview": "1"}))
    response = client.post(reverse("portal:notice_create"), data)
    assert_safe(response)
    from gongchuang.portal.models import Notice

    for notice in Notice.objects.all():
        assert_safe(Client().get(reverse("portal:notice_detail", args=[notice.pk])))
    assert_safe(Client().get(reverse("portal:notice_list")))
    assert_safe(Client().get(reverse("portal:home")))


@pytest.fixture
def reviewing(edition, units, roles):
    committee = roles["committee"]
    qualified_work(edition, units["hd_school"], committee=committee)
    e = expert(committee=committee)
    jury = judging.jury_create(
        edition=edition,
        category=edition.categories.get(code="ai_art"),
        members=[e],
        actor=committee,
        k=1,
    )
    judging.jury_solve(jury=jury, actor=committee)
    judging.jury_publish(jury=jury, actor=committee)
    judging.pledge_accept(expert=e, edition=edition)
    return e, Assignment.objects.filter(expert=e, forbidden=False).first()


@FUZZ
@given(to_committee=HOSTILE, to_authors=HOSTILE, score=WRONG, submit=st.booleans())
def test_review_comments_and_scores(reviewing, roles, to_committee, to_authors, score, submit):
    e, assignment = reviewing
    work = assignment.work
    data = {str(d.pk): score for d in work.category.rubric.all()}
    data.update({"comment_to_committee": to_committee, "comment_to_authors": to_authors})
    if submit:
        data["submit"] = "1"
    client = logged_in(e)
    assert_safe(client.post(reverse("judging:review", args=[work.pk]), data))
    assert_safe(client.get(reverse("judging:review", args=[work.pk])))
    committee = logged_in(roles["committee"])
    assert_safe(committee.get(reverse("judging:work_reviews", args=[assignment.jury_id, work.pk])))
