"""Fill the near-duplicate index with works checked before it existed, or imported."""

from django.core.management.base import BaseCommand, CommandError

from gongchuang.editions.models import Edition
from gongchuang.submissions.models import Work

from ...crosscheck import IGNORED_STATES
from ...models import SimilarityKey
from ...prechecks import fingerprint_work


class Command(BaseCommand):
    help = (
        "Fingerprint and index works that have no index keys yet (all editions, or one), "
        "reading their files in this process. Findings of pre-checks are not changed."
    )

    def add_arguments(self, parser):
        parser.add_argument("--edition", help="edition slug (default: every edition)")
        parser.add_argument(
            "--all", action="store_true", help="re-index works that already have keys too"
        )

    def handle(self, *args, **options):
        works = Work.objects.exclude(state__in=IGNORED_STATES)
        if options["edition"]:
            edition = Edition.objects.filter(slug=options["edition"]).first()
            if edition is None:
                raise CommandError("No such edition.")
            works = works.filter(edition=edition)
        if not options["all"]:
            indexed = SimilarityKey.objects.values("work_id")
            works = works.exclude(pk__in=indexed)
        count = 0
        for pk in works.order_by("pk").values_list("pk", flat=True).iterator():
            fingerprint_work(pk)
            count += 1
        self.stdout.write(f"Indexed {count} work(s).")
