"""The integration API: token authentication and scope (other units' works never returned)."""

import json

import pytest
from django.utils import timezone

from gongchuang.accounts.models import School
from gongchuang.common.models import AuditEvent
from gongchuang.reports.models import ApiToken
from gongchuang.submissions.models import Work

from ..reports.seed import seed_works

pytestmark = pytest.mark.django_db


def _get(client, path, token, **params):
    return client.get(f"/api/v1{path}", params, HTTP_AUTHORIZATION=f"Bearer {token}")


def test_openapi_schema_is_served(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    schema = response.json()
    assert schema["openapi"].startswith("3.")
    assert {
        "/api/v1/works",
        "/api/v1/works/{work_id}",
        "/api/v1/editions",
        "/api/v1/results",
        "/api/v1/schools",
    } <= set(schema["paths"])


def test_no_token_or_a_wrong_one_is_401(client, edition):
    assert client.get("/api/v1/works").status_code == 401
    assert _get(client, "/works", "gc_wrong").status_code == 401


def test_revoked_token_is_401(client, edition, roles, token_for):
    raw = token_for(roles["committee"])
    assert _get(client, "/editions", raw).status_code == 200
    ApiToken.objects.update(revoked_at=timezone.now())
    assert _get(client, "/editions", raw).status_code == 401


def test_only_the_hash_is_stored_and_use_is_recorded(edition, roles, token_for, client):
    raw = token_for(roles["organizer"])
    token = ApiToken.objects.get()
    assert raw not in (token.key_hash, token.prefix) and token.key_hash != raw
    assert token.last_used_at is None
    _get(client, "/editions", raw)
    token.refresh_from_db()
    assert token.last_used_at is not None


def test_organizer_token_never_returns_other_units_works(client, edition, roles, units, token_for):
    seed_works(edition, roles["committee"])
    raw = token_for(roles["organizer"])
    body = _get(client, "/works", raw, limit=500).json()
    expected = Work.objects.filter(edition=edition, unit=units["hd"]).exclude(state="draft")
    assert body["count"] == expected.count() == 4
    assert sorted(w["id"] for w in body["items"]) == sorted(expected.values_list("pk", flat=True))
    assert {w["unit"] for w in body["items"]} == {"HD"}
    # Asking for another unit explicitly gives nothing, not CY's works.
    assert _get(client, "/works", raw, unit="CY").json() == {"count": 0, "items": []}
    cy_work = Work.objects.filter(edition=edition, unit=units["cy"]).exclude(state="draft").first()
    assert _get(client, f"/works/{cy_work.pk}", raw).status_code == 404
    hd_draft = Work.objects.filter(edition=edition, unit=units["hd"], state="draft").first()
    assert _get(client, f"/works/{hd_draft.pk}", raw).status_code == 404


def test_committee_token_sees_everything_with_filters(client, edition, roles, units, token_for):
    seed_works(edition, roles["committee"])
    raw = token_for(roles["committee"])
    assert _get(client, "/works", raw).json()["count"] == 18
    body = _get(client, "/works", raw, unit="CY", state="submitted").json()
    assert (
        body["count"]
        == Work.objects.filter(edition=edition, unit=units["cy"], state="submitted").count()
    )
    one = body["items"][0]
    detail = _get(client, f"/works/{one['id']}", raw).json()
    assert detail["code"] == one["code"] and detail["state"] == "submitted"
    assert detail["state_label"] == "已提交"


def test_pagination_limits(client, edition, roles, token_for):
    seed_works(edition, roles["committee"], per_unit=2)
    raw = token_for(roles["committee"])
    page = _get(client, "/works", raw, limit=2, offset=1).json()
    assert page["count"] == 6 and len(page["items"]) == 2
    assert _get(client, "/works", raw, limit=0).status_code == 422
    assert _get(client, "/works", raw, limit=501).status_code == 422


def test_editions_and_categories(client, edition, roles, token_for):
    raw = token_for(roles["organizer"])
    editions = _get(client, "/editions", raw).json()
    assert [e["slug"] for e in editions] == [edition.slug]
    assert editions[0]["is_current"] is True and len(editions[0]["windows"]) == 8
    categories = _get(client, f"/editions/{edition.slug}/categories", raw).json()
    assert [c["code"] for c in categories][:2] == ["ai_art", "ai_agent"]
    assert categories[0]["unit_quota"] == 30
    assert _get(client, "/editions/nope/categories", raw).status_code == 404


def test_school_upload_creates_missing_schools_under_own_unit(
    client, edition, roles, units, token_for
):
    raw = token_for(roles["organizer"])
    response = client.post(
        "/api/v1/schools",
        json.dumps(["海淀测试中学", "海淀新建小学", " 海淀新建小学 ", ""]),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {raw}",
    )
    assert response.status_code == 200
    assert response.json() == {
        "unit": "HD",
        "created": ["海淀新建小学"],
        "existing": ["海淀测试中学"],
    }
    assert School.objects.filter(unit=units["hd"], name="海淀新建小学").count() == 1
    assert AuditEvent.objects.filter(action="school.upload").count() == 1
    # Another unit's code is refused for an organizer.
    response = client.post(
        "/api/v1/schools?unit=CY",
        json.dumps(["朝阳新学校"]),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {raw}",
    )
    assert response.status_code == 403
    assert not School.objects.filter(name="朝阳新学校").exists()


def test_token_of_a_student_cannot_be_created(roles):
    from gongchuang.common.errors import DomainError
    from gongchuang.reports.services import api_token_create

    with pytest.raises(DomainError):
        api_token_create(user=roles["student"], name="x", actor=roles["committee"])
