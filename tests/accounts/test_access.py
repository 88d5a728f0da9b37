"""The one access layer (accounts/access.py): role predicates, the view decorator, the
service check, the registered permissions, and a scan that no module writes its own guard."""

import ast
import pathlib
import re

import pytest
import rules
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.test import RequestFactory
from django.urls import reverse

from gongchuang.accounts import access
from gongchuang.common.errors import DomainError

SRC = pathlib.Path(__file__).resolve().parents[2] / "src" / "gongchuang"

PREDICATES = {
    "is_committee": {"committee"},
    "is_unit_organizer": {"organizer", "organizer_cy"},
    "is_school_coordinator": {"coordinator"},
    "is_expert": {"expert"},
    "is_teacher": {"teacher"},
    "is_student": {"student", "student_b"},
    "is_organiser": {"committee", "organizer", "organizer_cy"},
    "is_signed_in": {
        "student", "student_b", "teacher", "coordinator", "organizer", "organizer_cy",
        "committee", "expert",
    },
}  # fmt: skip


def test_role_predicates_hold_for_exactly_their_roles(roles):
    for name, holders in PREDICATES.items():
        predicate = getattr(access, name)
        holding = {role for role, user in roles.items() if predicate(user)}
        assert holding == holders, name
        assert predicate(AnonymousUser()) is False, name


def test_organises_unit_only_for_the_units_one_organises(roles, units):
    assert access.organises_unit(roles["organizer"], units["hd"]) is True
    assert access.organises_unit(roles["organizer"], units["cy"]) is False
    assert access.organises_unit(roles["organizer"], None) is False
    assert access.organises_unit(roles["committee"], units["hd"]) is False
    assert access.organises_unit(AnonymousUser(), units["hd"]) is False


def test_unit_scoped_perm_combines_committee_and_own_unit(roles, units):
    # reports.upload_schools = is_committee | organises_unit
    assert access.can(roles["committee"], "reports.upload_schools", units["cy"]) is True
    assert access.can(roles["organizer"], "reports.upload_schools", units["hd"]) is True
    assert access.can(roles["organizer"], "reports.upload_schools", units["cy"]) is False
    assert access.can(roles["coordinator"], "reports.upload_schools", units["hd"]) is False


def _guarded(request):
    return HttpResponse("ok")


def _call(user, perm="editions.manage"):
    request = RequestFactory().get("/somewhere/")
    request.user = user
    return access.permission_required(perm)(_guarded)(request)


def test_permission_required_sends_anonymous_visitors_to_login():
    response = _call(AnonymousUser())
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('accounts:login')}?next=/somewhere/"


def test_permission_required_refuses_a_wrong_role(roles):
    with pytest.raises(PermissionDenied):
        _call(roles["organizer"])


def test_permission_required_lets_the_right_role_through(roles):
    response = _call(roles["committee"])
    assert (response.status_code, response.content) == (200, b"ok")


def test_permission_required_names_its_perm():
    assert access.permission_required("editions.manage")(_guarded).permission_required == (
        "editions.manage"
    )


def test_permission_required_checks_the_fetched_object(roles, units):
    def unit_of(request, code):
        return units[code]

    view = access.permission_required("reports.upload_schools", obj=unit_of)(
        lambda request, code: HttpResponse(code)
    )
    request = RequestFactory().get("/")
    request.user = roles["organizer"]
    assert view(request, code="hd").content == b"hd"
    with pytest.raises(PermissionDenied):
        view(request, code="cy")


@pytest.mark.parametrize(
    ("role", "status"), [("anonymous", 302), ("organizer", 403), ("committee", 200)]
)
def test_a_real_page_answers_per_role(client, roles, role, status):
    if role != "anonymous":
        client.force_login(roles[role])
    response = client.get(reverse("notifications:template_list"))
    assert response.status_code == status
    if status == 302:
        assert response["Location"].startswith(reverse("accounts:login"))


def test_require_raises_a_forbidden_domain_error(roles):
    with pytest.raises(DomainError) as refused:
        access.require(roles["organizer"], "editions.manage", message="只有组委会可以操作。")
    assert (refused.value.code, refused.value.message) == ("forbidden", "只有组委会可以操作。")


def test_require_has_a_default_message_and_passes_when_allowed(roles):
    with pytest.raises(DomainError) as refused:
        access.require(roles["student"], "editions.manage")
    assert refused.value.code == "forbidden" and refused.value.message
    assert access.require(roles["committee"], "editions.manage") is None


REGISTERED = {
    "common.view_audit_log", "editions.manage", "finals.certificates", "finals.judge",
    "finals.manage", "finals.generate_certificates", "judging.manage", "judging.review",
    "notifications.manage_templates", "portal.change_notice", "portal.manage_guide",
    "portal.manage_showcase", "portal.write_notice_for", "portal.write_notices",
    "publicity.give_statement", "publicity.manage", "reports.manage", "reports.upload_schools",
    "reports.view", "screening.city_review", "screening.see_full_names", "screening.unit_decide",
    "screening.unit_review", "submissions.coordinate",
}  # fmt: skip


def test_each_app_registers_its_perms_when_ready():
    """Each app's rules.py is imported by its AppConfig.ready: the registry is complete."""
    missing = sorted(p for p in REGISTERED if not rules.perm_exists(p))
    assert missing == []


# --- No module writes its own role guard --------------------------------------------------

# A function so named is a hand-written guard (committee_required, _committee_only, …).
GUARD_NAME = re.compile(
    r"(committee|organi[sz]er|expert|coordinator|writer|role|reviewer)_(required|only)$"
    r"|^_?require_(committee|writer|organi[sz]er|unit_reviewer|role|expert)"
    r"|^_?committee_only$|^_?can_manage"
)
ROLE_ATTRIBUTES = {"is_committee", "roles", "holds_staff_role"}
ROLE_CALLS = {
    "unit_ids_for", "school_ids_for", "has_role",
    "is_committee", "is_unit_organizer", "is_school_coordinator", "is_expert",
}  # fmt: skip
REFUSALS = {"PermissionDenied", "DomainError"}
# Guards the lead switches to ``require`` (finals/services.py belongs to another helper now)
# and the accounts views another helper is converting. Remove an entry once its file is clean:
# test_pending_guards_are_still_there fails as a reminder.
PENDING: set[str] = set()  # files whose guards wait for a conversion (none left)


def _name(node) -> str | None:
    return node.attr if isinstance(node, ast.Attribute) else getattr(node, "id", None)


def _reads_role(node) -> bool:
    for n in ast.walk(node):
        if isinstance(n, ast.Attribute) and n.attr in ROLE_ATTRIBUTES:
            return True
        if isinstance(n, ast.Call) and _name(n.func) in ROLE_CALLS:
            return True
    return False


def _refuses(statements) -> bool:
    for statement in statements:
        for n in ast.walk(statement):
            if isinstance(n, ast.Raise) and n.exc is not None:
                exc = n.exc.func if isinstance(n.exc, ast.Call) else n.exc
                if _name(exc) in REFUSALS:
                    return True
    return False


def guards_in(source: str) -> list[str]:
    """``def`` names and ``if`` lines of ``source`` that decide access by role themselves."""
    found = []
    for fn in ast.walk(ast.parse(source)):
        if not isinstance(fn, ast.FunctionDef | ast.AsyncFunctionDef):
            continue
        if GUARD_NAME.search(fn.name):
            found.append(f"def {fn.name} (line {fn.lineno})")
        for n in ast.walk(fn):
            if isinstance(n, ast.If) and _reads_role(n.test) and _refuses(n.body):
                found.append(f"role check in {fn.name} (line {n.lineno})")
    return found


def _modules():
    for path in sorted(SRC.rglob("*.py")):
        rel = path.relative_to(SRC).as_posix()
        if rel == "accounts/access.py" or path.name == "rules.py" or "/migrations/" in rel:
            continue
        yield rel, path


def test_no_module_writes_its_own_role_guard():
    problems = [
        f"{rel}: {guard}"
        for rel, path in _modules()
        if rel not in PENDING
        for guard in guards_in(path.read_text(encoding="utf-8"))
    ]
    assert problems == [], "use accounts.access (permission_required / require / can)"


def test_pending_guards_are_still_there():
    stale = [
        rel
        for rel in sorted(PENDING)
        if not (SRC / rel).exists() or not guards_in((SRC / rel).read_text(encoding="utf-8"))
    ]
    assert stale == [], "these files are clean now: remove them from PENDING"


@pytest.mark.parametrize(
    "source",
    [
        "def committee_required(view):\n    return view\n",
        "def _committee_only(request):\n    pass\n",
        "def v(request):\n    if not request.user.is_committee:\n        raise PermissionDenied\n",
        "def s(actor, unit):\n    if unit.pk not in actor.unit_ids_for('x'):\n"
        "        raise DomainError('no', code='forbidden')\n",
        "def s(actor):\n    if Role.EXPERT not in actor.roles:\n        raise PermissionDenied()\n",
    ],
)
def test_the_scan_recognises_a_guard(source):
    assert guards_in(source) != []


def test_the_scan_leaves_scoping_alone():
    source = (
        "def visible(user, qs):\n    if user.is_committee:\n        return qs\n"
        "    return qs.filter(unit_id__in=user.unit_ids_for('unit_organizer'))\n"
    )
    assert guards_in(source) == []
