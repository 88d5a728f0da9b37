from django.core.management.base import BaseCommand

from gongchuang.notifications.reminders import send_deadline_reminders


class Command(BaseCommand):
    help = "Send the due deadline reminders (7 days and 1 day before each window closes), once."

    def handle(self, *args, **options):
        count = send_deadline_reminders()
        self.stdout.write(f"{count} reminder(s) sent")
