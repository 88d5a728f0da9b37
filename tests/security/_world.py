"""A demo world (``seed_demo``) plus the extra people the permission tests need."""

from dataclasses import dataclass, field

from django.core.management import call_command

from gongchuang.accounts.enums import Role
from gongchuang.accounts.models import User
from gongchuang.submissions.models import Work
from tests.factories import people


@dataclass
class World:
    users: dict = field(default_factory=dict)  # role key -> User (None = anonymous)
    objs: dict = field(default_factory=dict)


def build_world() -> World:
    from gongchuang.judging.models import Assignment, ConflictDeclaration

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
    w.users["expert_free"] = people.staff(Role.EXPERT, username="sec_expert_free")
    conflicted = people.staff(Role.EXPERT, username="sec_expert_conflict")
    Assignment.objects.create(
        jury=assignment.jury, work=assignment.work, expert=conflicted, forbidden=True
    )
    ConflictDeclaration.objects.create(expert=conflicted, work=assignment.work, reason="亲属")
    w.users["expert_conflict"] = conflicted
    w.objs["work_a"] = Work.objects.filter(authorships__user=u["student"]).first()
    return w
