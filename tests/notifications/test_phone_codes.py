"""Verification codes: hashed, 5 minutes, 5 tries, one open per phone and purpose, limits."""

import datetime
import threading

import pytest
from django.db import connection, connections
from django.utils import timezone
from freezegun import freeze_time

from gongchuang.accounts.models import User
from gongchuang.common.errors import DomainError
from gongchuang.common.models import AuditEvent
from gongchuang.notifications.models import PhoneCode, SmsDelivery
from gongchuang.notifications.sms.codes import MAX_TRIES, phone_code_check, phone_code_send

from .test_sms_outbox import SENT

LOGIN = PhoneCode.Purpose.LOGIN
PHONE = "13800005555"


@pytest.fixture
def holder(db, settings):
    settings.SMS_BACKEND = "tests.notifications.test_sms_outbox.RecordingBackend"
    settings.SMS_CODE_RESEND_SECONDS = 0
    settings.SMS_TEMPLATE_CODES = {"code": "SMS_CODE"}
    SENT.clear()
    return User.objects.create_user(username="holder", password="x", mobile=PHONE)


def _sent_code() -> str:
    return SENT[-1].params["code"]


def _send(phone=PHONE, purpose=LOGIN, ip="10.0.0.1", **kw) -> PhoneCode:
    return phone_code_send(phone=phone, purpose=purpose, ip=ip, **kw)


@pytest.mark.django_db(transaction=True)
def test_a_code_is_texted_and_only_its_hash_is_kept(holder):
    row = _send(phone="+86 138-0000-5555")

    code = _sent_code()
    assert len(code) == 6 and code.isdigit()
    assert SENT[-1].phone == PHONE
    assert SENT[-1].template_code == "SMS_CODE"
    row.refresh_from_db()
    assert (row.phone, row.user, row.ip) == (PHONE, holder, "10.0.0.1")
    assert code not in row.code_hash and len(row.code_hash) == 64
    assert row.expires_at - row.created_at == datetime.timedelta(minutes=5)
    assert code not in str(SmsDelivery.objects.values_list("params", "text").get())
    event = AuditEvent.objects.get(action="sms.code_send")
    assert event.after == {"phone": "138****5555", "purpose": "login", "sent": True}


@pytest.mark.django_db(transaction=True)
def test_the_right_code_works_once(holder):
    _send()
    code = _sent_code()

    row = phone_code_check(phone=PHONE, purpose=LOGIN, code=code)

    assert (row.user, row.closed_at is not None) == (holder, True)
    with pytest.raises(DomainError) as again:
        phone_code_check(phone=PHONE, purpose=LOGIN, code=code)
    assert again.value.code == "bad_code"
    assert AuditEvent.objects.filter(action="sms.code_check", after__ok=True).count() == 1


@pytest.mark.django_db(transaction=True)
def test_a_code_of_another_purpose_does_not_work(holder):
    _send(purpose=PhoneCode.Purpose.RESET)

    with pytest.raises(DomainError):
        phone_code_check(phone=PHONE, purpose=LOGIN, code=_sent_code())


@pytest.mark.django_db(transaction=True)
def test_five_wrong_tries_close_the_code(holder):
    _send()
    code = _sent_code()
    wrong = f"{(int(code) + 1) % 10**6:06d}"

    for _ in range(MAX_TRIES):
        with pytest.raises(DomainError):
            phone_code_check(phone=PHONE, purpose=LOGIN, code=wrong)

    row = PhoneCode.objects.get()
    assert (row.attempts, row.closed_at is not None) == (5, True)
    with pytest.raises(DomainError):
        phone_code_check(phone=PHONE, purpose=LOGIN, code=code)


@pytest.mark.django_db(transaction=True)
def test_four_wrong_tries_leave_the_right_code_usable(holder):
    _send()
    code = _sent_code()

    for _ in range(MAX_TRIES - 1):
        with pytest.raises(DomainError):
            phone_code_check(phone=PHONE, purpose=LOGIN, code="000000" if code != "000000" else "1")

    assert phone_code_check(phone=PHONE, purpose=LOGIN, code=code).attempts == 4


@pytest.mark.django_db(transaction=True)
def test_a_code_expires_after_five_minutes(holder):
    start = timezone.now()
    with freeze_time(start):
        _send()
    code = _sent_code()

    with freeze_time(start + datetime.timedelta(minutes=5, seconds=1)):
        with pytest.raises(DomainError):
            phone_code_check(phone=PHONE, purpose=LOGIN, code=code)
    with freeze_time(start + datetime.timedelta(minutes=4, seconds=59)):
        assert phone_code_check(phone=PHONE, purpose=LOGIN, code=code).user == holder


@pytest.mark.django_db(transaction=True)
def test_a_new_code_closes_the_old_one(holder):
    _send()
    first = _sent_code()
    _send()
    second = _sent_code()

    assert PhoneCode.objects.filter(closed_at__isnull=True).count() == 1
    if first != second:
        with pytest.raises(DomainError):
            phone_code_check(phone=PHONE, purpose=LOGIN, code=first)
    assert phone_code_check(phone=PHONE, purpose=LOGIN, code=second).user == holder


@pytest.mark.django_db(transaction=True)
def test_an_unknown_number_gets_no_text_and_no_code_works(holder):
    row = _send(phone="13900000000")

    assert row.user is None and row.delivery is None
    assert SENT == []
    with pytest.raises(DomainError):
        phone_code_check(phone="13900000000", purpose=LOGIN, code="123456")


@pytest.mark.django_db(transaction=True)
def test_asking_again_within_the_resend_spacing_is_refused(holder, settings):
    settings.SMS_CODE_RESEND_SECONDS = 60
    _send()

    with pytest.raises(DomainError) as caught:
        _send()

    assert caught.value.code == "sms_too_soon"
    assert caught.value.message == "验证码刚刚已发送，请稍等一分钟后再获取。"


@pytest.mark.django_db(transaction=True)
def test_daily_limit_per_number(holder, settings):
    settings.SMS_DAILY_LIMIT_PER_NUMBER = 3
    for n in range(3):
        _send(ip=f"10.0.0.{n}")

    with pytest.raises(DomainError) as caught:
        _send(ip="10.0.0.9")

    assert caught.value.code == "sms_limit_number"
    assert caught.value.message == "该手机号今天获取验证码的次数已达上限，请明天再试。"
    assert len(SENT) == 3


@pytest.mark.django_db(transaction=True)
def test_daily_limit_per_address_counts_unknown_numbers_too(holder, settings):
    settings.SMS_DAILY_LIMIT_PER_IP = 2
    _send(phone="13900000001")
    _send(phone="13900000002")

    with pytest.raises(DomainError) as caught:
        _send()

    assert caught.value.code == "sms_limit_ip"
    assert caught.value.message == "您所在网络今天获取验证码的次数已达上限，请明天再试。"
    assert SENT == []


@pytest.mark.django_db(transaction=True)
def test_yesterdays_codes_do_not_count(holder, settings):
    settings.SMS_DAILY_LIMIT_PER_NUMBER = 1
    with freeze_time(timezone.now() - datetime.timedelta(days=1)):
        _send()

    _send()

    assert len(SENT) == 2


@pytest.mark.django_db(transaction=True)
def test_a_malformed_number_is_refused(holder):
    with pytest.raises(DomainError) as caught:
        _send(phone="12345")

    assert caught.value.code == "phone"
    assert PhoneCode.objects.count() == 0


@pytest.mark.postgres
@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs concurrent writers")
@pytest.mark.django_db(transaction=True)
def test_two_requests_at_the_same_moment_leave_one_open_code(holder):
    barrier = threading.Barrier(2)
    outcomes = []

    def request():
        try:
            barrier.wait()
            _send()
            outcomes.append("sent")
        except DomainError as exc:
            outcomes.append(exc.code)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=request) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()

    assert PhoneCode.objects.filter(closed_at__isnull=True).count() == 1
    assert sorted(outcomes) in (["sent", "sent"], ["sent", "sms_too_soon"])
    open_code = PhoneCode.objects.get(closed_at__isnull=True)
    assert open_code.delivery is not None
