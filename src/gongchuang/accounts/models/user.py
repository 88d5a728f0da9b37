"""People, their password history and role memberships."""

from functools import cached_property

from django.conf import settings
from django.contrib.auth.hashers import is_password_usable
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..enums import STAFF_ROLES, Role
from ..validators import mobile_validator
from .organisation import School, Unit


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
        # The people of one role in id order, a page at a time (the jury page's candidate
        # experts): without it a page of experts walks every user's membership.
        indexes = [models.Index(fields=["role", "user"], name="membership_role_user")]

    def __str__(self) -> str:
        scope = self.school or self.unit or ""
        return f"{self.user} · {self.get_role_display()} {scope}".strip()
