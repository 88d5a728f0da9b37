"""Teaching-case exchange (routing, sign-ups within seats) and expert guidance (slots, one
booking per slot and per work, notes) at the final."""

import datetime
import threading

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from gongchuang.common.errors import DomainError
from gongchuang.common.models import AuditEvent
from gongchuang.finals import services
from gongchuang.finals.enums import SessionKind
from gongchuang.finals.models import ExchangeSignup, GuidanceBooking
from gongchuang.submissions.enums import CaseLicence
from tests.factories import people
from tests.factories.works import WorkFactory

HOUR = datetime.timedelta(hours=1)


def _session(event, committee, kind, *, hours=(2, 4)):
    now = timezone.now()
    return services.session_create(
        event=event, kind=kind, title=str(kind.label), room="C301",
        starts_at=now + hours[0] * HOUR, ends_at=now + hours[1] * HOUR, actor=committee,
    )  # fmt: skip


@pytest.fixture
def exchange(event, roles):
    return _session(event, roles["committee"], SessionKind.TEACHING_EXCHANGE)


@pytest.fixture
def guidance(event, roles):
    return _session(event, roles["committee"], SessionKind.EXPERT_GUIDANCE)


@pytest.fixture
def public_case(edition, roles, units):
    case = WorkFactory(
        edition=edition, author=roles["teacher"], category_code="teaching_case",
        level="", school=units["hd_school"],
        title="用 AI 认识数据", is_public=True, showcase_consent=True,
        case_licence=CaseLicence.CC_BY_NC,
    )  # fmt: skip
    return case


def _actions(action):
    return AuditEvent.objects.filter(action=action).count()


def test_route_a_public_case_is_audited(exchange, public_case, roles):
    route = services.exchange_case_route(
        session=exchange, work=public_case, actor=roles["committee"]
    )
    assert route.order == 1
    assert list(exchange.exchange_cases.values_list("work_id", flat=True)) == [public_case.pk]
    assert _actions("final.exchange_case_route") == 1


def test_route_refuses_a_case_not_public(exchange, public_case, roles):
    public_case.is_public = False
    public_case.save()
    with pytest.raises(DomainError) as err:
        services.exchange_case_route(session=exchange, work=public_case, actor=roles["committee"])
    assert err.value.code == "not_public_case"
    assert exchange.exchange_cases.count() == 0


def test_route_refuses_a_non_committee_actor(exchange, public_case, roles):
    with pytest.raises(DomainError):
        services.exchange_case_route(session=exchange, work=public_case, actor=roles["teacher"])


def test_signup_within_seats_then_full(exchange, roles, units):
    services.exchange_capacity_set(session=exchange, capacity=2, actor=roles["committee"])
    others = [people.teacher(units["hd_school"], username=f"t{i}") for i in range(3)]
    services.exchange_signup(session=exchange, user=others[0])
    services.exchange_signup(session=exchange, user=others[1])  # n = capacity
    with pytest.raises(DomainError) as err:
        services.exchange_signup(session=exchange, user=others[2])  # n + 1
    assert err.value.code == "full"
    assert exchange.signups.count() == 2


def test_signup_twice_is_refused_and_cancel_frees_the_seat(exchange, roles):
    services.exchange_capacity_set(session=exchange, capacity=1, actor=roles["committee"])
    services.exchange_signup(session=exchange, user=roles["teacher"])
    with pytest.raises(DomainError) as err:
        services.exchange_signup(session=exchange, user=roles["teacher"])
    assert err.value.code == "dup"
    services.exchange_cancel(session=exchange, user=roles["teacher"])
    assert exchange.signups.count() == 0
    assert _actions("final.exchange_cancel") == 1


def test_signup_refused_when_closed_or_not_a_teacher(exchange, roles):
    with pytest.raises(DomainError) as err:
        services.exchange_signup(session=exchange, user=roles["teacher"])
    assert err.value.code == "closed"
    services.exchange_capacity_set(session=exchange, capacity=5, actor=roles["committee"])
    with pytest.raises(DomainError):
        services.exchange_signup(session=exchange, user=roles["student"])
    assert exchange.signups.count() == 0


def test_capacity_below_signups_is_refused(exchange, roles):
    services.exchange_capacity_set(session=exchange, capacity=1, actor=roles["committee"])
    services.exchange_signup(session=exchange, user=roles["teacher"])
    with pytest.raises(DomainError):
        services.exchange_capacity_set(session=exchange, capacity=0, actor=roles["committee"])


def _slot(guidance, expert, i=0, actor=None):
    start = guidance.starts_at + i * datetime.timedelta(minutes=30)
    return services.guidance_slot_create(
        session=guidance, expert=expert, starts_at=start,
        ends_at=start + datetime.timedelta(minutes=30), actor=actor or expert,
    )  # fmt: skip


def test_slot_outside_the_session_or_overlapping_is_refused(guidance, roles):
    expert = roles["expert"]
    _slot(guidance, expert)
    with pytest.raises(DomainError) as err:
        services.guidance_slot_create(
            session=guidance, expert=expert,
            starts_at=guidance.starts_at + datetime.timedelta(minutes=15),
            ends_at=guidance.starts_at + datetime.timedelta(minutes=45), actor=expert,
        )  # fmt: skip
    assert err.value.code == "overlap"
    with pytest.raises(DomainError) as err:
        services.guidance_slot_create(
            session=guidance, expert=expert, starts_at=guidance.ends_at,
            ends_at=guidance.ends_at + HOUR, actor=expert,
        )  # fmt: skip
    assert err.value.code == "outside"
    assert guidance.guidance_slots.count() == 1


def test_book_one_slot_per_work_and_one_work_per_slot(guidance, roles, finalist_factory, units):
    expert = roles["expert"]
    first, second = _slot(guidance, expert, 0), _slot(guidance, expert, 1)
    work = finalist_factory(school=units["hd_school"], advisor=roles["teacher"])
    other = finalist_factory(school=units["hd_school"])
    author = work.authors()[0].user
    services.guidance_book(slot=first, work=work, user=roles["teacher"])  # the advisor books
    with pytest.raises(DomainError) as err:
        services.guidance_book(slot=second, work=work, user=author)
    assert err.value.code == "one_per_work"
    with pytest.raises(DomainError) as err:
        services.guidance_book(slot=first, work=other, user=other.authors()[0].user)
    assert err.value.code == "taken"
    assert GuidanceBooking.objects.count() == 1


def test_book_refused_for_someone_not_on_the_work(guidance, roles, finalist_factory, units):
    slot = _slot(guidance, roles["expert"])
    work = finalist_factory(school=units["hd_school"])
    with pytest.raises(DomainError) as err:
        services.guidance_book(slot=slot, work=work, user=roles["student_b"])
    assert err.value.code == "forbidden"


def test_notes_by_the_slot_expert_only_and_read_by_the_authors(
    guidance, roles, finalist_factory, units, client
):
    slot = _slot(guidance, roles["expert"])
    work = finalist_factory(school=units["hd_school"])
    author = work.authors()[0].user
    booking = services.guidance_book(slot=slot, work=work, user=author)
    other_expert = people.staff("expert", username="expert_other")
    with pytest.raises(DomainError):
        services.guidance_notes_save(booking=booking, notes="x", actor=other_expert)
    services.guidance_notes_save(booking=booking, notes="多做用户访谈", actor=roles["expert"])
    assert _actions("final.guidance_notes") == 1
    client.force_login(author)
    page = client.get(reverse("finals:guidance_book", args=[work.pk]))
    assert page.status_code == 200
    assert "多做用户访谈" in page.content.decode()
    with pytest.raises(DomainError) as err:
        services.guidance_cancel(booking=booking, user=author)
    assert err.value.code == "done"


def test_committee_booking_table_and_signup_list(
    exchange, guidance, roles, finalist_factory, units, client
):
    services.exchange_capacity_set(session=exchange, capacity=3, actor=roles["committee"])
    services.exchange_signup(session=exchange, user=roles["teacher"])
    slot = _slot(guidance, roles["expert"])
    work = finalist_factory(school=units["hd_school"], title="预约作品")
    services.guidance_book(slot=slot, work=work, user=work.authors()[0].user)
    client.force_login(roles["committee"])
    table = client.get(reverse("finals:manage_guidance", args=[guidance.pk])).content.decode()
    assert "预约作品" in table
    signups = client.get(reverse("finals:manage_exchange", args=[exchange.pk])).content.decode()
    assert roles["teacher"].display_name in signups


@pytest.mark.django_db(transaction=True)
def test_two_works_booking_the_same_slot_at_once_get_one_booking(
    guidance, roles, finalist_factory, units
):
    if connection.vendor != "postgresql":
        pytest.skip("the in-memory SQLite test database does not allow concurrent writers")
    slot = _slot(guidance, roles["expert"])
    works = [finalist_factory(school=units["hd_school"]) for _ in range(4)]
    barrier = threading.Barrier(len(works))
    codes, errors = [], []

    def book(work):
        try:
            barrier.wait()
            services.guidance_book(slot=slot, work=work, user=work.authors()[0].user)
            codes.append("ok")
        except DomainError as exc:
            codes.append(exc.code)
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=book, args=(w,)) for w in works]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert sorted(codes) == ["ok", "taken", "taken", "taken"]
    assert GuidanceBooking.objects.filter(slot=slot).count() == 1


@pytest.mark.django_db(transaction=True)
def test_one_work_booking_two_slots_at_once_gets_one(guidance, roles, finalist_factory, units):
    if connection.vendor != "postgresql":
        pytest.skip("the in-memory SQLite test database does not allow concurrent writers")
    slots = [_slot(guidance, roles["expert"], i) for i in range(3)]
    work = finalist_factory(school=units["hd_school"])
    user = work.authors()[0].user
    barrier = threading.Barrier(len(slots))
    codes, errors = [], []

    def book(slot):
        try:
            barrier.wait()
            services.guidance_book(slot=slot, work=work, user=user)
            codes.append("ok")
        except DomainError as exc:
            codes.append(exc.code)
        except Exception as exc:  # pragma: no cover
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=book, args=(s,)) for s in slots]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert codes.count("ok") == 1
    assert GuidanceBooking.objects.filter(work=work).count() == 1


@pytest.mark.django_db(transaction=True)
def test_last_seat_taken_by_two_teachers_at_once_goes_to_one(exchange, roles, units):
    if connection.vendor != "postgresql":
        pytest.skip("the in-memory SQLite test database does not allow concurrent writers")
    services.exchange_capacity_set(session=exchange, capacity=1, actor=roles["committee"])
    teachers = [people.teacher(units["hd_school"], username=f"seat{i}") for i in range(3)]
    barrier = threading.Barrier(len(teachers))
    codes = []

    def signup(user):
        try:
            barrier.wait()
            services.exchange_signup(session=exchange, user=user)
            codes.append("ok")
        except DomainError as exc:
            codes.append(exc.code)
        finally:
            connection.close()

    threads = [threading.Thread(target=signup, args=(t,)) for t in teachers]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(codes) == ["full", "full", "ok"]
    assert ExchangeSignup.objects.filter(session=exchange).count() == 1


def test_exchange_page_queries_do_not_grow_with_sessions(
    event, roles, public_case, client, django_assert_max_num_queries
):
    client.force_login(roles["teacher"])
    url = reverse("finals:exchange")

    def add_session():
        session = _session(event, roles["committee"], SessionKind.TEACHING_EXCHANGE)
        services.exchange_case_route(session=session, work=public_case, actor=roles["committee"])
        services.exchange_capacity_set(session=session, capacity=5, actor=roles["committee"])

    add_session()
    client.get(url)  # warm the per-process caches
    with django_assert_max_num_queries(20) as one:
        client.get(url)
    add_session()
    add_session()
    with django_assert_max_num_queries(len(one.captured_queries)):
        page = client.get(url)
    assert page.content.decode().count('data-testid="exchange-session"') == 3


def test_signups_and_bookings_are_in_the_data_export(
    exchange, guidance, roles, finalist_factory, units
):
    from gongchuang.accounts.privacy_services import personal_data

    services.exchange_capacity_set(session=exchange, capacity=3, actor=roles["committee"])
    services.exchange_signup(session=exchange, user=roles["teacher"])
    slot = _slot(guidance, roles["expert"])
    work = finalist_factory(school=units["hd_school"], advisor=roles["teacher"])
    services.guidance_book(slot=slot, work=work, user=roles["teacher"])
    kinds = [row["kind"] for row in personal_data(roles["teacher"])["final_exchange"]]
    assert kinds == ["exchange_signup", "guidance_booking"]
    expert_rows = personal_data(roles["expert"])["final_exchange"]
    assert [(r["kind"], r["booked_by_work"]) for r in expert_rows] == [("guidance_slot", work.code)]
