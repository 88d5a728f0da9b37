"""Schemathesis against /api/v1/openapi.json: no 5xx, responses and status codes match the schema.

The schema is the one served at /api/v1/openapi.json (built from the same NinjaAPI
object); requests go in-process through Django's WSGI handler with an organizer's
token, inside the test's transaction, over a seeded edition.
"""

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from hypothesis import HealthCheck, settings
from schemathesis.checks import (
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)

from gongchuang.api.api import api

from ..reports.seed import seed_works

schema = schemathesis.openapi.from_dict(api.get_openapi_schema())
schema.app = WSGIHandler()


@pytest.fixture
def auth_headers(db, edition, roles, token_for, in_process_wsgi):
    seed_works(edition, roles["committee"], per_unit=2)
    return {"Authorization": f"Bearer {token_for(roles['organizer'])}"}


@schemathesis.check
def only_own_unit(ctx, response, case):
    """The organizer's token (海淀 HD) must never receive another unit's works or results."""
    if response.status_code != 200 or case.method != "GET":
        return None
    body = response.json()
    if case.path == "/api/v1/works":
        units = {item["unit"] for item in body["items"]}
    elif case.path == "/api/v1/works/{work_id}":
        units = {body["unit"]}
    elif case.path == "/api/v1/results":
        units = {item["unit"] for item in body}
    else:
        return None
    assert units <= {"HD"}, f"another unit's data returned: {units}"
    return True


@schema.parametrize()
@settings(max_examples=8, deadline=None, suppress_health_check=list(HealthCheck))
def test_api_conforms_to_its_schema(case, auth_headers):
    case.call_and_validate(
        headers=auth_headers,
        checks=[
            not_a_server_error,
            response_schema_conformance,
            status_code_conformance,
            only_own_unit,
        ],
    )


def test_served_schema_is_the_tested_one(client):
    assert (
        client.get("/api/v1/openapi.json").json()["paths"].keys()
        == schema.raw_schema["paths"].keys()
    )
