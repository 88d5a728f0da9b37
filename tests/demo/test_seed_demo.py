"""``seed_demo`` is idempotent: a second run changes nothing, nor a second pass of the seeders."""

import io

import pytest
from django.apps import apps
from django.core.management import call_command
from django.utils import timezone

from gongchuang.demo.context import DemoContext
from gongchuang.demo.steps import STEPS
from gongchuang.editions.models import Edition
from gongchuang.finals.models import FinalEvent


def _snapshot() -> dict[str, int]:
    """Rows per model of the project (audit trail included)."""
    return {
        model._meta.label: model.objects.count()
        for model in apps.get_models()
        if model.__module__.startswith("gongchuang.")
    }


@pytest.mark.django_db
def test_seed_demo_twice_changes_nothing():
    call_command("seed_demo", stdout=io.StringIO())
    before = _snapshot()
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    assert out.getvalue() == "Demo already seeded; nothing changed.\n"
    assert _snapshot() == before
    # The finals' seeders (and those that read what they made) find their data and add nothing.
    demo = DemoContext(edition=Edition.objects.get(slug="demo"), now=timezone.now())
    apps_again = ("accounts", "finals", "publicity", "portal")
    for step in STEPS:
        if step.__module__.rsplit(".", 1)[1] in apps_again:
            step(demo)
    assert _snapshot() == before
    events = FinalEvent.objects.order_by("edition__slug")
    assert [(e.edition.slug, e.is_published) for e in events] == [
        ("demo", False),
        ("demo-past", True),
    ]
    assert Edition.objects.get(is_current=True).slug == "demo"


@pytest.mark.django_db
def test_the_demo_has_a_banner_logos_and_sealed_numbered_certificates():
    from gongchuang.finals.certificates import render_certificate_pdf
    from gongchuang.finals.models import Certificate

    call_command("seed_demo", stdout=io.StringIO())
    demo = Edition.objects.get(slug="demo")
    kinds = sorted(demo.images.values_list("kind", flat=True))
    assert kinds == ["banner", "logo", "logo", "logo", "logo", "seal"]
    certificate = Certificate.objects.filter(event__edition__slug="demo-past").first()
    assert certificate.number.startswith(f"{certificate.event.edition.code}-")
    assert b"/SMask" in render_certificate_pdf(certificate)  # the past edition's seal
