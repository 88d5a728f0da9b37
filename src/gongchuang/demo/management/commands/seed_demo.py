"""Fill the platform with a demo edition whose windows are all open today, and demo data.

Besides the current demo edition (its final open: judges can score now), last year's demo
edition (``demo-past``) holds a finished final with published results and certificates.

Idempotent: if the demo edition exists, nothing is changed (user data is kept).
"""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from gongchuang.common.site import absolute_url
from gongchuang.demo.context import DemoContext
from gongchuang.demo.steps import STEPS
from gongchuang.editions import defaults
from gongchuang.editions.models import Edition
from gongchuang.editions.services import edition_create_from_defaults, edition_make_current
from gongchuang.reports import counts


class Command(BaseCommand):
    help = "Create the demo edition and demo data for every role (idempotent)."

    def handle(self, *args, **options):
        real, _ = edition_create_from_defaults(year=2026)
        if Edition.objects.filter(slug="demo").exists():
            self.stdout.write("Demo already seeded; nothing changed.")
            self._choose_current(real)
            return
        now = timezone.now()
        with transaction.atomic():
            edition, _ = edition_create_from_defaults(
                year=now.year,
                slug="demo",
                code="D" + str(now.year)[2:],
                name=f"{now.year}北京青少年人工智能应用实践活动（演示）",
                windows=defaults.demo_windows(now),
                is_demo=True,
            )
            demo = DemoContext(edition=edition, now=now)
            for step in STEPS:
                self.stdout.write(f"  seeding {step.__module__}.{step.__name__}")
                step(demo)
        self._choose_current(real)
        # The dashboard's figures are kept by the services the steps call: they must
        # equal a recount (a step that wrote works or reviews around them shows here).
        wrong = [d for e in Edition.objects.order_by("pk") for d in counts.differences(e.pk)]
        if wrong:
            raise CommandError("Demo figures differ from a recount:\n" + "\n".join(wrong[:20]))
        self.stdout.write(self.style.SUCCESS("Demo data created."))
        if demo.extra.get("screen_path"):
            self.stdout.write(
                "Projector link of the demo final (no login): "
                + absolute_url(demo.extra["screen_path"])
            )

    def _choose_current(self, real: Edition) -> None:
        wanted = settings.GONGCHUANG["CURRENT_EDITION"]
        if Edition.objects.filter(is_current=True).exists() and wanted == "demo":
            return
        edition = Edition.objects.filter(slug=wanted).first() or real
        edition_make_current(edition=edition)
