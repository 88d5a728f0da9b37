"""The works a person is on, for their data export and for merging a duplicate account
(``accounts.personal_data``), and who may see a minor's data in full for sharing a work
with them (co-authors and advisors).

Erasing an account keeps its works and authorships: results and the one-work rule need
them, and they stop naming the person once the account is anonymised.
"""

from django.db import IntegrityError
from django.utils.translation import gettext as _

from gongchuang.accounts.personal_data import (
    PersonalDataSource,
    register_relation,
    register_source,
)
from gongchuang.common.errors import DomainError

from .models import Authorship, Work


def _iso(value) -> str | None:
    return value.isoformat() if value else None


def _authorships(user):
    return user.authorships.select_related("work__category", "work__edition").prefetch_related(
        "work__files"
    )


def _file_path(work, file) -> str:
    return f"works/{work.code or f'draft-{work.pk}'}/{file.pk}-{file.original_name}"


def _work_data(authorship) -> dict:
    work = authorship.work
    return {
        "edition": work.edition.name,
        "code": work.code,
        "title": work.title,
        "category": work.category.name,
        "role": authorship.role,
        "state": work.state,
        "state_reason": work.state_reason,
        "abstract": work.abstract,
        "keywords": work.keywords,
        "ai_tool_list": work.ai_tool_list,
        "ai_tools": work.ai_tools,
        "ai_generated": work.ai_generated,
        "ai_contribution": work.ai_contribution,
        "ai_process": work.ai_process,
        "submitted_at": _iso(work.submitted_at),
        "showcase_consent": work.showcase_consent,
        "showcase_consent_at": _iso(work.showcase_consent_at),
        "files": [
            {
                "name": f.original_name,
                "size": f.size,
                "sha256": f.sha256,
                "path": _file_path(work, f),
            }
            for f in work.files.all()
        ],
    }


def works_of(user) -> list[dict]:
    return [_work_data(a) for a in _authorships(user)]


def work_files_of(user):
    for authorship in _authorships(user):
        for f in authorship.work.files.all():
            yield _file_path(authorship.work, f), f.file


@register_relation
def shares_a_work(viewer, student) -> bool:
    return Authorship.objects.filter(user=viewer, work__authorships__user=student).exists()


def works_merge(dup, kept) -> dict[str, int]:
    """Move ``dup``'s authorships and the works they created to ``kept`` (a student merge).

    Refused when both accounts are on one work, or both hold the one-work slot of the
    same edition: a merge never gives one child two works.
    """
    mine = list(Authorship.objects.select_for_update().filter(user=dup))
    theirs = list(Authorship.objects.select_for_update().filter(user=kept))
    shared = {a.work_id for a in mine} & {a.work_id for a in theirs}
    if shared:
        raise DomainError(
            _("Both accounts are on the same work; remove one of them from it first."),
            code="same_work",
        )
    kept_slots = {a.edition_id for a in theirs if a.holds_slot}
    if any(a.holds_slot and a.edition_id in kept_slots for a in mine):
        raise DomainError(
            _(
                "Both accounts hold a submitted work in the same edition. Withdraw or "
                "disqualify one of the works first; a merge never gives one student two works."
            ),
            code="two_slots",
        )
    profile = kept.student_profile
    try:
        for authorship in mine:
            authorship.user = kept
            if authorship.identity_key:  # an author's slot is held by the kept account's keys
                authorship.identity_key = profile.identity_key
                authorship.person_key = profile.person_key
            authorship.save(update_fields=["user", "identity_key", "person_key"])
    except IntegrityError as exc:  # a third account of this person holds the slot
        raise DomainError(
            _("Another account of this student holds a submitted work in that edition."),
            code="two_slots",
        ) from exc
    works = Work.objects.filter(created_by=dup).update(created_by=kept)
    return {"authorships": len(mine), "works": works}


register_source(
    PersonalDataSource(
        key="works", export=works_of, files=work_files_of, merge=works_merge, order=20
    )
)
