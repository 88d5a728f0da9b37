"""What students and teachers tell us about themselves."""

import datetime

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gongchuang.common.masking import mask_name, mask_phone

from ..enums import ConsentSource, DocumentType, Gender, Level, TeacherKind
from ..identity import age_on
from .organisation import School, Unit
from .user import User


class StudentProfile(models.Model):
    """What a student tells us at registration; minimised (no document number in clear).

    ``identity_key`` is the document key and ``person_key`` the person key
    (accounts.identity); both hold the student's one-work slot of an edition.
    ``national_id_hash`` is the document key too, cleared when the account is
    anonymised (the slot keys stay, as hashes). Students registered before documents
    were required and without one have no document type and keep their old key
    (name + birth date + school) as ``identity_key``.
    """

    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="student_profile")
    level = models.CharField(_("education level"), max_length=16, choices=Level.choices)
    unit = models.ForeignKey(
        Unit, verbose_name=_("district or university"), on_delete=models.PROTECT
    )
    school = models.ForeignKey(School, verbose_name=_("school"), on_delete=models.PROTECT)
    grade = models.CharField(_("grade"), max_length=20)
    birth_date = models.DateField(_("date of birth"))
    document_type = models.CharField(
        _("identity document"), max_length=20, choices=DocumentType.choices, blank=True
    )
    national_id_hash = models.CharField(max_length=64, blank=True, db_index=True)
    national_id_last4 = models.CharField(
        _("identity document number (last 4)"), max_length=4, blank=True
    )
    identity_key = models.CharField(max_length=64, db_index=True)
    person_key = models.CharField(max_length=64, blank=True, db_index=True)
    voided_at = models.DateTimeField(_("voided at"), null=True, blank=True)
    void_reason = models.CharField(_("reason for voiding"), max_length=200, blank=True)
    gender = models.CharField(_("gender"), max_length=8, choices=Gender.choices, blank=True)
    guardian_name = models.CharField(_("guardian's name"), max_length=60, blank=True)
    guardian_relation = models.CharField(_("guardian's relation"), max_length=20, blank=True)
    guardian_phone = models.CharField(_("guardian's phone"), max_length=11, blank=True)
    guardian_consent_at = models.DateTimeField(_("guardian consent time"), null=True, blank=True)
    guardian_consent_version = models.CharField(max_length=20, blank=True)
    guardian_sms = models.BooleanField(_("key notices by SMS to the guardian too"), default=False)
    guardian_phone_verified_at = models.DateTimeField(
        _("guardian's phone verified at"), null=True, blank=True
    )
    # Online (the guardian ticked the box at registration) or on paper, collected by the
    # school that imported the roster (accounts.roster); empty: no consent recorded.
    guardian_consent_source = models.CharField(
        _("guardian consent collected"), max_length=16, choices=ConsentSource.choices, blank=True
    )

    class Meta:
        verbose_name = _("student profile")
        verbose_name_plural = _("student profiles")

    def __str__(self) -> str:
        return str(self.user)

    def save(self, *args, **kwargs):
        # A guardian's number changed since it was read (a roster, a form) is not proven:
        # no SMS goes to it until the student proves it again (accounts/phone.py).
        loaded = getattr(self, "_loaded_guardian_phone", None)
        if loaded is not None and loaded != self.guardian_phone:
            self.guardian_phone_verified_at = None
            fields = kwargs.get("update_fields")
            if fields is not None and "guardian_phone" in fields:
                kwargs["update_fields"] = {*fields, "guardian_phone_verified_at"}
        super().save(*args, **kwargs)
        self._loaded_guardian_phone = self.guardian_phone

    @classmethod
    def from_db(cls, db, field_names, values):
        profile = super().from_db(db, field_names, values)
        profile._loaded_guardian_phone = profile.__dict__.get("guardian_phone")
        return profile

    def age(self, day: datetime.date | None = None) -> int:
        return age_on(self.birth_date, day or timezone.localdate())

    @property
    def is_minor(self) -> bool:
        return self.age() < 18

    @property
    def masked_guardian_phone(self) -> str:
        return mask_phone(self.guardian_phone)

    @property
    def guardian_sms_active(self) -> bool:
        """Key notices go to the guardian's number too (chosen, and the number proven)."""
        return bool(self.guardian_sms and self.guardian_phone and self.guardian_phone_verified_at)

    @property
    def masked_name(self) -> str:
        return mask_name(self.user.real_name)


class TeacherProfile(models.Model):
    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="teacher_profile")
    kind = models.CharField(_("teacher type"), max_length=20, choices=TeacherKind.choices)
    unit = models.ForeignKey(
        Unit, verbose_name=_("district or university"), on_delete=models.PROTECT
    )
    school = models.ForeignKey(
        School, verbose_name=_("school or institution"), on_delete=models.PROTECT
    )
    subject = models.CharField(_("subject taught"), max_length=60, blank=True)

    class Meta:
        verbose_name = _("teacher profile")
        verbose_name_plural = _("teacher profiles")

    def __str__(self) -> str:
        return str(self.user)


def consent_version() -> str:
    return settings.GONGCHUANG["CONSENT_TEXT_VERSION"]
