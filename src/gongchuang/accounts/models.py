"""People, organising units, schools and role memberships."""

import datetime
from functools import cached_property

from django.conf import settings
from django.contrib.auth.hashers import is_password_usable
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gongchuang.common.masking import mask_name, mask_phone

from .enums import (
    STAFF_ROLES,
    ConsentSource,
    DocumentType,
    Gender,
    Level,
    Role,
    SchoolKind,
    SchoolType,
    TeacherKind,
    UnitKind,
)
from .identity import age_on
from .validators import mobile_validator


class Unit(models.Model):
    """An organising unit (组织单位): a district or a university."""

    code = models.CharField(_("code"), max_length=16, unique=True)
    name = models.CharField(_("name"), max_length=100, unique=True)
    kind = models.CharField(_("kind"), max_length=16, choices=UnitKind.choices)
    order = models.PositiveIntegerField(_("order"), default=100)

    class Meta:
        verbose_name = _("organising unit")
        verbose_name_plural = _("organising units")
        ordering = ["order", "code"]

    def __str__(self) -> str:
        return self.name


class School(models.Model):
    """A school, university or off-campus institution under a unit."""

    unit = models.ForeignKey(
        Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="schools"
    )
    name = models.CharField(_("name"), max_length=150)
    kind = models.CharField(
        _("kind"), max_length=16, choices=SchoolKind.choices, default=SchoolKind.SCHOOL
    )
    # The district's own code for the school (often the 学校标识码); optional, unique per unit.
    code = models.CharField(_("school code"), max_length=32, blank=True)
    school_type = models.CharField(
        _("school type"), max_length=16, choices=SchoolType.choices, blank=True
    )
    levels = models.JSONField(_("levels taught"), default=list, blank=True)  # Level values
    # A school is deactivated, never deleted (people and works keep pointing at it);
    # registration offers active schools only.
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("school")
        verbose_name_plural = _("schools")
        ordering = ["unit__order", "name"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "name"], name="school_unique_name_per_unit"),
            models.UniqueConstraint(
                fields=["unit", "code"], condition=~Q(code=""), name="school_unique_code_per_unit"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_levels_display(self) -> str:
        labels = dict(Level.choices)
        return "、".join(str(labels[v]) for v in self.levels if v in labels)


class User(AbstractUser):
    """A person. Logs in with username, e-mail or mobile number."""

    real_name = models.CharField(_("real name"), max_length=60, blank=True)
    mobile = models.CharField(
        _("mobile number"), max_length=11, blank=True, validators=[mobile_validator]
    )
    # When the person last proved the number with an SMS code (notifications/sms/codes.py);
    # empty: never, or the number changed since. Only verified numbers get key notices by SMS.
    mobile_verified_at = models.DateTimeField(_("mobile number verified at"), null=True, blank=True)
    is_anonymised = models.BooleanField(_("anonymised"), default=False)
    # Set on every password change (see save()); staff must change it after
    # PASSWORD_MAX_AGE_DAYS (accounts/passwords.py).
    password_changed_at = models.DateTimeField(_("password last changed"), default=timezone.now)
    # The interface language the person chose with the language switch; empty: never chosen
    # (Chinese). Signing in applies it (accounts/signals.py); the browser's Accept-Language
    # never decides (common.middleware.LanguageMiddleware).
    language = models.CharField(
        _("interface language"), max_length=10, blank=True, choices=settings.LANGUAGES
    )
    # Set with a one-time password given by someone else (accounts/onboarding): the person
    # must choose their own before anything else (MustChangePasswordMiddleware);
    # set_password() clears it.
    must_change_password = models.BooleanField(_("must change password"), default=False)

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            models.UniqueConstraint(
                Lower("email"), condition=~Q(email=""), name="user_unique_email"
            ),
            models.UniqueConstraint(
                fields=["mobile"], condition=~Q(mobile=""), name="user_unique_mobile"
            ),
        ]

    def __str__(self) -> str:
        return self.display_name

    @classmethod
    def from_db(cls, db, field_names, values):
        user = super().from_db(db, field_names, values)
        # What was verified: a number changed afterwards (admin, a form) is not (save()).
        user._loaded_mobile = user.__dict__.get("mobile")
        user._loaded_mobile_verified_at = user.__dict__.get("mobile_verified_at")
        return user

    def save(self, *args, **kwargs):
        self._unverify_changed_mobile(kwargs)
        # ``_password`` is set by set_password() (self-service, reset, admin, commands)
        # and cleared by Django for mere hash upgrades at login, which are no change.
        # create_user() assigns the hash directly, hence the check for new accounts.
        changed = self._password is not None
        created = self._state.adding and bool(self.password) and self.has_usable_password()
        previous = ""
        if changed:
            self.password_changed_at = timezone.now()
            update_fields = kwargs.get("update_fields")
            if update_fields is not None and "password" in update_fields:
                kwargs["update_fields"] = {
                    *update_fields,
                    "password_changed_at",
                    "must_change_password",
                }
            if self.pk and not self.password_history.exists():
                # An account from before the history (or made in bulk): keep its old hash too.
                previous = User.objects.filter(pk=self.pk).values_list("password", flat=True)[0]
        super().save(*args, **kwargs)
        if changed or created:
            PasswordHistory.objects.record(user=self, previous=previous)

    def set_password(self, raw_password):
        """A password the person chose (or any new one) ends a one-time password's duty
        to change it; ``onboarding.give_one_time_password`` sets the flag again after."""
        super().set_password(raw_password)
        self.must_change_password = False

    def _unverify_changed_mobile(self, save_kwargs: dict) -> None:
        """A number changed since it was read (admin, a form) is no longer verified,
        unless the change sets ``mobile_verified_at`` itself (accounts/phone.py)."""
        loaded = getattr(self, "_loaded_mobile", None)
        verified_then = getattr(self, "_loaded_mobile_verified_at", None)
        changed = loaded is not None and self.mobile != loaded
        if changed and self.mobile_verified_at == verified_then:
            self.mobile_verified_at = None
            update_fields = save_kwargs.get("update_fields")
            if update_fields is not None and "mobile" in update_fields:
                save_kwargs["update_fields"] = {*update_fields, "mobile_verified_at"}
        self._loaded_mobile, self._loaded_mobile_verified_at = self.mobile, self.mobile_verified_at

    @property
    def display_name(self) -> str:
        return self.real_name or self.get_username()

    @cached_property
    def role_memberships(self) -> list["Membership"]:
        """This person's memberships, read once per user object (i.e. once per request).

        ``roles``, ``unit_ids_for`` and ``school_ids_for`` all derive from this list, so a
        page asking all three costs one query, not three.
        """
        return list(self.memberships.all())

    @cached_property
    def roles(self) -> set[str]:
        """Codes of the roles this person holds (a person may hold several)."""
        if not self.is_authenticated:
            return set()
        codes = {m.role for m in self.role_memberships}
        if self.is_superuser:
            codes.add(Role.COMMITTEE)
        return codes

    def has_role(self, role: str) -> bool:
        return role in self.roles

    @property
    def holds_staff_role(self) -> bool:
        """Staff of the competition (committee, organizers, coordinators, experts, admins)."""
        return self.is_staff or bool(self.roles & STAFF_ROLES)

    @property
    def is_committee(self) -> bool:
        return Role.COMMITTEE in self.roles

    def unit_ids_for(self, role: str) -> set[int]:
        return {m.unit_id for m in self.role_memberships if m.role == role and m.unit_id}

    def school_ids_for(self, role: str) -> set[int]:
        return {m.school_id for m in self.role_memberships if m.role == role and m.school_id}


class PasswordHistoryManager(models.Manager):
    def record(self, *, user: User, previous: str = "") -> None:
        """Remember ``user``'s current hash (and ``previous``), keeping PASSWORD_HISTORY_COUNT."""
        if previous and is_password_usable(previous):
            self.create(user=user, password=previous)
        self.create(user=user, password=user.password)
        stale = self.filter(user=user).values_list("pk", flat=True)[
            settings.PASSWORD_HISTORY_COUNT :
        ]
        self.filter(pk__in=list(stale)).delete()


class PasswordHistory(models.Model):
    """Hashes of a person's recent passwords, so that they are not used again (等保).

    Checked by accounts.passwords.PasswordHistoryValidator; written by User.save().
    """

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="password_history")
    password = models.CharField(max_length=128)
    created_at = models.DateTimeField(default=timezone.now)

    objects = PasswordHistoryManager()

    class Meta:
        verbose_name = _("previous password")
        verbose_name_plural = _("previous passwords")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.user} · {self.created_at:%Y-%m-%d}"


class Membership(models.Model):
    """A role held by a person, scoped to a unit or a school where the role needs one."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(_("role"), max_length=32, choices=Role.choices)
    unit = models.ForeignKey(
        Unit, verbose_name=_("unit"), null=True, blank=True, on_delete=models.PROTECT
    )
    school = models.ForeignKey(
        School, verbose_name=_("school"), null=True, blank=True, on_delete=models.PROTECT
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("role membership")
        verbose_name_plural = _("role memberships")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "role", "unit", "school"],
                name="membership_unique",
            ),
        ]

    def __str__(self) -> str:
        scope = self.school or self.unit or ""
        return f"{self.user} · {self.get_role_display()} {scope}".strip()


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


class Invitation(models.Model):
    """A single-use link that lets a person whose account someone else created set a
    password (accounts/onboarding/invitations.py).

    Only a hash of the link's token is kept. A new invitation to the same person revokes
    the open ones; accepting one closes it (``accepted_at``). The newest row of a person
    gives the status the staff lists show: sent, accepted or expired.
    """

    class Status(models.TextChoices):
        SENT = "sent", _("Invitation sent")
        ACCEPTED = "accepted", _("Invitation accepted")
        EXPIRED = "expired", _("Invitation expired")
        REVOKED = "revoked", _("Invitation replaced")

    class Purpose(models.TextChoices):
        INVITE = "invite", _("First password of a new account")
        RESET = "reset", _("New password, sent by staff helping")

    user = models.ForeignKey(
        User, verbose_name=_("user"), on_delete=models.CASCADE, related_name="invitations"
    )
    purpose = models.CharField(
        _("purpose"), max_length=8, choices=Purpose.choices, default=Purpose.INVITE
    )
    created_by = models.ForeignKey(
        User,
        verbose_name=_("invited by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("sent at"), default=timezone.now)
    expires_at = models.DateTimeField(_("expires at"))
    token_hash = models.CharField(max_length=64, unique=True)
    # "email" and/or "sms": where the link was sent.
    channels = models.JSONField(_("channels"), default=list)
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("replaced at"), null=True, blank=True)

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["user", "created_at"], name="invitation_user_newest")]

    def __str__(self) -> str:
        return f"{self.user} {self.created_at:%Y-%m-%d}"

    def status(self, now: datetime.datetime | None = None) -> str:
        if self.accepted_at is not None:
            return self.Status.ACCEPTED
        if self.revoked_at is not None:
            return self.Status.REVOKED
        if self.expires_at <= (now or timezone.now()):
            return self.Status.EXPIRED
        return self.Status.SENT

    def get_status_display(self) -> str:
        return str(self.Status(self.status()).label)


def consent_version() -> str:
    return settings.GONGCHUANG["CONSENT_TEXT_VERSION"]
