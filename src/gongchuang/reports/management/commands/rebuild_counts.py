"""``manage.py rebuild_counts [--edition SLUG ...] [--check]``: recount the dashboard's figures."""

from django.core.management.base import BaseCommand, CommandError

from gongchuang.editions.models import Edition
from gongchuang.reports import counts


class Command(BaseCommand):
    help = (
        "Recount the dashboard's maintained figures (works by unit, category, level and state; "
        "submissions per day; review progress) from scratch. --check only compares."
    )

    def add_arguments(self, parser):
        parser.add_argument("--edition", action="append", default=[], help="edition slug")
        parser.add_argument(
            "--check", action="store_true", help="compare with a recount; change nothing"
        )

    def handle(self, *args, edition, check, **options):
        editions = Edition.objects.order_by("pk")
        if edition:
            editions = editions.filter(slug__in=edition)
            missing = set(edition) - set(editions.values_list("slug", flat=True))
            if missing:
                raise CommandError(f"Unknown edition: {', '.join(sorted(missing))}")
        if check:
            wrong = [(e, counts.differences(e.pk)) for e in editions]
            wrong = [(e, d) for e, d in wrong if d]
            for e, diffs in wrong:
                self.stdout.write(f"{e.slug}: {len(diffs)} figures differ")
                for line in diffs[:20]:
                    self.stdout.write(f"  {line}")
            if wrong:
                raise CommandError("The kept figures differ from a recount.")
            self.stdout.write("The kept figures equal a recount.")
            return
        for e in editions:
            rows = counts.rebuild([e.pk])[e.pk]
            self.stdout.write(f"{e.slug}: {rows} summary rows")
