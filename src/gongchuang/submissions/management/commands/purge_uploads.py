"""Remove what abandoned uploads left behind (run hourly by ./scripts/serve, or from cron)."""

import datetime

from django.core.management.base import BaseCommand

from gongchuang.submissions.resumable import upload_sessions_purge


class Command(BaseCommand):
    help = (
        "Remove unfinished resumable uploads (partial files, S3 multipart uploads) and "
        "Django's temporary upload files untouched for more than --days (default 1)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=1)

    def handle(self, *args, days: int, **options):
        counts = upload_sessions_purge(older_than=datetime.timedelta(days=days))
        self.stdout.write(
            "Removed {sessions} unfinished upload(s), {orphans} orphaned partial(s) and "
            "{temporary} temporary file(s).".format(**counts)
        )
