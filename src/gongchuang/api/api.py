"""Endpoints of the integration API, scoped exactly like the web views.

Authentication: ``Authorization: Bearer <token>`` (tokens are created by the
committee on /reports/tokens/). A unit organizer's token sees the works of their
own unit(s), submitted or later; the committee's sees everything.
"""

from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Body, Field, NinjaAPI, Query, Schema, Status
from ninja.errors import HttpError
from ninja.security import HttpBearer

from gongchuang.accounts.enums import Role
from gongchuang.accounts.models import Unit
from gongchuang.common.errors import DomainError
from gongchuang.editions.models import Category, Edition
from gongchuang.reports.results import results_list
from gongchuang.reports.scope import Filters, report_scope, report_works
from gongchuang.reports.services import api_token_user, schools_upload
from gongchuang.submissions.enums import WorkState
from gongchuang.submissions.models import Work

from .schemas import (
    CategoryOut,
    EditionOut,
    Error,
    ResultOut,
    SchoolUploadOut,
    ValidationErrorOut,
    WorkDetailOut,
    WorkPage,
)


class TokenAuth(HttpBearer):
    def authenticate(self, request, token: str):
        user = api_token_user(token)
        if user is None or report_scope(user) is None:
            return None
        request.user = user
        return user


api = NinjaAPI(
    title="Gongchuang API",
    version="1",
    description="Integration API of the Beijing Youth AI Application Practice platform.",
    auth=TokenAuth(),
    urls_namespace="api-v1",
    docs_url=None,  # the interactive docs load assets from a CDN, which our CSP forbids
)

ERRORS = {401: Error, 404: Error, 422: ValidationErrorOut}


def _text(*values: str | None) -> None:
    """Refuse NUL characters (PostgreSQL cannot compare them) with a 422, not a 500."""
    if any(v and "\x00" in v for v in values):
        raise HttpError(422, _("Text parameters must not contain NUL characters."))


def _edition(slug: str | None) -> Edition:
    _text(slug)
    qs = Edition.objects.prefetch_related("windows")
    if slug:
        return get_object_or_404(qs, slug=slug)
    edition = qs.filter(is_current=True).first()
    if edition is None:
        raise Http404
    return edition


def _edition_out(edition: Edition) -> dict:
    return {
        "slug": edition.slug,
        "year": edition.year,
        "code": edition.code,
        "name": edition.name,
        "theme": edition.theme,
        "is_current": edition.is_current,
        "is_archived": edition.is_archived,
        "windows": [
            {"step": w.step, "opens_at": w.opens_at, "closes_at": w.closes_at}
            for w in edition.windows.all()
        ],
    }


@api.get("/editions", response={200: list[EditionOut], 401: Error}, tags=["editions"])
def list_editions(request):
    """Every edition, newest first, with its dated windows."""
    return [_edition_out(e) for e in Edition.objects.prefetch_related("windows")]


@api.get("/editions/{slug}", response={200: EditionOut, **ERRORS}, tags=["editions"])
def get_edition(request, slug: str):
    return _edition_out(_edition(slug))


@api.get(
    "/editions/{slug}/categories", response={200: list[CategoryOut], **ERRORS}, tags=["editions"]
)
def list_categories(request, slug: str):
    edition = _edition(slug)
    return [
        {
            "code": c.code,
            "short_code": c.short_code,
            "name": c.name,
            "track": c.track,
            "eligible_levels": [str(x) for x in c.eligible_levels],
            "max_authors": c.max_authors,
            "max_advisors": c.max_advisors,
            "unit_quota": c.unit_quota,
        }
        for c in Category.objects.filter(edition=edition)
    ]


class WorkFilters(Schema):
    edition: str | None = None
    unit: str | None = None
    category: str | None = None
    state: WorkState | None = None
    limit: int = Field(100, ge=1, le=500)
    offset: int = Field(0, ge=0, le=10_000_000)


def _filters(edition: Edition, params: WorkFilters) -> Filters:
    unit_id = category_id = None
    if params.unit:
        unit = Unit.objects.filter(code=params.unit).first()
        unit_id = unit.pk if unit else -1
    if params.category:
        category = Category.objects.filter(edition=edition, code=params.category).first()
        category_id = category.pk if category else -1
    return Filters(unit_id=unit_id, category_id=category_id, state=params.state or None)


_LABELS = dict(WorkState.choices)
WORK_VALUES = (
    "id",
    "code",
    "title",
    "category__code",
    "level",
    "unit__code",
    "school__name",
    "state",
    "submitted_at",
)


def _work_out(row: dict) -> dict:
    return {
        "id": row["id"],
        "code": row["code"],
        "title": row["title"],
        "category": row["category__code"],
        "level": row["level"],
        "unit": row["unit__code"],
        "school": row["school__name"],
        "state": row["state"],
        "state_label": str(_LABELS.get(row["state"], row["state"])),
        "submitted_at": row["submitted_at"],
    }


@api.get("/works", response={200: WorkPage, **ERRORS}, tags=["works"])
def list_works(request, params: Query[WorkFilters]):
    """Works visible to the token's account, filtered; ``limit`` at most 500."""
    _text(params.edition, params.unit, params.category)
    edition = _edition(params.edition)
    scope = report_scope(request.auth)
    qs = report_works(scope, edition=edition, filters=_filters(edition, params))
    rows = qs.order_by("pk").values(*WORK_VALUES)[params.offset : params.offset + params.limit]
    return {"count": qs.count(), "items": [_work_out(r) for r in rows]}


@api.get("/works/{work_id}", response={200: WorkDetailOut, **ERRORS}, tags=["works"])
def get_work(request, work_id: int):
    """One work; 404 when it does not exist or is outside the account's scope."""
    scope = report_scope(request.auth)
    if not -(2**63) <= work_id < 2**63:
        raise Http404
    qs = Work.objects.filter(pk=work_id).values_list("edition_id", flat=True)
    edition_id = qs.first()
    if edition_id is None:
        raise Http404
    edition = Edition.objects.get(pk=edition_id)
    row = (
        report_works(scope, edition=edition)
        .filter(pk=work_id)
        .values(*WORK_VALUES, "abstract", "keywords", "ai_tools", "link", "state_changed_at")
        .first()
    )
    if row is None:
        raise Http404
    return {
        **_work_out(row),
        "abstract": row["abstract"],
        "keywords": row["keywords"],
        "ai_tools": row["ai_tools"],
        "link": row["link"],
        "state_changed_at": row["state_changed_at"],
    }


@api.get("/results", response={200: list[ResultOut], **ERRORS}, tags=["results"])
def list_results(request, edition: str | None = None):
    """Finalists, star levels and special awards of the account's works.

    Unit organizers see star levels and awards once the results are published;
    the committee sees them as computed.
    """
    return results_list(report_scope(request.auth), edition=_edition(edition))


@api.post(
    "/schools", response={200: SchoolUploadOut, 400: Error, 403: Error, **ERRORS}, tags=["schools"]
)
def upload_schools(
    request,
    names: list[str] = Body(..., max_length=2000),  # noqa: B008
    unit: str | None = None,
):
    """Create the schools of a JSON list of names missing under the account's unit.

    A unit organizer uploads for their own unit (``unit`` is needed only when they
    organise several); the committee names the unit.
    """
    user = request.auth
    _text(unit, *names)
    own = user.unit_ids_for(Role.UNIT_ORGANIZER)
    units = Unit.objects.all() if user.is_committee else Unit.objects.filter(pk__in=own)
    if unit:
        target = units.filter(code=unit).first()
    else:
        target = units.first() if units.count() == 1 else None
    if target is None:
        return Status(403, {"detail": _("Name one of your own units with ?unit=CODE.")})
    try:
        created, existing = schools_upload(unit=target, names=names, actor=user)
    except DomainError as exc:
        raise HttpError(422, str(exc.message)) from exc
    return {"unit": target.code, "created": created, "existing": existing}


__all__ = ["api"]
