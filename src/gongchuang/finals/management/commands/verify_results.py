"""``manage.py verify_results EDITION``: re-derive the edition's awards and check the audit chain.

Seals any unsealed audit events, verifies the whole hash chain (``common.chain``), then
recomputes from the stored reviews, score sheets, edition settings and decisions every
review total, finalist list (selection, rank, calibrated score), final result (scores,
rank, star level) and certificate of the edition (``judging.verify``, ``finals.verify``).
Prints one line per difference, then ``{"edition": slug, "checked": N, "differences": D}``
(N: records checked — audit events of the chain, reviews, works of approved finalist
groups, score sheets, final results, certificates); the exit status is 1 when D > 0.
Notes on what could not be compared yet (no final, results not locked) go to stderr.
Nothing is written except the seals of unsealed audit events.
"""

import json
import sys

from django.core.management.base import BaseCommand, CommandError

from gongchuang.common.chain import seal_pending, verify_chain
from gongchuang.common.verification import Report
from gongchuang.editions.models import Edition
from gongchuang.finals.verify import verify_final
from gongchuang.judging.verify import verify_finalist_lists, verify_reviews


class Command(BaseCommand):
    help = (
        "Recompute an edition's rankings, finalists, star levels and certificates "
        "and check the audit chain."
    )

    def add_arguments(self, parser):
        parser.add_argument("edition", help="the edition's slug")

    def handle(self, *args, **options):
        edition = Edition.objects.filter(slug=options["edition"]).first()
        if edition is None:
            raise CommandError(f"No edition with slug {options['edition']!r}.")
        seal_pending()
        report = Report()
        chain = verify_chain()
        report.checked += chain.checked
        report.differences += chain.broken
        verify_reviews(edition, report)
        verify_finalist_lists(edition, report)
        verify_final(edition, report)
        for line in report.differences:
            self.stdout.write(line)
        for note in report.notes:
            self.stderr.write(note)
        summary = {
            "edition": edition.slug,
            "checked": report.checked,
            "differences": len(report.differences),
        }
        self.stdout.write(json.dumps(summary))
        if report.differences:
            self.stdout.flush()
            sys.exit(1)
