"""Notifying people: an inbox message now, an e-mail through the task queue after commit."""

from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone

from .models import EmailDelivery, Notification


def notify(
    *, recipients: Iterable, kind: str, title: str, body: str, url: str = ""
) -> list[Notification]:
    """Put a message in each recipient's inbox and queue an e-mail to those with an address.

    The e-mail is sent by a background task after the surrounding transaction
    commits; a failing mail server never blocks or undoes the action.
    """
    from .tasks import send_email_delivery

    notes = []
    for user in {u.pk: u for u in recipients if u is not None}.values():
        note = Notification.objects.create(
            recipient=user, kind=kind, title=str(title), body=str(body), url=url
        )
        notes.append(note)
        if user.email and not user.is_anonymised:
            delivery = EmailDelivery.objects.create(
                notification=note,
                to=user.email,
                subject=f"【共创平台】{title}",
                body=_email_body(body, url),
            )
            transaction.on_commit(lambda pk=delivery.pk: send_email_delivery.enqueue(pk))
    return notes


def _email_body(body: str, url: str) -> str:
    from django.conf import settings

    link = f"\n\n{settings.SITE_URL}{url}" if url else ""
    return f"{body}{link}\n\n—— 北京青少年人工智能应用实践活动 · 共创平台"


def notifications_mark_read(*, user, ids: Iterable[int] | None = None) -> int:
    qs = Notification.objects.filter(recipient=user, read_at__isnull=True)
    if ids is not None:
        qs = qs.filter(pk__in=list(ids))
    return qs.update(read_at=timezone.now())


def unread_count(user) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()
