"""``manage.py verify_results EDITION``: awards re-derived from stored inputs; tampering found."""

import json

import pytest
from django.core.management import call_command
from django.db import connection

from gongchuang.editions.models import Edition
from gongchuang.finals.models import Certificate, FinalResult, Score
from gongchuang.judging import services
from gongchuang.judging.enums import SelectionRule
from gongchuang.judging.models import Assignment, FinalistEntry, Review
from gongchuang.submissions.enums import WorkState
from tests.factories.works import qualified_work, rubric_values
from tests.judging.helpers import expert, published_jury

from .verify_helpers import raw_sql, run_verify

# Scores per work (every dimension): two ties at 8 around the cut of 2.
VALUES = [9, 8, 8, 6, 5, 4]


@pytest.fixture
def approved(edition, units, roles):
    """Six junior ai_art works reviewed by a jury of four, the top two approved as finalists."""
    committee = roles["committee"]
    works = [
        qualified_work(edition, units["hd_school" if i % 2 else "cy_school"], committee=committee)
        for i in range(6)
    ]
    experts = [expert(committee=committee) for _ in range(4)]
    jury = published_jury(edition, experts=experts, committee=committee)
    for a in Assignment.objects.filter(jury=jury, forbidden=False).select_related("work__category"):
        value = VALUES[[w.pk for w in works].index(a.work_id)]
        services.review_save(
            assignment=a, scores=rubric_values(a.work, value), submit=True, actor=a.expert
        )
    finalist_list = services.finalists_approve(
        jury=jury, level="junior", rule=SelectionRule.COUNT, value=2, actor=committee
    )
    return {"works": works, "list": finalist_list, "jury": jury}


@pytest.mark.django_db
def test_reviewed_and_selected_edition_has_no_difference(approved, edition):
    status, lines, summary = run_verify(edition.slug)

    assert (status, lines) == (0, [])
    n_reviews = Review.objects.count()
    assert n_reviews == 12
    assert summary["differences"] == 0
    # audit events + 12 reviews + the 6 works of the approved group
    from gongchuang.common.models import AuditEvent

    assert summary["checked"] == AuditEvent.objects.count() + n_reviews + 6
    entries = FinalistEntry.objects.filter(finalist_list=approved["list"])
    assert sorted(e.work_id for e in entries) == sorted(w.pk for w in approved["works"][:3])


@pytest.mark.django_db
def test_review_score_changed_behind_the_applications_back_is_reported(approved, edition):
    work = approved["works"][0]
    review = Review.objects.filter(assignment__work=work).order_by("pk").first()
    dims = list(work.category.rubric.all())  # weights 30, 25, 25, 10, 10
    tampered = {**review.scores, str(dims[0].pk): 3}
    sql = "UPDATE judging_review SET scores = %s WHERE id = %s"
    if connection.vendor == "postgresql":
        sql = "UPDATE judging_review SET scores = %s::jsonb WHERE id = %s"
    raw_sql(
        sql,
        [json.dumps(tampered), review.pk],
    )

    status, lines, summary = run_verify(edition.slug)

    name = f"work {work.code}, review {review.pk} (expert {review.assignment.expert_id})"
    audit_id = lines[1].rsplit("audit event ", 1)[1].rstrip(")")
    assert status == 1
    assert lines == [
        f"{name}: total: recorded 90, recomputed 72",
        f"{name}: scores recorded {tampered}, audited {review.scores} (audit event {audit_id})",
    ]
    assert summary["differences"] == 2


@pytest.mark.django_db
def test_review_total_changed_behind_the_applications_back_is_reported(approved, edition):
    work = approved["works"][3]
    review = Review.objects.filter(assignment__work=work).order_by("pk").first()
    raw_sql("UPDATE judging_review SET total = %s WHERE id = %s", [95.5, review.pk])

    status, lines, _summary = run_verify(edition.slug)

    name = f"work {work.code}, review {review.pk} (expert {review.assignment.expert_id})"
    assert status == 1
    assert lines[0] == f"{name}: total: recorded 95.5, recomputed 60"
    assert lines[1].startswith(f"{name}: total (audit event ")
    assert lines[1].endswith("recorded 95.5, recomputed 60")
    assert len(lines) == 2


@pytest.mark.django_db
def test_finalist_entry_and_state_changed_behind_the_applications_back_are_reported(
    approved, edition
):
    fl = approved["list"]
    top, last = approved["works"][0], approved["works"][5]
    entry = FinalistEntry.objects.get(finalist_list=fl, work=top)
    raw_sql("UPDATE judging_finalistentry SET rank = %s WHERE id = %s", [2, entry.pk])
    raw_sql("UPDATE submissions_work SET state = %s WHERE id = %s", [WorkState.FINALIST, last.pk])

    status, lines, _summary = run_verify(edition.slug)

    label = f"finalist list {fl.pk} ({fl})"
    assert status == 1
    assert lines == [
        f"{label}, work {top.code}: rank: recorded 2, recomputed 1",
        f"{label}, work {last.code}: state recorded finalist, decided not_selected",
    ]


@pytest.mark.django_db
def test_review_submitted_after_the_approval_does_not_move_the_list(
    approved, edition, units, roles
):
    """The list is recomputed with the reviews as audited at its approval: a review of a
    senior work submitted later changes the jury's calibration, not the junior list."""
    from gongchuang.accounts.enums import Level

    committee = roles["committee"]
    senior = qualified_work(edition, units["hd_school"], committee=committee, level=Level.SENIOR)
    jury = approved["jury"]
    a = services.assignment_add(
        jury=jury, work=senior, expert=jury.members.order_by("pk").first(), actor=committee
    )
    services.review_save(
        assignment=a, scores=rubric_values(senior, 10), submit=True, actor=a.expert
    )

    status, lines, _summary = run_verify(edition.slug)

    assert (status, lines) == (0, [])


@pytest.mark.django_db
def test_unknown_edition_is_refused(db):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="No edition"):
        call_command("verify_results", "nope")


@pytest.mark.django_db
def test_freshly_seeded_demo_has_no_difference_and_tampering_is_found():
    call_command("seed_demo", stdout=__import__("io").StringIO())
    demo = Edition.objects.get(slug="demo")
    # The demo's current final is open (nothing computed yet); last year's is published.
    past = Edition.objects.get(slug="demo-past")

    status, lines, summary = run_verify("demo")

    assert (status, lines) == (0, [])
    assert summary["edition"] == "demo"
    assert summary["differences"] == 0
    assert summary["checked"] > 0

    status, lines, summary = run_verify("demo-past")

    assert (status, lines) == (0, [])
    assert summary["checked"] > Certificate.objects.filter(event__edition=past).count() > 0

    result = FinalResult.objects.filter(event__edition=past).exclude(star_level="").first()
    raw_sql("UPDATE finals_finalresult SET star_level = %s WHERE id = %s", ["", result.pk])

    status, lines, summary = run_verify("demo-past")

    assert status == 1
    assert lines == [
        f"work {result.work.code}: final star_level: recorded —, recomputed {result.star_level}"
    ]

    sheet = Score.objects.filter(session__event__edition=demo, is_complete=True).first()
    raw_sql("UPDATE finals_score SET total = %s WHERE id = %s", ["12.34", sheet.pk])

    status, lines, summary = run_verify("demo")

    assert status == 1
    assert lines[0] == (
        f"work {sheet.work.code}, final score sheet {sheet.pk} ({sheet.kind}): total: "
        f"recorded 12.34, recomputed {sheet.total.normalize():f}"
    )


@pytest.mark.django_db
def test_a_deleted_final_result_is_reported_but_imported_past_works_are_not():
    call_command("seed_demo", stdout=__import__("io").StringIO())
    past = Edition.objects.get(slug="demo-past")
    result = FinalResult.objects.filter(event__edition=past).order_by("pk").first()
    raw_sql("DELETE FROM finals_finalresult WHERE id = %s", [result.pk])

    status, lines, _summary = run_verify("demo-past")

    # The past edition's showcase works were created awarded (no final here): not listed.
    assert status == 1
    assert f"work {result.work.code}: finalist without a recorded final result" in lines
    assert not [
        line
        for line in lines
        if "finalist without" in line
        and line != (f"work {result.work.code}: finalist without a recorded final result")
    ]
