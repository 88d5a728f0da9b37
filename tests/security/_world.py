"""A demo world (``seed_demo``) plus the extra people and objects the security tests need."""

import datetime
from dataclasses import dataclass, field

from django.core.files.base import ContentFile
from django.core.management import call_command
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone

from gongchuang.accounts.enums import Role
from gongchuang.accounts.models import School, User
from gongchuang.submissions.models import Work
from tests.factories import people
from tests.screening.factories import attach, png_bytes
from tests.screening.factories import work as screening_work


@dataclass
class World:
    users: dict = field(default_factory=dict)  # role key -> User (None = anonymous)
    objs: dict = field(default_factory=dict)


def named_patterns() -> dict[str, tuple[str, object]]:
    """Every named URL pattern: "namespace:name" -> (route, view)."""
    found = {}

    def walk(patterns, prefix, namespace):
        for p in patterns:
            if isinstance(p, URLResolver):
                ns = ":".join(filter(None, [namespace, p.namespace]))
                walk(p.url_patterns, prefix + str(p.pattern), ns)
            elif isinstance(p, URLPattern) and p.name:
                name = ":".join(filter(None, [namespace, p.name]))
                found[name] = (prefix + str(p.pattern), p.callback)

    walk(get_resolver().url_patterns, "", "")
    return found


def named_routes() -> dict[str, str]:
    """Every named URL pattern: "namespace:name" -> route."""
    return {name: route for name, (route, _view) in named_patterns().items()}


def build_world() -> World:
    from gongchuang.judging.models import Assignment, ConflictDeclaration, Jury

    call_command("seed_demo", stdout=open("/dev/null", "w"))
    u = {name: User.objects.get(username=name) for name in (
        "student", "student3", "teacher", "coordinator", "organizer", "organizer2", "committee",
    )}  # fmt: skip
    w = World()
    w.users = {
        "anonymous": None,
        "student_a": u["student"],
        "student_b": u["student3"],
        "teacher": u["teacher"],
        "coordinator": u["coordinator"],
        "organizer_a": u["organizer"],
        "organizer_b": u["organizer2"],
        "committee": u["committee"],
    }
    # Experts: one with an assignment on the target work, one without, one conflicted on it.
    assignment = (
        Assignment.objects.filter(forbidden=False, expert__pledges__isnull=False)
        .select_related("work", "expert")
        .first()
    )
    w.objs["assignment"] = assignment
    w.objs["jury"] = assignment.jury
    w.objs["judged_work"] = assignment.work
    w.users["expert_assigned"] = assignment.expert
    # The assigned expert also leads the jury (consensus notes, the lead's page).
    Jury.objects.filter(pk=assignment.jury_id).update(lead=assignment.expert)
    w.users["expert_free"] = people.staff(Role.EXPERT, username="sec_expert_free")
    conflicted = people.staff(Role.EXPERT, username="sec_expert_conflict")
    Assignment.objects.create(
        jury=assignment.jury, work=assignment.work, expert=conflicted, forbidden=True
    )
    ConflictDeclaration.objects.create(expert=conflicted, work=assignment.work, reason="亲属")
    w.users["expert_conflict"] = conflicted
    w.objs["work_a"] = Work.objects.filter(authorships__user=u["student"]).first()
    return w


def plant_extras(w):
    """Objects the demo does not create: uploads, exports, tokens, evidence, batches."""
    from gongchuang.editions.models import Edition, EditionImage, PhaseWindow
    from gongchuang.editions.services import edition_create_from_defaults
    from gongchuang.finals.models import (
        Certificate,
        CertificateBatch,
        FinalistAttendance,
        GuidanceBooking,
        GuidanceSlot,
        OnsiteTask,
        SessionJudge,
        TaskSubmission,
    )  # fmt: skip
    from gongchuang.notifications.models import Notification
    from gongchuang.portal.models import GuideDocument, Notice, NoticeAttachment
    from gongchuang.publicity.models import (
        Objection,
        ObjectionEvidence,
        PublicityEntry,
        PublicityList,
    )
    from gongchuang.reports.models import ApiToken, Export, SummaryReport
    from gongchuang.submissions.models import Authorship, UploadSession, Work, WorkFile

    s = w.users
    edition = Edition.objects.get(slug="demo")
    w.objs["edition"] = edition
    # The demo's identity images (demo/editions.py): the banner is public, the seal is not.
    w.objs["banner"] = EditionImage.objects.get(edition=edition, kind="banner")
    w.objs["seal"] = EditionImage.objects.get(edition=edition, kind="seal")
    w.objs["old_edition"] = edition_create_from_defaults(year=2019, slug="t2019", code="2019")[0]
    w.objs["window"] = PhaseWindow.objects.filter(edition=edition).first()
    w.objs["work_rec"] = (
        Work.objects.filter(edition=edition, unit__code="HD", state="recommended")
        .exclude(pk=w.objs["work_a"].pk)
        .first()
    )
    w.objs["file_a"] = WorkFile.objects.filter(work=w.objs["work_a"]).first()
    # School confirmation (on in the demo): a work waiting at the coordinator's school, and
    # one waiting at another school of the same district.
    from gongchuang.submissions.services import transition_work

    waiting = Work.objects.filter(edition=edition, state="awaiting_school")
    w.objs["work_awaiting"] = waiting.get(title="AI 生成的京剧脸谱")
    primary = School.objects.get(name="北京市海淀区示范小学")
    other = screening_work(edition, unit=primary.unit, school=primary, submit=False)
    w.objs["work_awaiting_other_school"] = transition_work(
        other, "awaiting_school", actor=other.created_by
    )
    draft = Work.objects.filter(created_by=s["student_a"], state="draft").first()
    if draft is None:  # the demo student's work is submitted: give them a second (team) draft
        draft = Work.objects.filter(state="draft", authorships__role="advisor").first()
        Authorship.objects.filter(work=draft, role="author").update(user=s["student_a"])
        Work.objects.filter(pk=draft.pk).update(created_by=s["student_a"])
        draft.refresh_from_db()
    w.objs["draft"] = draft
    w.objs["draft_advisor"] = draft.authorships.filter(role="advisor").first()
    w.objs["draft_file"] = WorkFile.objects.filter(work=draft).first()
    w.objs["upload"] = UploadSession.objects.create(
        token="sec-upload-token", work=draft, slot="artwork", user=s["student_a"],
        original_name="a.png", size=10, temp_name="sec-upload.part",
    )  # fmt: skip
    w.objs["judged_file"] = WorkFile.objects.filter(work=w.objs["judged_work"]).first() or attach(
        w.objs["judged_work"],
        slot="artwork",
        data=png_bytes(),
        name="j.png",
        kind="image",
        mime="image/png",
    )
    w.objs["notice"] = Notice.objects.filter(status="published").first() or Notice.objects.first()
    w.objs["notice_attachment"] = NoticeAttachment.objects.first()
    w.objs["guide_document"] = GuideDocument.objects.first()
    public = Work.objects.filter(is_public=True, files__isnull=False).first()
    w.objs["public_work"] = public
    w.objs["public_file"] = public.files.filter(kind="image").first() or public.files.first()
    # The demo's open final (last year's finished one is in the demo-past edition).
    attendance = FinalistAttendance.objects.filter(
        event__edition=edition, work__authorships__user=s["teacher"]
    ).first()
    w.objs["final_work"] = attendance.work
    task = OnsiteTask.objects.filter(session__event=attendance.event).first()
    task.attachment.save("task.pdf", ContentFile(b"%PDF-1.4 task"), save=False)
    task.attachment_name = "task.pdf"
    task.save()
    w.objs["task"] = task
    w.objs["session"] = task.session
    SessionJudge.objects.get_or_create(session=task.session, judge=s["expert_assigned"])
    sub = TaskSubmission(
        task=w.objs["task"], work=attendance.work, text="答案", submitted_by=s["teacher"],
        submitted_at=timezone.now(), file_name="answer.pdf",
    )  # fmt: skip
    sub.file.save("answer.pdf", ContentFile(b"%PDF-1.4 answer"), save=False)
    sub.save()
    w.objs["task_submission"] = sub
    # Its results are not published yet: the teacher's certificate as publishing would issue it.
    w.objs["certificate"] = Certificate.objects.create(
        event=attendance.event, work=attendance.work, user=s["teacher"], role="advisor",
        award="五星作品", star_level="five", issued_on=timezone.localdate(),
    )  # fmt: skip
    batch = CertificateBatch(event=attendance.event, requested_by=s["committee"], status="done")
    batch.zip_file.save("b.zip", ContentFile(b"PK\x05\x06" + b"\x00" * 18), save=False)
    batch.save()
    w.objs["batch"] = batch
    # The exchange and guidance sessions of the demo's final: a licensed case file; a slot
    # of the assigned expert booked by the teacher's finalist work (final1's).
    w.objs["case_file"] = WorkFile.objects.filter(
        work__category__code="teaching_case", work__is_public=True,
        work__case_licence="cc_by_nc_4", kind="pdf",
    ).first()  # fmt: skip
    from gongchuang.portal.models import CaseQuestion

    w.objs["question_published"] = CaseQuestion.objects.filter(status="approved").first()
    w.objs["question_pending"] = CaseQuestion.objects.filter(status="pending").first()
    w.objs["exchange_session"] = attendance.event.sessions.get(kind="teaching_exchange")
    guidance = attendance.event.sessions.get(kind="expert_guidance")
    w.objs["guidance_session"] = guidance
    slot = GuidanceSlot.objects.create(
        session=guidance, expert=s["expert_assigned"],
        starts_at=guidance.ends_at - datetime.timedelta(minutes=30), ends_at=guidance.ends_at,
    )  # fmt: skip
    w.objs["guidance_booking"] = GuidanceBooking.objects.create(
        slot=slot, event=attendance.event, work=attendance.work, booked_by=s["teacher"]
    )
    w.objs["publicity_list"] = PublicityList.objects.filter(edition=edition).first()
    w.objs["publicity_entry"] = PublicityEntry.objects.filter(
        publicity_list=w.objs["publicity_list"]
    ).first()
    objection = Objection.objects.first()
    w.objs["objection"] = objection
    ev = ObjectionEvidence(
        objection=objection, original_name="证据.pdf", size=10, mime="application/pdf"
    )
    ev.file.save("e.pdf", ContentFile(b"%PDF-1.4 ev"), save=False)
    ev.save()
    w.objs["evidence"] = ev
    w.objs["notification"] = Notification.objects.filter(recipient=s["student_a"]).first()
    export = Export(
        edition=edition, requested_by=s["organizer_a"], status="done", total=1, rows_done=1
    )
    export.file.save("x.xlsx", ContentFile(b"PK\x05\x06" + b"\x00" * 18), save=False)
    export.save()
    w.objs["export"] = export
    summary = SummaryReport(edition=edition, requested_by=s["committee"], status="done")
    summary.file.save("s.pdf", ContentFile(b"%PDF-1.4 s"), save=False)
    summary.save()
    w.objs["summary"] = summary
    w.objs["token"] = ApiToken.objects.create(
        user=s["committee"], name="t", key_hash="0" * 64, prefix="abcd"
    )
    # A staff account created by someone else that has not signed in yet (invitations).
    w.objs["invitee"] = people.staff(Role.EXPERT, username="sec_invitee")
