"""Role-shaped navigation (issue 20 item 1): each role sees at most 7 top-level entries,
the staff's links grouped with the counts of what waits, the others only what applies to
their state; the start page opens with "To do"."""

import re

import pytest
from django.test import RequestFactory
from django.utils import translation

from gongchuang.common.registry import MAX_TOP_LEVEL, nav_for
from gongchuang.submissions.enums import WorkState
from tests.factories.works import TO_FINALIST, WorkFactory, move, submitted_work

pytestmark = pytest.mark.django_db


def _nav(user):
    request = RequestFactory().get("/")
    request.user = user
    with translation.override("en"):
        return [
            (str(e.label), e.count, [(str(c.label), c.count) for c in e.children])
            for e in nav_for(request)
        ]


def _top(user):
    return [label for label, _count, _children in _nav(user)]


def _all_links(user):
    links = []
    for label, _count, children in _nav(user):
        links += [c for c, _n in children] if children else [label]
    return links


def test_committee_sees_seven_groups_in_order(roles):
    assert _top(roles["committee"]) == [
        "My dashboard", "Review", "Judging", "Final", "Publicity and objections", "Reports",
        "Settings",
    ]  # fmt: skip


def test_committee_groups_hold_their_links(roles):
    groups = {label: [c for c, _n in children] for label, _n, children in _nav(roles["committee"])}
    assert groups["Review"] == ["City review"]
    assert groups["Judging"] == ["Expert review", "Experts"]
    assert groups["Publicity and objections"] == ["Publicity", "Publicity management", "Objections"]
    assert groups["Reports"] == ["Statistics", "Audit log"]
    assert "Administration" in groups["Settings"] and "Manage notices" in groups["Settings"]


def test_every_role_has_at_most_seven_top_level_entries(roles):
    for user in roles.values():
        assert len(_top(user)) <= MAX_TOP_LEVEL, user.username


def test_anonymous_visitor_sees_the_public_pages_flat(roles):
    from django.contrib.auth.models import AnonymousUser

    assert _top(AnonymousUser()) == [
        "Home", "Notices", "Guide", "Showcase", "Teaching cases", "Results", "Publicity",
    ]  # fmt: skip


def test_student_with_only_a_draft_sees_neither_final_nor_publicity(roles, edition):
    WorkFactory(edition=edition, author=roles["student"])
    assert _top(roles["student"]) == ["My dashboard", "My works", "My data", "About the activity"]
    assert "My final" not in _all_links(roles["student"])
    assert "Publicity" not in _all_links(roles["student"])


def test_student_with_a_finalist_work_sees_final_and_publicity(roles, edition):
    work = WorkFactory(edition=edition, author=roles["student"])
    work = move(work, *TO_FINALIST, actor=roles["committee"])
    assert work.state == WorkState.FINALIST
    assert _top(roles["student"]) == [
        "My dashboard", "My works", "My final", "Publicity", "My data", "About the activity",
    ]  # fmt: skip


def test_expert_without_final_sessions_does_not_see_final_scoring(roles):
    top = _top(roles["expert"])
    assert top == ["My dashboard", "My reviews", "Guidance slots", "About the activity"]
    assert "Final scoring" not in top


def test_organizer_sees_the_works_waiting_for_review(roles, edition):
    submitted_work(edition, roles["student"])
    nav = {label: (count, children) for label, count, children in _nav(roles["organizer"])}
    assert nav["Review"] == (1, [("Qualification review", 1)])
    other = {label: (count, children) for label, count, children in _nav(roles["organizer_cy"])}
    assert other["Review"] == (0, [("Qualification review", 0)])


def test_coordinator_sees_a_short_review_group(roles):
    assert _top(roles["coordinator"]) == ["My dashboard", "Review", "Publicity and objections"]


def test_nav_is_computed_once_per_request(roles, django_assert_max_num_queries):
    request = RequestFactory().get("/")
    request.user = roles["committee"]
    first = nav_for(request)
    with django_assert_max_num_queries(0):
        assert nav_for(request) is first


def test_staff_start_page_opens_with_to_do(client, roles, edition):
    submitted_work(edition, roles["student"])
    client.force_login(roles["organizer"])
    body = client.get("/accounts/dashboard/").content.decode()
    panels = re.findall(r'<section class="card[^"]*" data-testid="([\w-]+)"', body)
    assert panels[0] == "todo-panel"
    assert "待办" in body and 'data-testid="todo-item"' in body
    assert 'class="layout with-side-nav"' in body


def test_student_start_page_lists_deadlines_without_to_do(client, roles, edition):
    client.force_login(roles["student"])
    body = client.get("/accounts/dashboard/").content.decode()
    assert 'data-testid="todo-panel"' in body and "待办" not in body
    assert "with-side-nav" not in body
