"""Award certificates and the background batches that render them into a ZIP."""

import secrets

from django.conf import settings
from django.db import models, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from gongchuang.editions.models import Edition
from gongchuang.submissions.enums import AuthorRole
from gongchuang.submissions.models import Work

from ..enums import BatchStatus, StarLevel
from .codes import new_code
from .programme import FinalEvent
from .scores import SpecialAward


def certificate_number(edition_code: str, serial: int) -> str:
    return f"{edition_code}-{serial:05d}"


def certificate_path(instance, filename: str) -> str:
    return f"certificates/{instance.event.edition_id}/{instance.code}.pdf"


class Certificate(models.Model):
    """An award certificate of one person (author or advisor) for one work and award."""

    event = models.ForeignKey(FinalEvent, on_delete=models.CASCADE, related_name="certificates")
    work = models.ForeignKey(Work, on_delete=models.PROTECT, related_name="certificates")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="certificates"
    )
    role = models.CharField(_("role"), max_length=16, choices=AuthorRole.choices)
    award = models.CharField(_("award"), max_length=60)
    star_level = models.CharField(max_length=8, choices=StarLevel.choices, blank=True)
    special_award = models.ForeignKey(
        SpecialAward, null=True, blank=True, on_delete=models.PROTECT, related_name="certificates"
    )
    code = models.CharField(_("verification code"), max_length=16, unique=True, default=new_code)
    # The certificate number printed on it (证书编号): the edition's code and a sequence
    # within the edition, e.g. 2026-00017. Stable: given once (save()), never reused.
    serial = models.PositiveIntegerField(_("sequence in the edition"), editable=False)
    number = models.CharField(_("certificate number"), max_length=24, unique=True, editable=False)
    issued_on = models.DateField(_("date of issue"))
    file = models.FileField(upload_to=certificate_path, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("certificate")
        verbose_name_plural = _("certificates")
        ordering = ["work__code", "role", "id"]
        constraints = [
            # A revoked certificate stays (its code says 未找到); a correction re-issues.
            models.UniqueConstraint(
                fields=["event", "work", "user", "award"],
                condition=Q(revoked_at__isnull=True),
                name="certificate_unique",
            )
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.award}"

    def save(self, *args, **kwargs):
        if not self.number:
            with transaction.atomic():
                self._number_allocate()
                super().save(*args, **kwargs)
            return
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("finals:verify", args=[self.code])

    def _number_allocate(self) -> None:
        """The next number of the edition. Here rather than in a service because every
        path that issues a certificate (publication, corrections, special awards, tests)
        must get one; the edition's row lock makes concurrent issuers queue."""
        edition = Edition.objects.select_for_update().get(pk=self.event.edition_id)
        last = (
            Certificate.objects.filter(event__edition=edition).aggregate(last=models.Max("serial"))[
                "last"
            ]
            or 0
        )
        self.serial = last + 1
        self.number = certificate_number(edition.code, self.serial)


def batch_zip_path(instance, filename: str) -> str:
    return f"certificates/zip/{secrets.token_hex(16)}.zip"


class CertificateBatch(models.Model):
    """A background run generating certificate PDFs (all units, or one unit) into a ZIP."""

    event = models.ForeignKey(FinalEvent, on_delete=models.CASCADE, related_name="batches")
    unit = models.ForeignKey(
        "accounts.Unit", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(
        max_length=10, choices=BatchStatus.choices, default=BatchStatus.QUEUED
    )
    total = models.PositiveIntegerField(default=0)
    done = models.PositiveIntegerField(default=0)
    zip_file = models.FileField(upload_to=batch_zip_path, blank=True)
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.event} · {self.unit or '*'} · {self.status}"

    @property
    def percent(self) -> int:
        return 100 if not self.total else int(self.done * 100 / self.total)
