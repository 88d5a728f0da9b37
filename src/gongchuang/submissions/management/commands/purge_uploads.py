"""Delete resumable uploads nobody finished (run daily, e.g. from cron)."""

import datetime

from django.core.management.base import BaseCommand

from gongchuang.submissions.resumable import upload_sessions_purge


class Command(BaseCommand):
    help = "Remove unfinished resumable uploads older than --days (default 2) and their files."

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=2)

    def handle(self, *args, days: int, **options):
        count = upload_sessions_purge(older_than=datetime.timedelta(days=days))
        self.stdout.write(f"Removed {count} unfinished upload(s).")
