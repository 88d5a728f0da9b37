from django.core.management.base import BaseCommand

from gongchuang.notifications.tasks import retry_pending_emails


class Command(BaseCommand):
    help = "Queue every pending e-mail again (e.g. after the mail server came back)."

    def handle(self, *args, **options):
        self.stdout.write(f"{retry_pending_emails()} e-mail(s) queued")
