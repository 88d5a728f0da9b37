"""Run the automatic pre-checks again for works of an edition (e.g. after an upgrade)."""

from django.core.management.base import BaseCommand, CommandError

from gongchuang.editions.models import Edition
from gongchuang.submissions.enums import WorkState
from gongchuang.submissions.models import Work

from ...prechecks import run_prechecks


class Command(BaseCommand):
    help = "Re-run the automatic pre-checks of submitted works (in this process, oldest first)."

    def add_arguments(self, parser):
        parser.add_argument("--edition", help="edition slug (default: the current edition)")

    def handle(self, *args, **options):
        qs = Edition.objects.all()
        edition = qs.filter(slug=options["edition"]).first() if options["edition"] else qs.current()
        if edition is None:
            raise CommandError("No such edition.")
        works = Work.objects.filter(edition=edition).exclude(
            state__in=[WorkState.DRAFT, WorkState.WITHDRAWN]
        )
        count = 0
        for pk in works.order_by("submitted_at", "pk").values_list("pk", flat=True):
            run_prechecks(pk)
            count += 1
        self.stdout.write(f"Checked {count} work(s) of {edition.slug}.")
