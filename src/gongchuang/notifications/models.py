from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from gongchuang.accounts.enums import PhoneCodePurpose


class Notification(models.Model):
    """An in-app message in a person's inbox (also sent by e-mail when they have one)."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(_("kind"), max_length=40)
    title = models.CharField(pgettext_lazy("document", "title"), max_length=200)
    body = models.TextField(pgettext_lazy("notification", "message"))
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


class Delivery(models.Model):
    """One message in the outbox (e-mail or SMS); retried by the task queue until sent
    or attempts run out.

    A worker claims a delivery (``claimed_at``) in one conditional UPDATE before it
    sends, so two workers never send it twice; a claim older than
    ``EMAIL_CLAIM_TIMEOUT_SECONDS`` (its worker died) may be taken over (outbox.py).
    """

    class Status(models.TextChoices):
        PENDING = "pending", pgettext_lazy("e-mail delivery", "Pending")
        SENT = "sent", pgettext_lazy("e-mail delivery", "Sent")
        FAILED = "failed", pgettext_lazy("e-mail delivery", "Failed")

    status = models.CharField(
        max_length=10, choices=Status.choices, default=Status.PENDING, db_index=True
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    claimed_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        abstract = True


class EmailDelivery(Delivery):
    """One e-mail to send (see Delivery)."""

    notification = models.ForeignKey(Notification, null=True, blank=True, on_delete=models.SET_NULL)
    to = models.EmailField()
    subject = models.CharField(max_length=200)
    body = models.TextField()

    class Meta:
        verbose_name = _("e-mail delivery")
        verbose_name_plural = _("e-mail deliveries")

    def __str__(self) -> str:
        return f"{self.to}: {self.subject}"


class SmsDelivery(Delivery):
    """One text message to send through ``SMS_BACKEND`` (see Delivery).

    Providers send an approved template (``template_code``) filled with ``params``;
    ``text`` is our own rendering, written by the console and file backends. A
    verification code is blanked out of ``params`` and ``text`` once sent (``secret``).
    """

    class Kind(models.TextChoices):
        CODE = "code", pgettext_lazy("sms", "Verification code")
        NOTICE = "notice", pgettext_lazy("sms", "Notice")

    notification = models.ForeignKey(Notification, null=True, blank=True, on_delete=models.SET_NULL)
    kind = models.CharField(max_length=10, choices=Kind.choices)
    phone = models.CharField(max_length=20, db_index=True)
    template_key = models.CharField(max_length=40)
    template_code = models.CharField(max_length=64, blank=True)
    params = models.JSONField(default=dict)
    text = models.TextField()
    secret = models.BooleanField(default=False)
    provider_message_id = models.CharField(max_length=100, blank=True)

    class Meta:
        verbose_name = _("text message delivery")
        verbose_name_plural = _("text message deliveries")

    def __str__(self) -> str:
        return f"{self.phone}: {self.template_key}"


class PhoneCode(models.Model):
    """A 6-digit code sent by SMS to prove a phone number (codes.py).

    Only a keyed hash of the code is kept. At most one open code per phone and
    purpose (the database constraint): sending a new one closes the old one. A row
    is written for every request, also for numbers without an account (no SMS is
    sent then), so that limits and answers are the same either way.
    """

    Purpose = PhoneCodePurpose  # accounts asks for codes by purpose, without importing us

    phone = models.CharField(max_length=20)
    purpose = models.CharField(max_length=10, choices=Purpose.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    code_hash = models.CharField(max_length=128)
    salt = models.CharField(max_length=32)
    ip = models.GenericIPAddressField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    expires_at = models.DateTimeField()
    closed_at = models.DateTimeField(null=True, blank=True)
    delivery = models.ForeignKey(SmsDelivery, null=True, blank=True, on_delete=models.SET_NULL)

    class Meta:
        verbose_name = _("phone verification code")
        verbose_name_plural = _("phone verification codes")
        constraints = [
            models.UniqueConstraint(
                fields=["phone", "purpose"],
                condition=models.Q(closed_at__isnull=True),
                name="one_open_phone_code",
            )
        ]
        indexes = [models.Index(fields=["ip", "created_at"])]

    def __str__(self) -> str:
        return f"{self.purpose} {self.phone[-4:]}"


class NotificationTemplate(models.Model):
    """The committee's wording of one kind of message (overrides the built-in default).

    ``subject`` and ``body`` use ``{placeholder}`` fields (see ``defaults.TEMPLATES``);
    unknown placeholders are left as written instead of failing the send.
    """

    kind = models.CharField(_("message kind"), max_length=40, unique=True)
    subject = models.CharField(_("subject"), max_length=200)
    body = models.TextField(_("body"))
    # The text message of this kind (key notices only; empty: the built-in wording)
    # and the provider's approved template for it (empty: SMS_TEMPLATE_CODES).
    sms_text = models.CharField(_("text message"), max_length=300, blank=True)
    sms_template_code = models.CharField(_("SMS template code"), max_length=64, blank=True)
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
