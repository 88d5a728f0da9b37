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
