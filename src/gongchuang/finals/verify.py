"""Re-deriving the final's recorded outputs (part of ``manage.py verify_results``).

Score sheets: each sheet's total and completeness are recomputed from its values and
the rubric (``scoring.sheet_total``), and its values must equal the last audited ones
(``final.score_create``/``final.score_update``).

Results, once locked (before that the committee may still recompute them; an edition
whose final is not computed or not locked has nothing to compare): every finalist's
presentation, task and online score, combined score, spread, rank in its group and star
level are recomputed from the complete sheets, the withdrawals and the edition settings
(``final_weights``, ``star_shares``) by ``scoring.result_rows``, the very function whose
rows ``results_compute`` stores.

Certificates, once published: one live certificate per author and advisor per award of
a work (its recomputed star level, each special award), with the right role, level, a
well-formed code and a number made of the edition's code and its sequence; none live
for a work that lost its award; and each finalist's state
is awarded (a star or a special award) or participated.
"""

from __future__ import annotations

from collections import defaultdict

from django.utils import translation

from gongchuang.common.verification import Report, audited_as_of
from gongchuang.editions.models import Edition
from gongchuang.publicity.enums import ListKind
from gongchuang.publicity.selectors import final_works
from gongchuang.submissions.enums import WorkState
from gongchuang.submissions.models import Work

from .enums import StarLevel
from .models import CODE_ALPHABET, Certificate, FinalEvent, Score, certificate_number
from .receivers import REVOKING_STATES
from .scoring import dimensions, result_rows, sheet_total
from .selectors import FINAL_STATES, withdrawn_work_ids

SCORE_ACTIONS = ("final.score_create", "final.score_update")


def _name(work) -> str:
    return f"work {work.code or work.pk}"


def verify_final(edition: Edition, report: Report) -> None:
    event = FinalEvent.objects.filter(edition=edition).select_related("edition").first()
    if event is None:
        report.notes.append("no final event: nothing to compare")
        return
    verify_score_sheets(event, report)
    if not event.is_locked:
        report.notes.append("final results not locked yet: results not compared")
        return
    stars = verify_results(event, report)
    if event.is_published:
        verify_certificates(event, stars, report)


def verify_score_sheets(event: FinalEvent, report: Report) -> None:
    sheets = list(Score.objects.filter(session__event=event).select_related("work"))
    dims: dict[int, list] = {}
    audited = audited_as_of(Score, [s.pk for s in sheets], SCORE_ACTIONS)
    for sheet in sheets:
        report.checked += 1
        if sheet.work.category_id not in dims:
            dims[sheet.work.category_id] = dimensions(sheet.work.category_id)
        total, complete = sheet_total(sheet.values, dims[sheet.work.category_id])
        name = f"{_name(sheet.work)}, final score sheet {sheet.pk} ({sheet.kind})"
        report.compare(f"{name}: total", sheet.total, total)
        report.compare(f"{name}: complete", sheet.is_complete, complete)
        event_ = audited.get(str(sheet.pk))
        audited_values = (event_.after or {}).get("values") if event_ else None
        if audited_values != sheet.values:
            report.differ(f"{name}: values recorded {sheet.values}, audited {audited_values}")


RESULT_FIELDS = (
    "group_label",
    "presentation",
    "task",
    "online",
    "combined",
    "spread",
    "rank",
    "star_level",
)


def verify_results(event: FinalEvent, report: Report) -> dict[int, str]:
    """Compare the stored results with recomputed ones; returns the recomputed star levels."""
    results = {r.work_id: r for r in event.results.all()}
    withdrawn = withdrawn_work_ids(event)
    # The works the final is about, as results_compute takes them: on a finalist list the
    # committee confirmed final (past works imported awarded are on none), in a final state.
    finalists = set(
        final_works(event.edition, ListKind.FINALIST)
        .filter(state__in=FINAL_STATES)
        .exclude(pk__in=withdrawn)
        .values_list("pk", flat=True)
    )
    works = list(
        Work.objects.filter(pk__in=set(results) | finalists)
        .exclude(pk__in=withdrawn)
        .select_related("category")
    )
    recomputed = result_rows(event, works)
    for work in works:
        report.checked += 1
        result = results.get(work.pk)
        if result is None:
            report.differ(f"{_name(work)}: finalist without a recorded final result")
            continue
        for field in RESULT_FIELDS:
            report.compare(
                f"{_name(work)}: final {field}", getattr(result, field), recomputed[work.pk][field]
            )
    for work_id in set(results) & withdrawn:
        report.checked += 1
        report.differ(f"work {work_id}: final result recorded for a work withdrawn from the final")
    return {pk: row["star_level"] for pk, row in recomputed.items() if row["star_level"]}


def _expected_certificates(event: FinalEvent, stars: dict[int, str]) -> dict[tuple, dict]:
    specials = defaultdict(list)
    for award in event.special_awards.all():
        specials[award.work_id].append(award)
    works = Work.objects.filter(pk__in=set(stars) | set(specials)).prefetch_related("authorships")
    expected: dict[tuple, dict] = {}
    for work in works:
        if work.state in REVOKING_STATES:
            continue
        awards = []
        if work.pk in stars:
            with translation.override("zh-hans"):
                awards.append((str(StarLevel(stars[work.pk]).label), stars[work.pk], None))
        awards += [(a.name, "", a.pk) for a in specials.get(work.pk, [])]
        for label, level, special_id in awards:
            for authorship in work.authorships.all():
                expected[(work.pk, authorship.user_id, label)] = {
                    "role": authorship.role,
                    "star_level": level,
                    "special_award_id": special_id,
                }
    return expected


def verify_certificates(event: FinalEvent, stars: dict[int, str], report: Report) -> None:
    """Certificates and states against the recomputed star levels ``stars`` and special awards."""
    expected = _expected_certificates(event, stars)
    live = {
        (c.work_id, c.user_id, c.award): c
        for c in Certificate.objects.filter(event=event, revoked_at__isnull=True)
    }
    keys = set(expected) | set(live)
    codes = dict(Work.objects.filter(pk__in={k[0] for k in keys}).values_list("pk", "code"))
    for key in sorted(keys, key=str):
        report.checked += 1
        name = f"work {codes.get(key[0]) or key[0]}, certificate of user {key[1]} for {key[2]}"
        certificate = live.get(key)
        if certificate is None or key not in expected:
            report.compare(f"{name}: issued", certificate is not None, key in expected)
            continue
        for field, wanted in expected[key].items():
            report.compare(f"{name}: {field}", getattr(certificate, field), wanted)
        code = certificate.code
        if len(code) != 10 or set(code) - set(CODE_ALPHABET):
            report.differ(f"{name}: malformed verification code {code!r}")
        number = certificate_number(event.edition.code, certificate.serial)
        if certificate.number != number:
            report.differ(f"{name}: certificate number {certificate.number!r}, expected {number!r}")
    awarded = {key[0] for key in expected}
    finalists = Work.objects.filter(pk__in=event.results.values("work_id"))
    for work in finalists:
        if work.state in REVOKING_STATES:
            continue
        wanted = WorkState.AWARDED if work.pk in awarded else WorkState.PARTICIPATED
        report.compare(f"{_name(work)}: state after the results", work.state, wanted)
