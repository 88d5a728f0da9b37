from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Notification(models.Model):
    """An in-app message in a person's inbox (also sent by e-mail when they have one)."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(_("kind"), max_length=40)
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("message"))
    url = models.CharField(_("link"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["recipient", "read_at"]),
            # The inbox's order (newest first): a page reads its 20 rows, not every message.
            models.Index(fields=["recipient", "created_at", "id"], name="notification_inbox"),
        ]

    def __str__(self) -> str:
        return self.title


class EmailDelivery(models.Model):
    """One e-mail to send; retried by the task queue until sent or attempts run out.

    A worker claims a delivery (``claimed_at``) in one conditional UPDATE before it
    sends, so two workers never send it twice; a claim older than
    ``EMAIL_CLAIM_TIMEOUT_SECONDS`` (its worker died) may be taken over.
    """

    class Status(models.TextChoices):
        PENDING = "pending", pgettext_lazy("e-mail delivery", "Pending")
        SENT = "sent", pgettext_lazy("e-mail delivery", "Sent")
        FAILED = "failed", pgettext_lazy("e-mail delivery", "Failed")

    notification = models.ForeignKey(Notification, null=True, blank=True, on_delete=models.SET_NULL)
    to = models.EmailField()
    subject = models.CharField(max_length=200)
    body = models.TextField()
    status = models.CharField(
        max_length=10, choices=Status.choices, default=Status.PENDING, db_index=True
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    claimed_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("e-mail delivery")
        verbose_name_plural = _("e-mail deliveries")

    def __str__(self) -> str:
        return f"{self.to}: {self.subject}"


class NotificationTemplate(models.Model):
    """The committee's wording of one kind of message (overrides the built-in default).

    ``subject`` and ``body`` use ``{placeholder}`` fields (see ``defaults.TEMPLATES``);
    unknown placeholders are left as written instead of failing the send.
    """

    kind = models.CharField(_("message kind"), max_length=40, unique=True)
    subject = models.CharField(_("subject"), max_length=200)
    body = models.TextField(_("body"))
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("message template")
        verbose_name_plural = _("message templates")
        ordering = ["kind"]

    def __str__(self) -> str:
        return self.kind


class ReminderSent(models.Model):
    """Marks a deadline reminder as sent, so that each person gets each reminder once."""

    window = models.ForeignKey("editions.PhaseWindow", on_delete=models.CASCADE, related_name="+")
    days_before = models.PositiveSmallIntegerField()
    # Part of the marker's identity: a moved deadline gets reminders again.
    closes_at = models.DateTimeField()
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("reminder sent")
        verbose_name_plural = _("reminders sent")
        constraints = [
            models.UniqueConstraint(
                fields=["window", "days_before", "closes_at", "user"], name="reminder_sent_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.window} −{self.days_before}d → {self.user_id}"
