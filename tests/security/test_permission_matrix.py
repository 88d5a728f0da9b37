"""Permission matrix: every URL taking an object id × every role, with objects that could leak.

Each registry entry names the objects to request (from a seeded demo world plus a few extra
people) and the roles allowed to see it. Allowed roles must get the page's normal status;
everybody else must get 403, 404 or a redirect to a login page. A URL name with a parameter
that has no entry here fails the test: new URLs must be added to the matrix.
"""

import dataclasses
from collections.abc import Callable

import pytest
from django.db import transaction
from django.test import Client
from django.urls import reverse

from ._pages import error_page_problem
from ._world import build_world, named_routes, plant_extras

ROLES = (
    "anonymous", "student_a", "student_b", "teacher", "coordinator", "organizer_a", "organizer_b",
    "expert_assigned", "expert_free", "expert_conflict", "committee",
)  # fmt: skip
EVERYONE = frozenset(ROLES)
SIGNED_IN = EVERYONE - {"anonymous"}
COMMITTEE = frozenset({"committee"})
ORGANIZERS = frozenset({"organizer_a", "organizer_b", "committee"})
NOBODY = frozenset()
# The author, the advisor (teacher), the school coordinator, the district organizer, the committee.
WORK_A_VIEWERS = frozenset({"student_a", "teacher", "coordinator", "organizer_a", "committee"})

# Namespaces guarded as a whole (checked by ``test_admin_is_staff_only``) or bearer-token APIs
# (checked by ``test_api_object_urls_need_token``).
WHOLE_NAMESPACE = {"admin", "api-v1"}


@dataclasses.dataclass(frozen=True)
class Entry:
    kwargs: Callable  # world -> URL kwargs
    allowed: frozenset
    method: str = "get"  # "post" for action URLs (GET is 405 for all)
    ok: tuple = (200,)  # the page's normal status for allowed roles
    json: dict | None = None  # a JSON body for POST endpoints that take one
    data: dict | None = None  # form fields for POST actions that need them


SCHOOL_KEEPERS_HD = frozenset({"organizer_a", "committee"})


def hd_school():
    from gongchuang.accounts.models import School

    return School.objects.filter(unit__code="HD").order_by("pk").first()


def _screen_token(w) -> str:
    """The demo final's projector secret (seed_demo makes one)."""
    return w.objs["session"].event.screen_token


def _practice_work():
    from gongchuang.judging.models import PracticeWork

    return PracticeWork.objects.order_by("pk").first()


def o(key, attr="pk"):
    return lambda w: {"pk": getattr(w.objs[key], attr)}


REGISTRY: dict[str, Entry] = {
    # portal: public pages and committee management
    "portal:notice_detail": Entry(o("notice"), EVERYONE),
    "portal:notice_attachment": Entry(o("notice_attachment"), EVERYONE),
    "portal:unit": Entry(lambda w: {"code": "HD"}, EVERYONE),
    "portal:guide_document": Entry(o("guide_document"), EVERYONE),
    "portal:edition_image": Entry(o("banner"), EVERYONE),
    "portal:work_detail": Entry(o("public_work"), EVERYONE),
    "portal:work_file": Entry(o("public_file"), EVERYONE),
    # a case licensed for download (CC BY-NC 4.0): anyone downloads it
    "portal:case_download": Entry(o("case_file"), EVERYONE),
    # questions on that case: signed-in teachers ask; its author (``teacher``) answers a
    # published one; the committee moderates a pending one
    "portal:case_question_ask": Entry(
        lambda w: {"pk": w.objs["case_file"].work_id}, {"teacher"}, "post", (302,)
    ),
    "portal:case_question_answer": Entry(o("question_published"), {"teacher"}, "post", (302,)),
    "portal:case_question_moderate": Entry(o("question_pending"), COMMITTEE, "post", (302,)),
    "portal:notice_edit": Entry(o("notice"), COMMITTEE),
    "portal:notice_action": Entry(
        lambda w: {"pk": w.objs["notice"].pk, "action": "pin"}, COMMITTEE, "post", (302,)
    ),
    "portal:attachment_remove": Entry(o("notice_attachment"), COMMITTEE, "post", (302,)),
    "portal:guide_document_remove": Entry(o("guide_document"), COMMITTEE, "post", (302,)),
    "portal:showcase_toggle": Entry(o("public_work"), COMMITTEE, "post", (302,)),
    # accounts / editions
    "accounts:password_reset_confirm": Entry(
        lambda w: {"uidb64": "MQ", "token": "set-password"}, EVERYONE
    ),
    # Anyone holding a valid link may open it; a made-up link is refused (400) for all.
    "accounts:activate": Entry(lambda w: {"uidb64": "MQ", "token": "x-y"}, EVERYONE, ok=(400,)),
    # Invitation links: anyone holding a valid one may open it; a made-up one is 404 for all.
    "accounts:invitation": Entry(lambda w: {"token": "made-up-token"}, EVERYONE, ok=(404,)),
    # Resending an invitation to an account that has not signed in: the committee only.
    "accounts:invitation_resend": Entry(o("invitee"), COMMITTEE, "post", (302,)),
    # possible duplicate persons: the confirmation pages (GET) of merge and void
    "accounts:duplicate_merge": Entry(
        lambda w: {"pk": w.users["student_b"].pk, "into": w.users["student_a"].pk}, COMMITTEE
    ),
    "accounts:duplicate_void": Entry(lambda w: {"pk": w.users["student_b"].pk}, COMMITTEE),
    # school lists: an HD school, kept by HD's organiser and the committee only
    "accounts:school_edit": Entry(lambda w: {"pk": hd_school().pk}, SCHOOL_KEEPERS_HD),
    "accounts:school_deactivate": Entry(lambda w: {"pk": hd_school().pk}, SCHOOL_KEEPERS_HD),
    "accounts:school_merge": Entry(lambda w: {"pk": hd_school().pk}, SCHOOL_KEEPERS_HD),
    "accounts:school_reactivate": Entry(
        lambda w: {"pk": hd_school().pk}, SCHOOL_KEEPERS_HD, "post", (302,)
    ),
    # help from the level above: the student's coordinator and the committee; the teacher's
    # coordinator, district organiser and the committee (accounts.helpdesk)
    "accounts:person_unlock": Entry(
        lambda w: {"pk": w.users["student_a"].pk}, {"coordinator", "committee"}, "post", (302,)
    ),
    "accounts:person_reset_link": Entry(
        lambda w: {"pk": w.users["teacher"].pk},
        {"coordinator", "organizer_a", "committee"},
        "post",
        (302,),
    ),
    "accounts:person_one_time_password": Entry(
        lambda w: {"pk": w.users["student_a"].pk}, {"coordinator", "committee"}, "post"
    ),
    "editions:settings": Entry(lambda w: {"slug": w.objs["edition"].slug}, COMMITTEE),
    "editions:window_edit": Entry(o("window"), COMMITTEE),
    "editions:rules": Entry(lambda w: {"slug": w.objs["edition"].slug}, COMMITTEE),
    "editions:details": Entry(lambda w: {"slug": w.objs["edition"].slug}, COMMITTEE),
    "editions:school_confirmation": Entry(lambda w: {"slug": w.objs["edition"].slug}, COMMITTEE),
    "editions:identity": Entry(lambda w: {"slug": w.objs["edition"].slug}, COMMITTEE),
    "editions:image": Entry(o("seal"), COMMITTEE),
    "editions:image_remove": Entry(o("seal"), COMMITTEE, "post", (302,)),
    # The edition is current already: the committee's POST changes nothing.
    "editions:make_current": Entry(
        lambda w: {"slug": w.objs["edition"].slug}, COMMITTEE, "post", (302,)
    ),
    "editions:category_create": Entry(lambda w: {"slug": w.objs["edition"].slug}, COMMITTEE),
    "editions:category_edit": Entry(lambda w: {"pk": w.objs["work_a"].category_id}, COMMITTEE),
    "editions:rubric_edit": Entry(lambda w: {"pk": w.objs["work_a"].category_id}, COMMITTEE),
    "editions:category_preview": Entry(lambda w: {"pk": w.objs["work_a"].category_id}, COMMITTEE),
    # submissions: the author's own work (HD), its files, its team
    "submissions:work_detail": Entry(o("work_a"), WORK_A_VIEWERS),
    "submissions:work_edit": Entry(o("work_a"), {"student_a"}),
    "submissions:work_submit": Entry(o("work_a"), {"student_a"}, "post", (302,)),
    "submissions:work_receipt": Entry(o("work_a"), WORK_A_VIEWERS),
    "submissions:work_withdraw": Entry(o("work_a"), {"student_a"}, "post", (302,)),
    "submissions:invite": Entry(o("draft"), {"student_a"}, "post", (302,)),
    "submissions:member_remove": Entry(
        lambda w: {"pk": w.objs["draft"].pk, "member_pk": w.objs["draft_advisor"].pk},
        {"student_a"},
        "post",
        (302,),
    ),
    "submissions:invitation_respond": Entry(
        lambda w: {"pk": w.objs["draft_advisor"].pk, "answer": "decline"},
        {"teacher"},
        "post",
        (302,),
    ),
    "submissions:file_upload": Entry(o("draft"), {"student_a"}, "post", (302,)),
    "submissions:file_delete": Entry(
        lambda w: {"pk": w.objs["draft"].pk, "file_pk": w.objs["draft_file"].pk},
        {"student_a"},
        "post",
        (302,),
    ),
    "submissions:file_download": Entry(lambda w: {"file_pk": w.objs["file_a"].pk}, WORK_A_VIEWERS),
    "submissions:file_preview": Entry(lambda w: {"file_pk": w.objs["file_a"].pk}, WORK_A_VIEWERS),
    "submissions:upload_create": Entry(
        o("draft"),
        {"student_a"},
        "post",
        (201,),
        json={"slot": "process", "name": "p.pdf", "size": 100},
    ),
    "submissions:upload_session": Entry(lambda w: {"token": w.objs["upload"].token}, {"student_a"}),
    "submissions:upload_finalize": Entry(
        lambda w: {"token": w.objs["upload"].token}, {"student_a"}, "post", (200, 400, 422)
    ),
    # screening
    "screening:unit_work": Entry(o("work_a"), {"organizer_a"}),
    # A work of the coordinator's school waiting for its confirmation: the school's only (the
    # district sees it once confirmed); ``test_school_confirmation_scope`` plants the others.
    "screening:school_work": Entry(o("work_awaiting"), {"coordinator"}),
    "screening:unit_unrecommend": Entry(o("work_rec"), {"organizer_a"}, "post", (302,)),
    "screening:unit_precheck": Entry(o("work_a"), {"organizer_a"}, "post", (302,)),
    "screening:city_work": Entry(o("work_a"), COMMITTEE),
    "screening:city_precheck": Entry(o("work_a"), COMMITTEE, "post", (302,)),
    "screening:work_file": Entry(o("file_a"), WORK_A_VIEWERS),
    # judging
    "judging:jury": Entry(o("jury"), COMMITTEE),
    "judging:jury_members": Entry(o("jury"), COMMITTEE, "post", (302,)),
    "judging:jury_settings": Entry(o("jury"), COMMITTEE, "post", (302,)),
    "judging:jury_solve": Entry(o("jury"), COMMITTEE, "post", (302,)),
    "judging:jury_publish": Entry(o("jury"), COMMITTEE, "post", (302,)),
    "judging:jury_remind": Entry(o("jury"), COMMITTEE, "post", (302,)),
    "judging:jury_add": Entry(o("jury"), COMMITTEE, "post", (302,)),
    "judging:assignment_action": Entry(
        lambda w: {
            "pk": w.objs["jury"].pk,
            "assignment_pk": w.objs["assignment"].pk,
            "action": "pin",
        },
        COMMITTEE,
        "post",
        (302,),
    ),
    "judging:ranking": Entry(o("jury"), COMMITTEE),
    "judging:work_reviews": Entry(
        lambda w: {"pk": w.objs["jury"].pk, "work_pk": w.objs["judged_work"].pk}, COMMITTEE
    ),
    "judging:request_extra": Entry(
        lambda w: {"pk": w.objs["jury"].pk, "work_pk": w.objs["judged_work"].pk},
        COMMITTEE,
        "post",
        (302,),
    ),
    "judging:finalists": Entry(o("jury"), COMMITTEE),
    "judging:jury_discussion_settings": Entry(o("jury"), COMMITTEE, "post", (302,)),
    # The demo's assigned expert has submitted the judged work's review, so its discussion
    # is open to them; the conflicted, free and other experts, authors and units never.
    "judging:discussion": Entry(
        lambda w: {"pk": w.objs["jury"].pk, "work_pk": w.objs["judged_work"].pk},
        {"expert_assigned", "committee"},
    ),
    "judging:consensus": Entry(
        lambda w: {"pk": w.objs["jury"].pk, "work_pk": w.objs["judged_work"].pk},
        {"expert_assigned"},
        "post",
        (302,),
    ),
    "judging:lead": Entry(o("jury"), {"expert_assigned"}),
    # A practice work of the demo's ai_art category: only experts judging ai_art.
    "judging:practice_score": Entry(lambda w: {"pk": _practice_work().pk}, {"expert_assigned"}),
    "judging:review": Entry(lambda w: {"work_pk": w.objs["judged_work"].pk}, {"expert_assigned"}),
    "judging:review_draft": Entry(
        lambda w: {"work_pk": w.objs["judged_work"].pk}, {"expert_assigned"}, "post", (200, 400)
    ),
    "judging:work_file": Entry(
        lambda w: {"work_pk": w.objs["judged_work"].pk, "file_pk": w.objs["judged_file"].pk},
        {"expert_assigned"},
    ),
    # finals
    "finals:judge_session": Entry(o("session"), {"expert_assigned"}),
    "finals:judge_submission_file": Entry(o("task_submission"), {"expert_assigned"}),
    "finals:attendance": Entry(
        lambda w: {"work_pk": w.objs["final_work"].pk}, {"teacher"}, "post", (302,)
    ),
    "finals:checkin_qr": Entry(lambda w: {"work_pk": w.objs["final_work"].pk}, {"teacher"}),
    "finals:task_detail": Entry(
        lambda w: {"work_pk": w.objs["final_work"].pk, "pk": w.objs["task"].pk}, {"teacher"}
    ),
    "finals:task_attachment": Entry(
        lambda w: {"work_pk": w.objs["final_work"].pk, "pk": w.objs["task"].pk}, {"teacher"}
    ),
    # The growth report: the work's authors and advisors only (not its school, unit, experts
    # or the committee); the student author of the demo-past work has no login.
    "finals:growth_report": Entry(lambda w: {"work_pk": w.objs["past_final_work"].pk}, {"teacher"}),
    # feedback surveys: the committee edits them; the audience (teachers here) answers
    "reports:guide_draft": Entry(lambda w: {"slug": w.objs["edition"].slug}, COMMITTEE),
    "reports:survey_edit": Entry(o("survey"), COMMITTEE),
    "reports:survey_toggle": Entry(
        lambda w: {"pk": w.objs["survey"].pk, "action": "close"}, COMMITTEE, "post", (302,)
    ),
    "reports:question_remove": Entry(o("survey_question"), COMMITTEE, "post", (302,)),
    "reports:survey_answer": Entry(o("survey"), {"teacher"}),
    "finals:certificate_pdf": Entry(
        lambda w: {"code": w.objs["certificate"].code}, {"teacher", "organizer_a", "committee"}
    ),
    "finals:manage_session": Entry(o("session"), COMMITTEE),
    "finals:signin_sheet": Entry(o("session"), COMMITTEE),
    # the teaching-case exchange: teachers sign up (the demo's ``teacher`` has not yet) and
    # cancel (not signed up: refused with a message, nothing changed); the committee's page
    "finals:exchange_signup": Entry(o("exchange_session"), {"teacher"}, "post", (302,)),
    "finals:exchange_cancel": Entry(o("exchange_session"), {"teacher"}, "post", (302,)),
    "finals:manage_exchange": Entry(o("exchange_session"), COMMITTEE),
    # expert guidance: the committee's booking table, the slot expert's notes, the booking
    # page of the teacher's finalist work (its advisor)
    "finals:manage_guidance": Entry(o("guidance_session"), COMMITTEE),
    "finals:guidance_notes": Entry(o("guidance_booking"), {"expert_assigned"}),
    "finals:guidance_book": Entry(lambda w: {"work_pk": w.objs["final_work"].pk}, {"teacher"}),
    "finals:batch_progress": Entry(o("batch"), COMMITTEE),
    "finals:batch_download": Entry(o("batch"), COMMITTEE),
    "finals:verify": Entry(lambda w: {"code": w.objs["certificate"].code}, EVERYONE),
    # the final day: the live board's actions are the committee's; the projector pages open
    # for anyone holding the event's secret link (test_projector_pages_need_the_secret)
    "finals:judge_remind": Entry(
        lambda w: {"pk": w.objs["session"].pk, "judge_pk": w.users["expert_assigned"].pk},
        COMMITTEE,
        "post",
        (302,),
    ),
    "finals:session_current": Entry(
        o("session"), COMMITTEE, "post", (302,), data={"action": "next"}
    ),
    "finals:screen_index": Entry(lambda w: {"token": _screen_token(w)}, EVERYONE),
    "finals:screen": Entry(
        lambda w: {"token": _screen_token(w), "pk": w.objs["session"].pk}, EVERYONE
    ),
    "finals:screen_live": Entry(
        lambda w: {"token": _screen_token(w), "pk": w.objs["session"].pk}, EVERYONE
    ),
    # publicity
    "publicity:list_detail": Entry(o("publicity_list"), EVERYONE),
    "publicity:objection_create": Entry(
        lambda w: {"pk": w.objs["publicity_list"].pk, "entry_pk": w.objs["publicity_entry"].pk},
        SIGNED_IN,
    ),
    "publicity:statement": Entry(o("objection"), NOBODY),
    "publicity:confirm_final": Entry(o("publicity_list"), COMMITTEE, "post", (302,)),
    "publicity:reopen": Entry(o("publicity_list"), COMMITTEE, "post", (302,)),
    "publicity:objection_detail": Entry(o("objection"), COMMITTEE),
    "publicity:evidence_download": Entry(
        lambda w: {"pk": w.objs["objection"].pk, "file_pk": w.objs["evidence"].pk}, COMMITTEE
    ),
    # notifications
    "notifications:open": Entry(o("notification"), {"student_a"}, "post", (302,)),
    "notifications:template_edit": Entry(lambda w: {"kind": "work.submitted"}, COMMITTEE),
    "notifications:template_reset": Entry(
        lambda w: {"kind": "work.submitted"}, COMMITTEE, "post", (302,)
    ),
    # reports
    "reports:table_xlsx": Entry(lambda w: {"key": "units"}, ORGANIZERS),
    "reports:export_detail": Entry(o("export"), {"organizer_a"}),
    "reports:export_download": Entry(o("export"), {"organizer_a"}),
    "reports:edition_clone": Entry(
        lambda w: {"slug": w.objs["old_edition"].slug}, COMMITTEE, "post", (200, 302)
    ),
    "reports:edition_archive": Entry(
        lambda w: {"slug": w.objs["old_edition"].slug}, COMMITTEE, "post", (302,)
    ),
    "reports:summary_download": Entry(o("summary"), COMMITTEE),
    "reports:token_revoke": Entry(o("token"), COMMITTEE, "post", (302,)),
}

# URLs without parameters that are still worth the matrix (they serve files).
PLAIN_REGISTRY: dict[str, Entry] = {
    # import templates (.xlsx), one per import page
    "screening:unit_import_template": Entry(lambda w: {}, {"organizer_a", "organizer_b"}),
    "screening:city_import_template": Entry(lambda w: {}, COMMITTEE),
    # the school confirmation queue and its bulk confirm (nothing selected: refused, 302)
    "screening:school_queue": Entry(lambda w: {}, {"coordinator"}),
    "screening:school_bulk": Entry(lambda w: {}, {"coordinator"}, "post", (302,)),
    "accounts:staff_import_template": Entry(lambda w: {}, COMMITTEE),
    "accounts:school_import_template": Entry(lambda w: {}, ORGANIZERS),
    "accounts:school_export": Entry(lambda w: {}, ORGANIZERS),
    "accounts:roster_template": Entry(lambda w: {}, {"coordinator", "teacher"}),
    "accounts:roster_import": Entry(lambda w: {}, {"coordinator", "teacher"}),
    # the help page: anyone who helps someone (the list is empty for those who help nobody)
    "accounts:people": Entry(
        lambda w: {}, {"coordinator", "organizer_a", "organizer_b", "committee"}
    ),
    "judging:experts_template": Entry(lambda w: {}, COMMITTEE),
    "portal:showcase_import_template": Entry(lambda w: {}, COMMITTEE),
    # the final day: live board, check-in desk, projector link
    "reports:surveys": Entry(lambda w: {}, COMMITTEE),
    "finals:board": Entry(lambda w: {}, COMMITTEE),
    "finals:board_live": Entry(lambda w: {}, COMMITTEE),
    "finals:checkin": Entry(lambda w: {}, COMMITTEE),
    "finals:screen_link": Entry(lambda w: {}, COMMITTEE, "post", (302,)),
    "portal:case_questions_manage": Entry(lambda w: {}, COMMITTEE),
    # the exchange and guidance pages without parameters
    "finals:exchange": Entry(lambda w: {}, {"teacher"}),
    "finals:expert_guidance": Entry(
        lambda w: {}, {"expert_assigned", "expert_free", "expert_conflict"}
    ),
    # SMS-code pages: login and reset are public (signed-in people are sent on to their
    # dashboard from the login one); choosing a new password needs a code accepted in this
    # session first, so without one everybody is sent back to the start of the reset.
    "accounts:phone_login": Entry(lambda w: {}, EVERYONE, ok=(200, 302)),
    "accounts:phone_reset": Entry(lambda w: {}, EVERYONE),
    "accounts:phone_reset_password": Entry(lambda w: {}, EVERYONE, ok=(302,)),
    "accounts:phone_verify": Entry(lambda w: {}, SIGNED_IN),
    # Registration: text a code to the number typed in the form (public, POST only).
    "accounts:register_code": Entry(lambda w: {}, EVERYONE, "post"),
    "accounts:guardian_sms": Entry(lambda w: {}, {"student_a", "student_b"}),
    # Staff accounts with their invitation status; the credentials sheet (a POST without
    # accounts issues nothing and returns to the list with a message).
    "accounts:staff_list": Entry(lambda w: {}, COMMITTEE),
    "accounts:credentials_sheet": Entry(
        lambda w: {},
        {"coordinator", "teacher", "organizer_a", "organizer_b", "committee"},
        "post",
        (302,),
    ),
}

# Checked with S3 storage (test_permission_matrix_of_direct_uploads); with local storage
# these URLs are 404 for everybody. Completing a key that is not the work's own staging
# key is refused (422) even for the author; nobody else gets that far.
S3_REGISTRY: dict[str, Entry] = {
    "submissions:direct_presign": Entry(
        o("draft"), {"student_a"}, "post", (201,), json={"slot": "process", "size": 100}
    ),
    "submissions:direct_complete": Entry(
        o("draft"),
        {"student_a"},
        "post",
        (422,),
        json={"key": "staging/works/0/x/process", "name": "p.pdf"},
    ),
}


def parameterised_url_names() -> dict[str, str]:
    """Every named URL pattern with at least one parameter: name -> route."""
    return {n: r for n, r in named_routes().items() if "<" in r or "(?P" in r}


def _denied(response) -> bool:
    if response.status_code in (401, 403, 404):
        return True
    if response.status_code in (301, 302, 303):
        location = response.headers.get("Location", "")
        return "/login/" in location
    return False


def fingerprint() -> tuple:
    """Everything a refused action could have changed (every change is audited, too)."""
    from gongchuang.accounts.models import School
    from gongchuang.common.models import AuditEvent
    from gongchuang.editions.models import Edition
    from gongchuang.judging.models import Assignment
    from gongchuang.portal.models import Notice
    from gongchuang.publicity.models import PublicityList
    from gongchuang.reports.models import ApiToken
    from gongchuang.submissions.models import Authorship, Work, WorkFile

    return (
        AuditEvent.objects.count(),
        tuple(Work.objects.order_by("pk").values_list("pk", "state", "is_public")),
        WorkFile.objects.count(),
        tuple(Authorship.objects.order_by("pk").values_list("pk", "accepted_at")),
        tuple(Assignment.objects.order_by("pk").values_list("pk", "pinned", "forbidden")),
        tuple(Notice.objects.order_by("pk").values_list("pk", "status", "is_pinned")),
        tuple(PublicityList.objects.order_by("pk").values_list("pk", "final_at")),
        ApiToken.objects.filter(revoked_at__isnull=True).count(),
        Edition.objects.count(),
        Edition.objects.filter(archived_at__isnull=True).count(),
        tuple(School.objects.order_by("pk").values_list("pk", "name", "is_active")),
    )


def _request(client, entry, url, allowed):
    """GET, or POST inside a rolled-back savepoint (so actions never disturb later checks).

    Returns (response, refused): a refused action is a 403/404/login redirect, or an error
    (redirect with a message, JSON 400/422) that changed nothing.
    """
    if entry.method == "get":
        response = client.get(url)
        return response, _denied(response)
    with transaction.atomic():
        before = fingerprint()
        if entry.json is not None:
            response = client.post(url, data=entry.json, content_type="application/json")
        else:
            response = client.post(url, data=entry.data or {})
        after = fingerprint()
        transaction.set_rollback(True)
    # A redirect back with an error message, or a JSON error, that changed nothing, is a refusal.
    refused = _denied(response) or (response.status_code in (302, 400, 422) and before == after)
    return response, refused


@pytest.fixture
def world(db):
    w = build_world()
    plant_extras(w)
    return w


def _clients(world):
    clients = {}
    for role in ROLES:
        client = Client()
        user = world.users[role]
        if user is not None:
            client.force_login(user)
        clients[role] = client
    return clients


def test_every_parameterised_url_is_in_the_matrix():
    names = {n for n in parameterised_url_names() if n.split(":")[0] not in WHOLE_NAMESPACE}
    registered = set(REGISTRY) | set(S3_REGISTRY)
    missing = sorted(names - registered)
    assert not missing, f"New URLs without a permission-matrix entry: {missing}"
    stale = sorted(registered - names)
    assert not stale, f"Matrix entries for URLs that no longer exist: {stale}"


def test_permission_matrix(world, settings):
    settings.DEBUG_PROPAGATE_EXCEPTIONS = False
    _check_matrix(world, REGISTRY | PLAIN_REGISTRY)


def test_permission_matrix_of_direct_uploads(world, s3, settings):
    """The direct-to-bucket endpoints exist only with S3 storage (``s3`` switches it on)."""
    settings.DEBUG_PROPAGATE_EXCEPTIONS = False
    _check_matrix(world, S3_REGISTRY)


def _check_matrix(world, registry):
    clients = _clients(world)
    problems = []
    # Denied roles first (they must not change anything), then allowed roles: GET pages before
    # POST actions, so an allowed action cannot remove an object a later URL needs.
    order = sorted(registry.items(), key=lambda kv: kv[1].method == "post")
    for phase in ("denied", "allowed"):
        for name, entry in order:
            url = reverse(name, kwargs=entry.kwargs(world))
            for role in ROLES:
                allowed = role in entry.allowed
                if allowed != (phase == "allowed"):
                    continue
                response, refused = _request(clients[role], entry, url, allowed)
                if allowed and response.status_code not in entry.ok:
                    problems.append(
                        f"{name} {role}: expected {entry.ok}, got {response.status_code}"
                    )
                if not allowed and not refused:
                    problems.append(f"{name} {role}: LEAK {response.status_code}")
                if not allowed and (page := error_page_problem(response)):
                    problems.append(f"{name} {role}: {page}")
    assert not problems, "\n".join(problems)


def test_school_confirmation_scope(world):
    """A coordinator never opens or confirms another school's work; no district organizer
    opens a work still waiting for its school (not even the work's own district)."""
    from gongchuang.submissions.enums import WorkState
    from gongchuang.submissions.models import Work

    own = world.objs["work_awaiting"]
    other = world.objs["work_awaiting_other_school"]
    clients = _clients(world)
    coordinator = clients["coordinator"]
    other_url = reverse("screening:school_work", kwargs={"pk": other.pk})
    assert coordinator.get(other_url).status_code == 404
    response = coordinator.post(reverse("screening:school_bulk"), {"works": [other.pk]})
    assert response.status_code == 404
    assert Work.objects.get(pk=other.pk).state == WorkState.AWAITING_SCHOOL
    queue = coordinator.get(reverse("screening:school_queue")).content.decode()
    assert own.title in queue and other.title not in queue
    for organizer in ("organizer_a", "organizer_b"):
        for work in (own, other):
            url = reverse("screening:unit_work", kwargs={"pk": work.pk})
            assert clients[organizer].get(url).status_code == 404


def test_projector_pages_need_the_secret(world):
    """Without the event's secret (a wrong one, or after it is switched off) the projector
    pages are 404 for every role, the committee included."""
    from gongchuang.finals import services

    session = world.objs["session"]
    names = {
        "finals:screen_index": lambda t: {"token": t},
        "finals:screen": lambda t: {"token": t, "pk": session.pk},
        "finals:screen_live": lambda t: {"token": t, "pk": session.pk},
    }
    good = _screen_token(world)
    clients = _clients(world)
    for token in (good[:-1] + ("A" if good[-1] != "A" else "B"), "x"):
        for name, kwargs in names.items():
            for role, client in clients.items():
                assert client.get(reverse(name, kwargs=kwargs(token))).status_code == 404, role
    services.screen_token_revoke(event=session.event, actor=world.users["committee"])
    for name, kwargs in names.items():
        for role, client in clients.items():
            assert client.get(reverse(name, kwargs=kwargs(good))).status_code == 404, role


def test_admin_is_staff_only(world):
    """The whole admin namespace: only the (staff) committee gets in; others go to admin login."""
    work = world.objs["work_a"]
    url = reverse("admin:submissions_work_change", args=[work.pk])
    for role, client in _clients(world).items():
        response = client.get(url)
        if role == "committee":
            assert response.status_code == 200, role
        else:
            assert response.status_code == 302, role
            assert reverse("admin:login") in response.headers["Location"], role


def test_api_object_urls_need_token(world):
    """The API answers only to bearer tokens: a browser session (even the committee) is refused."""
    work = world.objs["work_a"]
    urls = [
        reverse("api-v1:get_work", kwargs={"work_id": work.pk}),
        reverse("api-v1:get_edition", kwargs={"slug": world.objs["edition"].slug}),
        reverse("api-v1:list_categories", kwargs={"slug": world.objs["edition"].slug}),
    ]
    clients = _clients(world)
    for url in urls:
        for role in ("anonymous", "student_a", "committee"):
            assert clients[role].get(url).status_code == 401, (url, role)
        assert Client().get(url, HTTP_AUTHORIZATION="Bearer not-a-token").status_code == 401, url
