"""Writes about experts: accounts, profiles, conflicts of interest, the confidentiality pledge."""

from __future__ import annotations

import secrets

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gongchuang.accounts.enums import Role
from gongchuang.accounts.models import School, Unit, User
from gongchuang.accounts.services import membership_grant
from gongchuang.common.audit import audit_record
from gongchuang.common.errors import DomainError
from gongchuang.editions.models import Edition
from gongchuang.editions.rules import ensure_edition_writable
from gongchuang.submissions.models import Work

from .. import counts
from ..enums import PLEDGE_VERSION
from ..models import Assignment, ConfidentialityPledge, ConflictDeclaration, ExpertProfile


@transaction.atomic
def expert_upsert(
    *,
    real_name: str,
    mobile: str,
    email: str,
    organisation: str = "",
    unit: Unit | None = None,
    school: School | None = None,
    expertise: str = "",
    categories: list[str] | None = None,
    levels: list[str] | None = None,
    max_load: int = 30,
    actor,
) -> User:
    """Create (or update, matched by mobile number) an expert account and profile.

    New accounts get an unusable password and ``user.created_now = True``: the caller
    lets them in with ``accounts.onboarding.onboard`` (an invitation to set a password).
    """
    user = User.objects.filter(mobile=mobile).first() if mobile else None
    if user is None and email:
        user = User.objects.filter(email__iexact=email).first()
    if user is None:
        user = User(
            username=mobile or f"expert-{secrets.token_hex(4)}",
            real_name=real_name,
            mobile=mobile,
            email=email,
        )
        user.set_unusable_password()
        user.save()
        user.created_now = True
        audit_record(actor=actor, action="expert.create", obj=user, after={"name": real_name})
    membership_grant(user=user, role=Role.EXPERT, actor=actor)
    fields = {
        "organisation": organisation,
        "unit": unit,
        "school": school,
        "expertise": expertise,
        "categories": list(categories or []),
        "levels": list(levels or []),
        "max_load": max_load,
    }
    profile, created = ExpertProfile.objects.update_or_create(user=user, defaults=fields)
    audit_record(
        actor=actor,
        action="expert.profile_create" if created else "expert.profile_update",
        obj=profile,
        after={
            "organisation": organisation,
            "unit": unit.pk if unit else None,
            "school": school.pk if school else None,
            "expertise": expertise,
            "categories": fields["categories"],
            "levels": fields["levels"],
            "max_load": max_load,
        },
    )
    return user


@transaction.atomic
def conflict_declare(
    *,
    expert: User,
    school: School | None = None,
    unit: Unit | None = None,
    work: Work | None = None,
    reason: str = "",
    actor,
) -> ConflictDeclaration:
    """Record a conflict of interest; unreviewed, unpinned assignments it hits are removed."""
    if sum(x is not None for x in (school, unit, work)) != 1:
        raise DomainError(_("Choose exactly one school, unit or work."), code="conflict_target")
    if work is not None:
        ensure_edition_writable(work.edition)
    declaration = ConflictDeclaration.objects.create(
        expert=expert, school=school, unit=unit, work=work, reason=reason
    )
    audit_record(
        actor=actor,
        action="conflict.declare",
        obj=declaration,
        after={"school": school and school.pk, "unit": unit and unit.pk, "work": work and work.pk},
        reason=reason,
    )
    # Archived editions' assignments stay as they were (a school or unit conflict spans editions).
    hit = Assignment.objects.filter(
        expert=expert, forbidden=False, review__isnull=True, jury__edition__archived_at__isnull=True
    )
    if work is not None:
        hit = hit.filter(work=work)
    elif school is not None:
        hit = hit.filter(work__school=school)
    else:
        hit = hit.filter(work__unit=unit)
    with counts.tracked(counts.pairs_of(hit.filter(pinned=False))):
        hit.filter(pinned=False).delete()
    return declaration


@transaction.atomic
def pledge_accept(*, expert: User, edition: Edition) -> ConfidentialityPledge:
    ensure_edition_writable(edition)
    pledge, created = ConfidentialityPledge.objects.get_or_create(
        expert=expert,
        edition=edition,
        text_version=PLEDGE_VERSION,
        defaults={"accepted_at": timezone.now()},
    )
    if created:
        audit_record(
            actor=expert,
            action="pledge.accept",
            obj=pledge,
            after={"version": PLEDGE_VERSION},
            edition_id=edition.pk,
        )
    return pledge
