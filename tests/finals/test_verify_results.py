"""``manage.py verify_results`` on the final: open finals, a full run, and tampered rows."""

import json
import uuid

import pytest
from django.db import connection

from gongchuang.finals import services
from gongchuang.finals.enums import ScoreKind
from gongchuang.finals.models import Certificate, Score
from gongchuang.submissions.enums import WorkState
from gongchuang.submissions.services import transition_work
from tests.audit.verify_helpers import raw_sql, run_verify

from .conftest import publish_results

pytestmark = pytest.mark.django_db
VALUES = [(10, 9), (8, 8), (7, 7), (6, 5), (5, 5), (4, 4), (3, 2)]


def _scored(session, finalist_factory, units, judge, roles):
    works = []
    for _ in VALUES:
        work = finalist_factory(school=units["hd_school"])
        services.session_add_participant(session=session, work=work, actor=roles["committee"])
        works.append(work)
    services.session_add_judge(session=session, judge=judge, actor=roles["committee"])
    for work, pair in zip(works, VALUES, strict=True):
        for kind, value in zip((ScoreKind.PRESENTATION, ScoreKind.TASK), pair, strict=True):
            services.score_save(
                judge=judge,
                session=session,
                work=work,
                kind=kind,
                values={str(d.pk): value for d in work.category.rubric.all()},
                client_uuid=uuid.uuid4(),
                client_rev=1,
            )
    return works


def test_open_final_not_computed_or_not_locked_has_nothing_to_differ(
    session, finalist_factory, units, judge, roles, edition
):
    works = _scored(session, finalist_factory, units, judge, roles)

    assert run_verify(edition.slug)[:2] == (0, [])
    services.results_compute(event=session.event, actor=roles["committee"])
    # Computed but not locked: scores may still change, so results are not compared yet.
    Score.objects.filter(work=works[0]).delete()
    assert run_verify(edition.slug)[:2] == (0, [])


def test_sheet_values_changed_behind_the_applications_back_are_reported(
    session, finalist_factory, units, judge, roles, edition
):
    works = _scored(session, finalist_factory, units, judge, roles)
    sheet = Score.objects.get(work=works[1], kind=ScoreKind.TASK)
    tampered = {key: 10 for key in sheet.values}
    sql = 'UPDATE finals_score SET "values" = %s WHERE id = %s'
    if connection.vendor == "postgresql":
        sql = 'UPDATE finals_score SET "values" = %s::jsonb WHERE id = %s'
    raw_sql(sql, [json.dumps(tampered), sheet.pk])

    status, lines, summary = run_verify(edition.slug)

    name = f"work {works[1].code}, final score sheet {sheet.pk} (task)"
    assert status == 1
    assert lines == [
        f"{name}: total: recorded 80, recomputed 100",
        f"{name}: values recorded {tampered}, audited {sheet.values}",
    ]
    assert summary["differences"] == 2


def test_published_final_verifies_then_a_changed_certificate_is_reported(
    session, finalist_factory, units, judge, roles, edition, django_capture_on_commit_callbacks
):
    committee = roles["committee"]
    works = _scored(session, finalist_factory, units, judge, roles)
    unscored = finalist_factory(school=units["hd_school"])
    event = session.event
    services.results_compute(event=event, actor=committee)
    services.special_award_create(event=event, name="科创之星奖", work=unscored, actor=committee)
    event = services.results_lock(event=event, actor=committee)
    event = publish_results(event, committee)  # award list confirmed final first
    # An objection upheld after publication: the award's certificates are revoked (after commit).
    with django_capture_on_commit_callbacks(execute=True):
        transition_work(
            type(works[6]).objects.get(pk=works[6].pk), WorkState.DISQUALIFIED, actor=committee
        )

    status, lines, _summary = run_verify(edition.slug)

    assert (status, lines) == (0, [])
    assert Certificate.objects.filter(event=event, revoked_at__isnull=True).count() == 7
    top = Certificate.objects.get(work=works[0])
    raw_sql("UPDATE finals_certificate SET star_level = %s WHERE id = %s", ["four", top.pk])
    raw_sql("DELETE FROM finals_certificate WHERE work_id = %s", [unscored.pk])

    status, lines, _summary = run_verify(edition.slug)

    assert status == 1
    assert sorted(lines) == sorted(
        [
            f"work {works[0].code}, certificate of user {top.user_id} for 五星作品: star_level: "
            "recorded four, recomputed five",
            f"work {unscored.code}, certificate of user {unscored.created_by_id} for 科创之星奖: "
            "issued: recorded False, recomputed True",
        ]
    )
