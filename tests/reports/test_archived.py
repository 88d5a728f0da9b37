"""An archived edition still reads in the reports: dashboard figures and the works export."""

import pytest
from django.urls import reverse

from gongchuang.submissions.models import Work
from tests.factories.editions import archive

from .seed import seed_works
from .test_exports import _rows

pytestmark = pytest.mark.django_db


def test_archived_edition_exports_every_work_and_its_dashboard_reads(client, edition, roles):
    seed_works(edition, roles["committee"], per_unit=3, unit_codes=("HD",))
    archive(edition, actor=roles["committee"])
    client.force_login(roles["committee"])
    response = client.get(reverse("reports:export_works"), {"edition": edition.slug})
    assert response.status_code == 200
    rows = _rows(b"".join(response.streaming_content))
    assert sorted(r[1] for r in rows[1:]) == sorted(
        Work.objects.filter(edition=edition).values_list("title", flat=True)
    )
    page = client.get(reverse("reports:dashboard"), {"edition": edition.slug})
    assert page.status_code == 200 and page.context["data"].totals["works"] == 3
