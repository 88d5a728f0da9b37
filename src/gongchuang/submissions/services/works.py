"""Drafts: creating a work and changing the fields its authors edit."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gongchuang.accounts.models import User
from gongchuang.common.audit import audit_record
from gongchuang.common.errors import DomainError
from gongchuang.editions.enums import Track
from gongchuang.editions.models import Category, Edition
from gongchuang.editions.rules import ensure_edition_writable

from ..ai_use import check_tool_list
from ..enums import AuthorRole
from ..models import Authorship, Work
from ..slots import profile_keys, slot_must_be_free
from .editing import locked_editable, window_must_be_open
from .identity import profile_for

# The fields a work's authors edit, in the order the form shows them.
EDITABLE_FIELDS = (
    "title",
    "abstract",
    "keywords",
    "link",
    "ai_tool_list",
    "ai_tools",
    "ai_generated",
    "ai_contribution",
    "ai_process",
    "originality_pledge",
    "showcase_consent",
    # teaching cases only (the form shows them for the teaching-case category)
    "case_licence",
    "case_level",
    "case_subject",
    "ai_topic",
)
CASE_FIELDS = ("case_licence", "case_level", "case_subject", "ai_topic")
ABSTRACT_MAX_CHARS = 500


def _check_fields(fields: dict) -> None:
    unknown = set(fields).difference(EDITABLE_FIELDS)
    if unknown:
        raise ValueError(f"not editable: {sorted(unknown)}")


def _check_abstract(fields: dict) -> None:
    if len(fields.get("abstract") or "") > ABSTRACT_MAX_CHARS:
        raise DomainError(
            _("The abstract may have at most %(n)d characters.") % {"n": ABSTRACT_MAX_CHARS},
            code="abstract_too_long",
        )


@transaction.atomic
def work_create(*, actor: User, edition: Edition, category: Category, **fields) -> Work:
    """Create a draft with ``actor`` as its first (accepted) author.

    Refused in an archived edition, outside the submission window and for a category
    the actor's track or level does not allow. ``fields`` are among :data:`EDITABLE_FIELDS`.
    """
    _check_fields(fields)
    if category.edition_id != edition.pk:
        raise ValueError("category of another edition")
    ensure_edition_writable(edition)
    window_must_be_open(edition)
    _check_abstract(fields)
    check_tool_list(fields)
    profile = profile_for(actor, category)
    document, person = profile_keys(profile)
    slot_must_be_free(edition_id=edition.pk, keys=[(document, person)])
    work = Work.objects.create(
        edition=edition,
        category=category,
        level="" if category.track == Track.TEACHER else profile.level,
        unit_id=profile.unit_id,
        school_id=profile.school_id,
        created_by=actor,
        showcase_consent_at=timezone.now() if fields.get("showcase_consent") else None,
        **fields,
    )
    Authorship.objects.create(
        work=work,
        edition=edition,
        user=actor,
        role=AuthorRole.AUTHOR,
        order=0,
        identity_key=document,
        person_key=person,
        accepted_at=timezone.now(),
    )
    audit_record(
        actor=actor,
        action="work.create",
        obj=work,
        after={"category": category.code, "title": work.title},
    )
    return work


@transaction.atomic
def work_update(*, work: Work, actor: User, **fields) -> Work:
    """Change the editable fields of a draft or returned work (audited: names of changed fields)."""
    _check_fields(fields)
    locked = locked_editable(work, actor)
    _check_abstract(fields)
    check_tool_list(fields)
    changed = [name for name, value in fields.items() if getattr(locked, name) != value]
    for name in changed:
        setattr(locked, name, fields[name])
    if "showcase_consent" in changed:
        locked.showcase_consent_at = timezone.now() if locked.showcase_consent else None
        changed.append("showcase_consent_at")
    if changed:
        locked.save(update_fields=[*changed, "updated_at"])
        audit_record(actor=actor, action="work.update", obj=locked, after={"fields": changed})
    return locked
