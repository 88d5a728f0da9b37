import pytest
from django.utils import timezone

from gongchuang.demo.accounts import seed_people
from gongchuang.demo.context import DemoContext
from gongchuang.demo.submissions import seed_works
from gongchuang.editions import defaults
from gongchuang.editions.services import edition_create_from_defaults
from gongchuang.submissions.enums import WorkState
from gongchuang.submissions.models import Work, WorkFile

pytestmark = pytest.mark.django_db


def test_demo_seeder_creates_works_in_every_state_and_is_idempotent():
    now = timezone.now()
    edition, _ = edition_create_from_defaults(
        year=now.year, slug="demo", code="D26", windows=defaults.demo_windows(now), is_demo=True
    )
    demo = DemoContext(edition=edition, now=now)
    seed_people(demo)
    seed_works(demo)
    submitted = Work.objects.filter(edition=edition, state=WorkState.SUBMITTED)
    assert submitted.filter(category__code__in=["ai_art", "ai_agent"]).count() == 12
    assert set(submitted.values_list("unit__code", flat=True)) == {"HD", "CY"}
    assert submitted.filter(category__code="teaching_case").count() == 1
    returned = Work.objects.get(edition=edition, state=WorkState.RETURNED)
    assert "提示词" in returned.state_reason
    draft = Work.objects.get(edition=edition, state=WorkState.DRAFT)
    assert draft.authorships.filter(accepted_at__isnull=True).count() == 1
    images = WorkFile.objects.filter(kind="image")
    assert images.count() == 9
    assert images.filter(thumbnail="").count() == 0
    assert len(demo.extra["works"]) == 12
    count = Work.objects.count()
    seed_works(demo)
    assert Work.objects.count() == count


def test_extra_demo_students_can_log_in(client):
    now = timezone.now()
    edition, _ = edition_create_from_defaults(
        year=now.year, slug="demo", code="D26", windows=defaults.demo_windows(now), is_demo=True
    )
    demo = DemoContext(edition=edition, now=now)
    seed_people(demo)
    seed_works(demo)
    from gongchuang.accounts.models import User
    from gongchuang.demo.accounts import DEMO_PASSWORD

    assert User.objects.get(username="demo_cy1").check_password(DEMO_PASSWORD)
