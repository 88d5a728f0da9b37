from django.core.management.base import BaseCommand

from gongchuang.notifications.tasks import retry_pending_emails, retry_pending_sms


class Command(BaseCommand):
    help = (
        "Queue every pending e-mail and text message again "
        "(e.g. after the mail server or SMS provider came back)."
    )

    def handle(self, *args, **options):
        self.stdout.write(f"{retry_pending_emails()} e-mail(s) queued")
        self.stdout.write(f"{retry_pending_sms()} text message(s) queued")
