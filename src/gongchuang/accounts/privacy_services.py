"""A person's own data: download everything we hold (JSON + files) and erase it on request.

The account's own data is here; what other apps hold (works, objections, messages) comes
from the sources they register in :mod:`.personal_data`.
"""

import io
import json
import zipfile

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from gongchuang.common.audit import audit_record

from .models import User
from .personal_data import sources

ANONYMISED_NAME = "已注销用户"


def _iso(value) -> str | None:
    return value.isoformat() if value else None


def personal_data(user: User) -> dict:
    """Everything the platform holds about ``user``, as plain JSON-ready data."""
    data: dict = {
        "account": {
            "username": user.username,
            "real_name": user.real_name,
            "email": user.email,
            "mobile": user.mobile,
            "date_joined": _iso(user.date_joined),
            "last_login": _iso(user.last_login),
        },
        "roles": [
            {"role": m.role, "unit": str(m.unit or ""), "school": str(m.school or "")}
            for m in user.memberships.select_related("unit", "school")
        ],
    }
    profile = getattr(user, "student_profile", None)
    if profile is not None:
        data["student_profile"] = {
            "level": profile.level,
            "unit": profile.unit.name,
            "school": profile.school.name,
            "grade": profile.grade,
            "birth_date": _iso(profile.birth_date),
            "document_type": profile.document_type,
            "national_id_last4": profile.national_id_last4,
            "guardian_name": profile.guardian_name,
            "guardian_phone": profile.guardian_phone,
            "guardian_sms": profile.guardian_sms,
            "guardian_phone_verified_at": _iso(profile.guardian_phone_verified_at),
            "guardian_consent_at": _iso(profile.guardian_consent_at),
            "guardian_consent_version": profile.guardian_consent_version,
        }
    teacher = getattr(user, "teacher_profile", None)
    if teacher is not None:
        data["teacher_profile"] = {
            "kind": teacher.kind,
            "unit": teacher.unit.name,
            "school": teacher.school.name,
            "subject": teacher.subject,
        }
    for source in sources():
        data[source.key] = source.export(user)
    return data


def personal_data_zip(*, user: User) -> bytes:
    """A ZIP with ``data.json`` and the files of the person's works (audited)."""
    data = personal_data(user)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("data.json", json.dumps(data, ensure_ascii=False, indent=2))
        for source in sources():
            for path, file in source.files(user) if source.files else ():
                try:
                    with file.open("rb") as handle:
                        archive.writestr(path, handle.read())
                except FileNotFoundError:
                    archive.writestr(path + ".missing.txt", "文件已不存在")
    with transaction.atomic():
        audit_record(actor=user, action="privacy.export", obj=user)
    return buffer.getvalue()


@transaction.atomic
def account_anonymise(*, user: User, actor) -> User:
    """Erase ``user``'s personal data, keeping anonymised records needed for results.

    The account is closed (no login); works, authorships, scores and audit events
    stay (results and the one-work rule need them) but no longer name the person.
    What other apps hold goes by their registered ``erase`` (inbox messages and unsent
    e-mails are deleted, objections lose their contact).
    """
    locked = get_user_model().objects.select_for_update().get(pk=user.pk)
    for source in sources():
        if source.erase:
            source.erase(locked)
    locked.real_name = ANONYMISED_NAME
    locked.first_name = locked.last_name = ""
    locked.email = ""
    locked.mobile = ""
    locked.username = f"deleted-{locked.pk}"
    locked.is_active = False
    locked.is_anonymised = True
    locked.set_unusable_password()
    locked.save()
    profile = getattr(locked, "student_profile", None)
    if profile is not None:
        profile.guardian_name = ""
        profile.guardian_phone = ""
        profile.guardian_sms = False  # (saving a changed number clears its proof too)
        profile.national_id_last4 = ""
        profile.national_id_hash = ""
        # Keep the year only: enough for age-group statistics.
        profile.birth_date = profile.birth_date.replace(month=1, day=1)
        profile.save()
    locked.password_history.all().delete()  # hashes of old passwords are personal data too
    audit_record(
        actor=actor,
        action="privacy.anonymise",
        obj=locked,
        after={"anonymised_at": timezone.now().isoformat()},
    )
    return locked


def students_matching(query: str, *, limit: int = 20):
    """Students whose username is ``query`` or who author the work coded ``query`` (exact)."""
    if "\x00" in query:  # no username or code has one, and PostgreSQL refuses it
        return User.objects.none()
    return (
        User.objects.filter(student_profile__isnull=False, is_anonymised=False)
        .filter(Q(username__iexact=query) | Q(authorships__work__code__iexact=query))
        .select_related("student_profile__school", "student_profile__unit")
        .distinct()[:limit]
    )
