"""Every form a person can reach, fuzzed: no server error, no payload live on any page.

For each role that has pages, a crawler (``_crawl``) starts from the role's dashboard, the home
page, every URL without parameters and the permission matrix's pages for the role, follows links
and redirects (at most two pages per view), and parses each ``<form>`` (``_forms``); a link with
a query string counts as a filled-in GET form. Each distinct form (its action's URL name and
non-id arguments, method, field names and submit buttons) is then submitted by that role, once
per submit button:

- once with NUL, and once with a 10,000-character string, in every field (``EVERY_FIELD``);
- EXAMPLES times with values drawn by Hypothesis (``_fuzz.field_value``), derandomised: text
  gets scripts, template syntax, SQL, control characters, emoji, RTL marks and long strings;
  numbers, dates, selects, checkboxes and hidden ids get values of the wrong type or options
  that do not exist; ``next`` gets off-site URLs; files get hostile names and contents. Two
  examples in three keep to what a browser lets through (types, options, maxlength) so that
  the hostile text gets stored.

The real CSRF token is sent, and the client checks it like a browser. For every submission: no
response, nor a redirect it leads to, is a server error (5xx) or goes off-site, and the
response, the redirect targets and the form's own page contain no live payload
(``_fuzz.unsafe_markup``); then every page the role crawled and every public page that reads a
table the submission wrote markup-like text to (``_crawl.Tables``) is fetched again and checked
the same way (a page that reads none of them cannot show it). State is reset per form (a
rolled-back savepoint) and the role's cookies per submission, so logging out, deleting one's
account or switching the language spoils nothing and no form needs to be skipped.

Coverage: every form the crawl finds must have been submitted (``test_fuzz_every_form``); every
view that takes a POST must be the action of a form the crawl finds, every ``{% url %}`` action
written in a template's ``<form>`` must be found, and every template with a form must be
rendered (``test_every_form_is_reached``). A new form on a page nobody reaches fails until the
page is reached (plant its object in ``_world`` or in the ``world`` fixture here) or it is
allowlisted below with a reason. ``FUZZ_EXAMPLES=20`` makes a longer hunt.
"""

import collections
import copy
import datetime
import os
from urllib.parse import urlsplit

import pytest
from django.core.cache import cache
from django.db import connection, transaction
from django.test import Client, TestCase
from django.urls import reverse
from django.utils import timezone
from hypothesis import given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from ._crawl import (
    SKIPPED_NAMESPACES,
    Crawl,
    Found,
    Tables,
    accepts_post,
    client_for,
    crawl,
    form_templates,
)
from ._forms import Form, parse
from ._fuzz import EVERY_FIELD, FUZZ, field_value, unsafe_markup
from ._pages import error_page_problem
from ._world import build_world, named_patterns, named_routes, plant_extras
from .test_permission_matrix import REGISTRY

# The roles with pages of their own (the matrix's second student and organizer reach the same
# forms as the first; the expert without an assignment has not signed the pledge yet).
ROLES = (
    "anonymous", "student_a", "teacher", "coordinator", "organizer_a", "expert_assigned",
    "expert_free", "committee",
)  # fmt: skip
# Per form and role: 3 keep the module under two minutes on 2 cores; raise it for a longer hunt.
EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "3"))

# Views taking a POST that no crawled form submits to: URL name -> why.
NOT_SUBMITTABLE = {
    "submissions:upload_create": "JSON from the upload script (resumable uploads); "
    "tests/submissions/test_resumable.py",
    "submissions:upload_finalize": "JSON from the upload script; "
    "tests/submissions/test_resumable.py",
    "submissions:direct_presign": "JSON from the upload script, with S3 storage only; "
    "tests/submissions/test_direct_upload.py",
    "submissions:direct_complete": "JSON from the upload script, with S3 storage only; "
    "tests/submissions/test_direct_upload.py",
    "finals:judge_sync": "JSON from the offline judging app's script; tests/finals/test_views.py",
    "judging:review_draft": "autosave of the review form by its script (fetch); "
    "tests/judging/test_discussion.py, tests/e2e/test_jury_discussion_e2e.py",
    "accounts:register_code": "the registration form's send-code button posts it with htmx "
    "(hx-post, not a form action); tests/accounts/test_registration_phone.py, "
    "tests/security/test_fuzz_forms.py::test_registration_codes",
    "accounts:guardian_sms": "its form shows only to a student with a guardian's number on "
    "file (the demo's student2, not a crawled role); tests/accounts/test_registration_phone.py",
    "finals:exchange_cancel": "shown only to a teacher signed up for the exchange session (the "
    "demo's teacher_li …, not a crawled role); tests/finals/test_exchange.py, "
    "tests/e2e/test_exchange_e2e.py",
    "portal:case_question_answer": "shown only to a case's authors once the committee approved a "
    "question on it; tests/portal/test_case_questions.py, tests/e2e/test_exchange_e2e.py",
    "accounts:two_factor_disable": "shown only with two-factor login on, when every page first "
    "asks for a one-time code; tests/privacy/test_two_factor.py",
    "accounts:phone_reset_password": "reached only after a right SMS code is checked in the "
    "session; tests/accounts/test_phone_pages.py, tests/e2e/test_phone_code_e2e.py",
    "editions:make_current": "offered only on the settings page of an edition that is not the "
    "current one; tests/editions/test_settings_pages.py",
    "reports:export_works": "the download link is a GET; its POST form (start a background "
    "export) shows only for more works than SYNC_EXPORT_LIMIT; tests/reports/test_exports.py",
}  # fmt: skip
# Templates with a <form> that no role's crawl renders: template name -> why.
TEMPLATES_NOT_REACHED: dict[str, str] = {
    "reports/export_confirm.html": NOT_SUBMITTABLE["reports:export_works"],
    "accounts/phone_reset_password.html": NOT_SUBMITTABLE["accounts:phone_reset_password"],
}


def start_urls(world, role: str) -> list[str]:
    # The planted pages first: a password-reset link works once, before the matrix's dead one.
    urls = [*world.objs["extra_pages"].get(role, []), reverse("portal:home")]
    urls.append(reverse("accounts:dashboard"))
    for name, route in named_routes().items():
        if name.split(":")[0] not in SKIPPED_NAMESPACES and "<" not in route:
            urls.append(reverse(name))
    for name, entry in REGISTRY.items():
        if entry.method == "get" and role in entry.allowed:
            urls.append(reverse(name, kwargs=entry.kwargs(world)))
    return urls


class Fuzzer:
    """Submits a role's forms and collects every problem (rather than stopping at the first)."""

    def __init__(self, world, role: str, client: Client, crawled: Crawl, public: Crawl):
        self.world, self.role, self.crawled, self.public = world, role, crawled, public
        self.client = client  # the crawl's: its CSRF cookie is what the forms' tokens match
        self.audiences: list = []  # (client, crawl) whose pages a submission may show on
        self.problems: list[str] = []
        self.statuses: dict = collections.defaultdict(collections.Counter)  # key -> statuses

    def check(self, response, what: str) -> bool:
        """Record a server error or a live payload; False after a server error."""
        if response.status_code >= 500:
            error = getattr(response, "exc_info", None)
            self.problems.append(f"{what}: {response.status_code} {error and error[1]!r}")
            return False
        if response.status_code == 200 and "html" in response.headers.get("Content-Type", ""):
            found = unsafe_markup(response.content.decode())
            if found:
                self.problems.append(f"{what}: live payload {found[:3]}")
        if page := error_page_problem(response):
            self.problems.append(f"{what}: {page}")
        return True

    def follow(self, response, what: str) -> bool:
        for _ in range(3):
            if response.status_code not in (301, 302, 303):
                break
            location = response.headers["Location"]
            parts = urlsplit(location)
            if parts.netloc not in ("", "testserver") or parts.scheme not in ("", "http"):
                self.problems.append(f"{what}: redirects off-site to {location[:80]}")
                return True
            what = f"{what} -> {parts.path}"
            response = self.client.get(location)
            if not self.check(response, what):
                return False
        return True

    @staticmethod
    def draw(form: Form, button, data) -> dict:
        values, store = {}, data.draw(st.sampled_from([True, True, False]), label="store")
        for name, field in form.fields.items():
            if name == "csrfmiddlewaretoken":
                values[name] = field.value
            elif (value := data.draw(field_value(field, store), label=name)) is not None:
                values[name] = value
        if button is not None:
            values[button[0]] = button[1]
        return values

    def submit(self, key, found: Found, values: dict) -> bool:
        """One submission: send it, check the answer, where it leads and the form's page, then
        every page that could show what it stored; False after a server error."""
        form, tables = found.form, Tables()
        what = f"{self.role} {found.action_name} on {found.page} {_short(values)}"
        cookies = copy.deepcopy(self.client.cookies)
        try:
            with (
                connection.execute_wrapper(tables),
                TestCase.captureOnCommitCallbacks(execute=True),
            ):
                if form.method == "post":
                    response = self.client.post(form.action, values)
                else:
                    response = self.client.get(form.path, values)
            self.statuses[key][response.status_code] += 1
            if response.status_code == 403 and b'data-testid="csrf-failure"' in response.content:
                self.problems.append(f"{what}: the fuzzer's CSRF token was refused")
            return (
                self.check(response, what)
                and self.follow(response, what)
                and self.check(self.client.get(found.page), f"{what}, then {found.page}")
                and self.sweep(tables.tainted, what)
            )
        finally:
            self.client.cookies = cookies  # logged in again, in the same language
            cache.clear()

    def sweep(self, tainted: set, what: str) -> bool:
        """The role's pages and the public pages that read a table written with markup."""
        for client, crawled in self.audiences:
            for url, reads in crawled.pages.items():
                if reads & tainted and not self.check(client.get(url), f"{what}, then {url}"):
                    return False
        return True

    def fuzz(self, key, found: Found, button):
        """With ``button`` clicked: one submission per EVERY_FIELD value in all fields at once,
        then EXAMPLES drawn by Hypothesis; all rolled back at the end."""
        broken = []

        @hsettings(FUZZ, max_examples=EXAMPLES)
        @given(data=st.data())
        def examples(data):
            values = self.draw(found.form, button, data)
            if not broken and not self.submit(key, found, values):
                broken.append(key)  # after a server error the transaction may be unusable

        with transaction.atomic():
            # Sessions of their own: a submission may log out, or delete, the form's own.
            self.audiences = [(client_for(self.world, self.role), self.crawled)]
            if self.role != "anonymous":
                self.audiences.append((client_for(self.world, "anonymous"), self.public))
            for value in EVERY_FIELD:
                if not broken and not self.submit(key, found, every(found.form, button, value)):
                    broken.append(key)
            examples()
            transaction.set_rollback(True)


def every(form: Form, button, value: str) -> dict:
    """``value`` in every field (the CSRF token aside)."""
    values = {
        name: field.value if name == "csrfmiddlewaretoken" else value
        for name, field in form.fields.items()
    }
    if button is not None:
        values[button[0]] = button[1]
    return values


def _short(values: dict) -> str:
    return repr({k: (v[:60] if isinstance(v, str) else v) for k, v in values.items()})[:400]


@pytest.fixture
def world(db, settings):
    """The matrix's world, plus what shows the forms it lacks: a password-reset link, a work
    awaiting the district's decision, a finalist work of the teacher's before the final, an
    objection awaiting the district's statement and a deactivated school."""
    from django.contrib.auth.tokens import default_token_generator
    from django.utils.encoding import force_bytes
    from django.utils.http import urlsafe_base64_encode

    from gongchuang.accounts.access import can
    from gongchuang.accounts.enums import Role
    from gongchuang.accounts.models import School
    from gongchuang.accounts.onboarding import send_invitation
    from gongchuang.accounts.registration import activation_url
    from gongchuang.portal import services as portal
    from gongchuang.portal.models import Notice
    from gongchuang.publicity import services as publicity
    from gongchuang.submissions.models import Authorship, Work
    from tests.factories import people
    from tests.publicity.helpers import finalist

    settings.DEBUG_PROPAGATE_EXCEPTIONS = False
    w = build_world()
    plant_extras(w)
    users = w.users
    student = users["student_a"]
    uid, token = (
        urlsafe_base64_encode(force_bytes(student.pk)),
        default_token_generator.make_token(student),
    )
    waiting = Work.objects.filter(unit__code="HD", state="submitted").first()
    author = people.student(waiting.school, real_name="赵决赛")
    final = finalist(w.objs["edition"], author, users["committee"])
    Authorship.objects.create(
        work=final, user=users["teacher"], edition=final.edition, role="advisor", order=1,
        accepted_at=timezone.now(),
    )  # fmt: skip
    entry = w.objs["publicity_list"].entries.get(work__unit__code="HD")
    objection = publicity.objection_file(
        entry=entry, objector=users["student_b"], contact="13900000000",
        reason="该作品与往届获奖作品高度相似，请组委会核查原创性。" * 2,
    )  # fmt: skip
    objection = publicity.objection_request_statement(
        objection=objection, actor=users["committee"], source="unit",
        deadline=timezone.now() + datetime.timedelta(days=7),
    )  # fmt: skip
    assert can(users["organizer_a"], "publicity.give_statement", objection)
    shown, hidden = Notice.objects.filter(status="published").exclude(pk=w.objs["notice"].pk)[:2]
    portal.notice_pin(notice=shown, actor=users["committee"], pinned=True)  # shows "unpin"
    portal.notice_unpublish(notice=hidden, actor=users["committee"])  # shows "publish"
    finalists = reverse("judging:finalists", args=[w.objs["jury"].pk])
    pending = people.student(waiting.school, real_name="待激活", active=False)
    School.objects.create(unit=waiting.unit, name="已停用的学校", is_active=False)  # "reactivate"
    invitee = people.staff(Role.EXPERT, username="fuzz_invitee")  # an open invitation link
    invitation = send_invitation(invitee, by=users["committee"])
    from gongchuang.reports.models import Survey

    # Last year's students' survey, closed: its page shows "open" (the demo's are open, and
    # this edition has none yet, so the list page shows its "create" form).
    not_open = Survey.objects.get(edition__slug="demo-past", audience="students")
    Survey.objects.filter(pk=not_open.pk).update(closed_at=timezone.now())
    w.objs["extra_pages"] = {  # role -> pages no link or matrix entry leads to
        "anonymous": [
            reverse("accounts:password_reset_confirm", args=[uid, token]),
            activation_url(pending),
            invitation.link,
        ],
        "committee": [
            f"{finalists}?level=junior&rule=count&value=2",  # the approval form
            reverse("reports:survey_edit", args=[not_open.pk]),
        ],
        "organizer_a": [
            reverse("screening:unit_work", args=[waiting.pk]),
            reverse("publicity:statement", args=[objection.pk]),
        ],
    }
    return w


@pytest.mark.parametrize("role", ROLES)
def test_fuzz_every_form(world, role):
    """Every form the role reaches survives hostile input, and every one of them was fuzzed."""
    client = client_for(world, role)
    crawled = crawl(client, start_urls(world, role))
    public = crawl(client_for(world, "anonymous"), start_urls(world, "anonymous"))
    fuzzer = Fuzzer(world, role, client, crawled, public)
    for key, found in crawled.forms.items():
        if found.action_name not in NOT_SUBMITTABLE:
            for button in found.form.submitters():
                fuzzer.fuzz(key, found, button)
    assert not fuzzer.problems, "\n".join(fuzzer.problems)
    unfuzzed = sorted(
        f"{found.action_name} on {found.page}"
        for key, found in crawled.forms.items()
        if not fuzzer.statuses[key] and found.action_name not in NOT_SUBMITTABLE
    )
    assert not unfuzzed, f"Forms found but never submitted: {unfuzzed}"
    print(f"\n{role}: {len(crawled.pages)} pages; forms fuzzed, with the statuses they answered:")
    for key in sorted(crawled.forms, key=str):
        words = ",".join(f"{k}={v}" for k, v in key[2])
        print(
            f"  {key[0].upper()} {key[1]} {words} ({', '.join(key[3])})", dict(fuzzer.statuses[key])
        )


def test_every_form_is_reached(world):
    """Every view that takes a POST, every form action written in a template and every template
    with a form is reached by some role's crawl (so fuzzed), or allowlisted with a reason."""
    rendered, actions, found = set(), set(), set()
    for role in ROLES:
        crawled = crawl(client_for(world, role), start_urls(world, role))
        rendered |= crawled.templates
        actions |= {f.action_name for f in crawled.forms.values() if f.form.method == "post"}
        found |= {(key[1], tuple(value for _arg, value in key[2])) for key in crawled.forms}
    posts = {
        name
        for name, (_route, view) in named_patterns().items()
        if name.split(":")[0] not in SKIPPED_NAMESPACES and accepts_post(view)
    }
    missing = sorted(posts - actions - set(NOT_SUBMITTABLE))
    assert not missing, f"Views taking a POST that no crawled form submits to: {missing}"
    stale = sorted(set(NOT_SUBMITTABLE) & actions)
    assert not stale, f"Allowlisted as not submittable, but a crawled form submits to: {stale}"
    assert set(NOT_SUBMITTABLE) <= posts, set(NOT_SUBMITTABLE) - posts

    templates = form_templates()
    in_templates = {action for actions in templates.values() for action in actions}
    missing = sorted(
        (name, words)
        for name, words in in_templates
        if name not in NOT_SUBMITTABLE
        and not any(n == name and set(words) <= set(values) for n, values in found)
    )
    assert not missing, f"Form actions in templates that no crawled form has: {missing}"

    expected = set(templates)
    missing = sorted(expected - rendered - set(TEMPLATES_NOT_REACHED))
    assert not missing, f"Templates with a form the crawl never renders: {missing}"
    stale = sorted(set(TEMPLATES_NOT_REACHED) & rendered)
    assert not stale, f"Allowlisted templates that the crawl renders now: {stale}"
    gone = sorted(set(TEMPLATES_NOT_REACHED) - expected)
    assert not gone, f"Allowlisted templates without a form (or gone): {gone}"


def test_the_form_parser_sees_what_a_browser_would_submit():
    html = """<form method="POST" action="/x/?a=1" enctype="multipart/form-data" id="f">
      <input type="hidden" name="csrfmiddlewaretoken" value="tok"><input name="t" maxlength="5">
      <input type="checkbox" name="c" value="1" checked><input type="checkbox" name="c" value="2">
      <input type="radio" name="r" value="x"><input type="radio" name="r" value="y">
      <select name="s"><option value="">-</option><option value="7" selected>七</option></select>
      <textarea name="ta">hi</textarea><input type="file" name="up" required>
      <input name="off" disabled><button name="go" value="save">s</button><button>plain</button>
    </form><input name="outside" form="f" value="o"><a href="/next/">n</a>"""
    [form], links = parse(html, "http://testserver/page/")
    assert (form.method, form.action, form.path) == ("post", "http://testserver/x/?a=1", "/x/")
    assert sorted(form.fields) == ["c", "csrfmiddlewaretoken", "outside", "r", "s", "t", "ta", "up"]
    assert (form.fields["c"].options, form.fields["c"].multiple) == (["1", "2"], True)
    assert (form.fields["r"].options, form.fields["r"].multiple) == (["x", "y"], False)
    assert (form.fields["s"].options, form.fields["s"].value) == (["", "7"], "7")
    assert (form.fields["ta"].value, form.fields["t"].maxlength) == ("hi", 5)
    assert (form.fields["up"].kind, form.fields["up"].required) == ("file", True)
    assert form.submitters() == [("go", "save"), None]
    assert links == ["http://testserver/next/"]
