"""Demo exchange at the open final: a public teaching case routed to the 教学案例交流
session with seats and three teachers signed up (``teacher`` may still sign up), one of
their questions on it answered and one awaiting the committee's moderation; experts'
guidance slots in the 专家指导交流 session, one booked by a finalist with the expert's
notes written (``final1``'s work, advised by ``teacher``, may still book)."""

import datetime

from gongchuang.accounts.models import School, User
from gongchuang.editions.enums import CategoryCode
from gongchuang.finals import services
from gongchuang.finals.enums import SessionKind
from gongchuang.finals.models import FinalEvent
from gongchuang.portal import questions
from gongchuang.submissions.enums import CaseLicence
from gongchuang.submissions.models import Work

from .accounts import demo_teacher

EXCHANGE_SEATS = 40
SIGNED_UP = [
    ("teacher_li", "李老师", "13800000201"),
    ("teacher_wang", "王老师", "13800000202"),
    ("teacher_zhao", "赵老师", "13800000203"),
]
SLOT_MINUTES = 30
NOTES = (
    "作品的创意很好，建议：\n"
    "1. 在答辩中先用一句话讲清作品要解决的问题；\n"
    "2. 补充 AI 生成内容与个人修改的前后对比；\n"
    "3. 现场演示控制在 3 分钟以内。"
)


def seed_exchange(demo) -> None:
    event = FinalEvent.objects.filter(edition=demo.edition).first()
    if event is None:
        return
    committee = demo.users["committee"]
    exchange = event.sessions.filter(kind=SessionKind.TEACHING_EXCHANGE).first()
    if exchange is not None and not exchange.exchange_cases.exists():
        _exchange(exchange, committee)
    guidance = event.sessions.filter(kind=SessionKind.EXPERT_GUIDANCE).first()
    if guidance is not None and not guidance.guidance_slots.exists():
        _guidance(demo, guidance, committee)


def _exchange(session, committee) -> None:
    case = (
        Work.objects.filter(
            category__code=CategoryCode.TEACHING_CASE,
            is_public=True,
            case_licence=CaseLicence.CC_BY_NC,
        )
        .order_by("pk")
        .first()
    )
    if case is not None:
        services.exchange_case_route(session=session, work=case, actor=committee)
    services.exchange_capacity_set(session=session, capacity=EXCHANGE_SEATS, actor=committee)
    school = School.objects.filter(name="北京市朝阳区示范中学").first() or School.objects.first()
    teachers = []
    for username, name, mobile in SIGNED_UP:
        teacher = demo_teacher(username, name, school, mobile=mobile)
        services.exchange_signup(session=session, user=teacher)
        teachers.append(teacher)
    if case is not None:
        _questions(case, teachers, committee)


def _questions(case, teachers, committee) -> None:
    """One question published and answered by the case's author, one awaiting moderation."""
    answered = questions.case_question_ask(
        work=case, actor=teachers[0], text="小学高年级能否使用这个案例？数据需要怎样简化？"
    )
    questions.case_question_moderate(question=answered, actor=committee, approve=True)
    questions.case_question_answer(
        question=answered,
        actor=case.authors()[0].user,
        answer="可以。建议把数据表缩减到 20 行以内，并用图形化工具代替编程。",
    )
    questions.case_question_ask(work=case, actor=teachers[1], text="课堂上用到的数据集可以分享吗？")


def _guidance(demo, session, committee) -> None:
    experts = [demo.users["expert"]]
    second = User.objects.filter(username="expert_f").first()  # from the judging seeder
    if second is not None:
        experts.append(second)
    step = datetime.timedelta(minutes=SLOT_MINUTES)
    slots = []
    for n, expert in enumerate(experts):
        start = session.starts_at
        for i in range(3):
            slots.append(
                services.guidance_slot_create(
                    session=session,
                    expert=expert,
                    starts_at=start + i * step,
                    ends_at=start + (i + 1) * step,
                    place=f"{session.room}-{n + 1}",
                    actor=committee,
                )
            )
    # final2's work books the expert's second slot; the notes are written.
    work = Work.objects.filter(edition=demo.edition, authorships__user__username="final2").first()
    if work is None:
        return
    booking = services.guidance_book(slot=slots[1], work=work, user=work.authors()[0].user)
    services.guidance_notes_save(booking=booking, notes=NOTES, actor=slots[1].expert)
