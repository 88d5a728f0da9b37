"""A person's inbox, for their data export and erasure (``accounts.personal_data``).
Erasing deletes the inbox and the e-mails to their address not sent yet."""

from gongchuang.accounts.personal_data import PersonalDataSource, register_source

from .models import EmailDelivery, Notification


def notifications_of(user) -> list[dict]:
    return [
        {
            "time": n.created_at.isoformat() if n.created_at else None,
            "title": n.title,
            "body": n.body,
        }
        for n in Notification.objects.filter(recipient=user)
    ]


def notifications_erase(user) -> None:
    Notification.objects.filter(recipient=user).delete()
    if user.email:
        EmailDelivery.objects.filter(to__iexact=user.email).exclude(
            status=EmailDelivery.Status.SENT
        ).delete()


register_source(
    PersonalDataSource(
        key="notifications", export=notifications_of, erase=notifications_erase, order=80
    )
)
