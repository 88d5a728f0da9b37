from django.core.cache import caches
from django.core.paginator import Paginator
from django.core.validators import slug_re
from django.db import connection
from django.db.models import OuterRef, Subquery
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import cache_control, never_cache
from django.views.decorators.http import etag, require_GET

from gongchuang.accounts.access import can
from gongchuang.accounts.enums import Role
from gongchuang.accounts.models import Unit
from gongchuang.common.errorviews import service_unavailable
from gongchuang.common.site import absolute_url
from gongchuang.editions.models import Edition
from gongchuang.editions.selectors import (
    current_edition,
    current_phase_dates,
    edition_public_images,
    open_and_upcoming_windows,
    public_edition_image,
)
from gongchuang.finals.models import FinalEvent
from gongchuang.publicity.enums import ListKind
from gongchuang.publicity.models import PublicityList
from gongchuang.submissions.ai_use import labelled_image

from .. import selectors
from ..cache import anonymous_page, cached_fragment
from ..forms import CaseFilterForm, ShowcaseFilterForm
from ..models import GuideDocument, NoticeAttachment
from .files import serve_bytes, serve_file

EDITION_CACHE_KEY = "portal:current-edition"
EDITION_CACHE_SECONDS = 5
SHOWCASE_PAGE_SIZE = 24
NOTICES_PAGE_SIZE = 20


# Entry buttons of the home page per role: (roles, label, url name). Links whose app
# is not installed (NoReverseMatch) are left out.
ENTRY_BUTTONS = [
    ({Role.STUDENT, Role.TEACHER}, gettext_lazy("My works"), "submissions:my_works"),
    ({Role.SCHOOL_COORDINATOR}, gettext_lazy("My school's works"), "submissions:school_works"),
    ({Role.EXPERT}, gettext_lazy("Expert review"), "judging:home"),
    ({Role.COMMITTEE, Role.UNIT_ORGANIZER}, gettext_lazy("Write a notice"), "portal:notice_manage"),
    ({Role.COMMITTEE}, gettext_lazy("Manage showcase"), "portal:showcase_manage"),
]


def _entry_buttons(user) -> list[tuple[str, str]]:
    if not user.is_authenticated:
        return []
    buttons = []
    for roles, label, url_name in ENTRY_BUTTONS:
        if roles & user.roles:
            try:
                buttons.append((label, reverse(url_name)))
            except NoReverseMatch:
                continue
    return buttons


def _home_freshness(request) -> str:
    """What the cached home page depends on besides the portal generation: the minute
    (windows open and close on time) and the current edition's name, theme, organisers,
    windows, banner and logos."""
    edition = _current_edition(request)
    parts = [timezone.now().strftime("%Y%m%d%H%M")]
    if edition is not None:
        parts += [str(edition.pk), edition.name, edition.theme, repr(edition.organisers)]
        parts += [f"{w.step}{w.opens_at}{w.closes_at}" for w in edition.windows.all()]
        parts += [f"{i.pk}{i.name}" for i in edition.images.exclude(kind="seal")]
    return "|".join(parts)


@require_GET
@anonymous_page(_home_freshness)
def home(request):
    edition = _current_edition(request)
    context = {
        "edition": edition,
        "now": timezone.now(),
        "entry_buttons": _entry_buttons(request.user),
    }
    if edition is not None:
        context["phase"] = current_phase_dates(edition)
        context["windows"] = open_and_upcoming_windows(edition)
        context.update(edition_public_images(edition))
    context["notices_html"] = cached_fragment(
        request,
        "home-notices",
        lambda: render_to_string(
            "portal/_notice_items.html",
            {"notices": list(selectors.notices_public(city_only=True)[:6]), "compact": True},
        ),
    )
    return render(request, "portal/home.html", context)


@never_cache
@require_GET
def healthz(request):
    """Liveness and database check for load balancers and monitoring."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:  # any database failure means "unhealthy"
        if "text/html" in request.headers.get("Accept", ""):  # a person, not a load balancer
            return service_unavailable()
        return JsonResponse({"status": "error", "database": "unreachable"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})


@require_GET
@cache_control(public=True, max_age=3600)
@etag(lambda request, pk: f"ei{pk}")  # a new upload is a new image (new id)
def edition_image(request, pk: int):
    """The current or a past edition's banner or organiser's logo (the seal never)."""
    image = public_edition_image(pk)
    if image is None:
        raise Http404
    return serve_file(image.file, name=image.file.name.rpartition("/")[2], mime=image.mime,
                      inline=True)  # fmt: skip


@require_GET
def notice_list(request):
    page_obj = Paginator(selectors.notices_public(city_only=True), NOTICES_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "portal/notice_list.html",
        {"page_obj": page_obj, "units": list(selectors.units_with_notices())},
    )


def _visible_notice(request, pk: int):
    """Published notices for everyone; drafts only for those who may edit them."""
    notice = selectors.notices_public().filter(pk=pk).first()
    if notice is None and request.user.is_authenticated:
        notice = selectors.notices_managed_by(request.user).filter(pk=pk).first()
    if notice is None:
        raise Http404
    return notice


@require_GET
def notice_detail(request, pk: int):
    notice = _visible_notice(request, pk)
    return render(
        request,
        "portal/notice_detail.html",
        {"notice": notice, "attachments": list(notice.attachments.all())},
    )


@require_GET
def notice_attachment(request, pk: int):
    attachment = get_object_or_404(NoticeAttachment, pk=pk)
    _visible_notice(request, attachment.notice_id)
    return serve_file(attachment.file, name=attachment.original_name, mime=attachment.mime)


@require_GET
def unit_page(request, code: str):
    unit = get_object_or_404(Unit, code=code)
    page_obj = Paginator(selectors.notices_public(unit=unit), NOTICES_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(request, "portal/unit.html", {"unit": unit, "page_obj": page_obj})


def _current_edition(request):
    """The current edition; for anonymous visitors this process's copy (a few seconds old
    at most, like ``current_edition``'s own).

    Loading it (edition + windows) is the largest remaining cost of an anonymous page
    once the fragments are cached. Logged-in people always get it fresh.
    """
    if request.user.is_authenticated:
        return current_edition()
    return caches["local"].get_or_set(EDITION_CACHE_KEY, current_edition, EDITION_CACHE_SECONDS)


def _edition_from_query(request):
    slug = request.GET.get("edition", "")
    if slug and not slug_re.match(slug):  # say, a NUL byte, which PostgreSQL refuses
        raise Http404
    edition = Edition.objects.filter(slug=slug).first() if slug else _current_edition(request)
    if slug and edition is None:
        raise Http404
    return edition


@require_GET
def guide(request):
    edition = _edition_from_query(request)
    categories = selectors.guide_categories(edition) if edition else []
    documents = list(edition.guide_documents.all()) if edition else []
    return render(
        request,
        "portal/guide.html",
        {
            "edition": edition,
            "categories": categories,
            "documents": documents,
            "windows": list(edition.windows.all()) if edition else [],
            "settings": (edition.settings or {}) if edition else {},
        },
    )


@require_GET
@etag(lambda request, pk: f"gd{pk}")
def guide_document(request, pk: int):
    document = get_object_or_404(GuideDocument, pk=pk)
    return serve_file(document.file, name=document.original_name, mime=document.mime)


def _gallery(request, *, teaching_cases: bool, template: str, fragment: str):
    forms: list = []
    form_class = CaseFilterForm if teaching_cases else ShowcaseFilterForm

    def get_form():
        # Built only when needed (its choices cost three queries): to filter, or to
        # render the filter form when its cached HTML has expired.
        if not forms:
            forms.append(form_class(request.GET or None))
        return forms[0]

    filters = get_form().filters() if request.GET else {}

    def render_results():
        works = selectors.public_works(teaching_cases=teaching_cases, **filters)
        page_obj = Paginator(works, SHOWCASE_PAGE_SIZE).get_page(request.GET.get("page"))
        query = request.GET.copy()
        query.pop("page", None)
        return render_to_string(
            "portal/_work_grid.html",
            {
                "page_obj": page_obj,
                "query_string": query.urlencode(),
                "teaching_cases": teaching_cases,
            },
        )

    results_html = cached_fragment(request, fragment, render_results)
    form_html = cached_fragment(
        request,
        fragment + "-form",
        lambda: render_to_string("includes/form.html", {"form": get_form()}),
    )
    return render(
        request,
        template,
        {"form": forms[0] if forms else None, "form_html": form_html, "results_html": results_html},
    )


@require_GET
@anonymous_page(lambda request: "")  # the generation changes with every publication
def showcase(request):
    return _gallery(
        request, teaching_cases=False, template="portal/showcase.html", fragment="showcase"
    )


@require_GET
def teaching_cases(request):
    return _gallery(
        request, teaching_cases=True, template="portal/teaching_cases.html", fragment="cases"
    )


@require_GET
def work_detail(request, pk: int):
    work = selectors.public_work_detail(pk)
    if work is None:
        raise Http404
    authors, advisors = selectors.public_people(work)
    cover = next((f for f in work.public_files if f.kind == "image"), None)
    case_questions = selectors.published_questions(work) if work.is_teaching_case else []
    return render(
        request,
        "portal/work_detail.html",
        {
            "work": work,
            "authors": authors,
            "advisors": advisors,
            "case_questions": case_questions,
            "can_ask": work.is_teaching_case and can(request.user, "portal.ask_case_question"),
            "answers": work.is_teaching_case
            and any(a.user_id == request.user.pk for a in work.authors()),
            "og_image": absolute_url(reverse("portal:work_file", args=[cover.pk])) if cover else "",
        },
    )


@require_GET
def case_download(request, pk: int):
    """A teaching case's material as a download, when its authors' licence allows it.

    "View only" cases refuse with 403 (their images and PDFs stay viewable inline through
    :func:`work_file`); the licence is named in the file's page, not in the file.
    """
    case_file = selectors.public_case_file(pk)
    if case_file is None:
        raise Http404
    if not case_file.work.case_downloadable:
        return render(request, "portal/case_view_only.html", {"work": case_file.work}, status=403)
    labelled = labelled_image(case_file, thumbnail=False)
    if labelled is not None:
        return serve_bytes(labelled, name=case_file.original_name, mime=case_file.mime)
    return serve_file(case_file.file, name=case_file.original_name, mime=case_file.mime)


@require_GET
@cache_control(public=True, max_age=3600)
@etag(lambda request, pk: f"wf{pk}{'t' if request.GET.get('thumb') else ''}")  # files never change
def work_file(request, pk: int):
    """Files of public works only, and only images, videos and PDFs (never archives)."""
    work_file = selectors.public_work_file(pk)
    if work_file is None:
        raise Http404
    thumb = bool(request.GET.get("thumb") and work_file.thumbnail)
    name, mime = (
        ("thumbnail.jpg", "image/jpeg") if thumb else (work_file.original_name, work_file.mime)
    )
    # AI-generated images leave with the platform's implicit label (GB 45438-2025); the
    # stored original, which reviewers see, is not changed.
    labelled = labelled_image(work_file, thumbnail=thumb)
    if labelled is not None:
        return serve_bytes(labelled, name=name, mime=mime, inline=True)
    return serve_file(
        work_file.thumbnail if thumb else work_file.file, name=name, mime=mime, inline=True
    )


@require_GET
@anonymous_page(lambda request: _results_key(_edition_from_query(request)))
def results(request):
    edition = _edition_from_query(request)
    context = {
        "edition": edition,
        "groups": selectors.results_for(edition) if edition is not None else [],
        "award_publicity": selectors.award_publicity(edition) if edition is not None else None,
        "editions": selectors.editions_with_public_content(),
        "verify_url": _verify_url(),
    }
    return render(request, "portal/results.html", context)


def _results_key(edition) -> str:
    """Fragment key: changes the moment the final's results are published (or withdrawn),
    or its award list's publicity (公示) window or confirmation changes — in one query."""
    if edition is None:
        return "results-body|"
    award = PublicityList.objects.filter(edition=OuterRef("edition"), kind=ListKind.AWARD)
    row = (
        FinalEvent.objects.filter(edition=edition)
        .annotate(
            award_ends=Subquery(award.values("ends_at")[:1]),
            award_final=Subquery(award.values("final_at")[:1]),
        )
        .values_list("results_published_at", "award_ends", "award_final")
        .first()
    )
    return f"results-body|{edition.pk}|{row}"


def _verify_url() -> str:
    try:
        return reverse("finals:verify_form")
    except NoReverseMatch:
        return "/final/verify/"


@require_GET
def robots_txt(request):
    lines = [
        "User-agent: *",
        "Disallow: /accounts/",
        "Disallow: /admin/",
        "Disallow: /manage/",
        "Disallow: /inbox/",
        "Disallow: /works/",
        "Disallow: /screening/",
        "Disallow: /judging/",
        "Disallow: /reports/",
        f"Sitemap: {absolute_url(reverse('portal:sitemap'))}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")
