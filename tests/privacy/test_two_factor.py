import pytest
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from gongchuang.common.models import AuditEvent
from tests.factories import people

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_throttle(settings):
    # django-otp delays retries after a wrong code; these tests enter codes back to back.
    settings.OTP_TOTP_THROTTLE_FACTOR = 0


def _code(device) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


def _password_login(client, username):
    response = client.post("/accounts/login/", {"username": username, "password": people.PASSWORD})
    assert response.status_code == 302
    return response


def test_organizer_turns_on_two_factor_then_login_needs_the_code(client, roles):
    _password_login(client, "org_hd")
    page = client.get("/accounts/2fa/")
    assert page.context["qr"].startswith("data:image/svg+xml;base64,")
    device = TOTPDevice.objects.get(user=roles["organizer"], confirmed=False)

    response = client.post(
        "/accounts/2fa/", {"token": "000000" if _code(device) != "000000" else "111111"}
    )
    assert "验证码不正确或已过期" in response.content.decode()
    response = client.post("/accounts/2fa/", {"token": _code(device)})
    assert response.status_code == 302
    assert TOTPDevice.objects.get(user=roles["organizer"]).confirmed is True
    assert AuditEvent.objects.filter(action="auth.2fa_enable").count() == 1

    client.post("/accounts/logout/")
    _password_login(client, "org_hd")
    response = client.get("/accounts/dashboard/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/2fa/verify/?next=/accounts/dashboard/")

    device.refresh_from_db()
    device.last_t = -1  # allow the same time step again in this fast test
    device.save()
    response = client.post(
        "/accounts/2fa/verify/", {"token": _code(device), "next": "/accounts/dashboard/"}
    )
    assert response["Location"] == "/accounts/dashboard/"
    assert client.get("/accounts/dashboard/").status_code == 200


def test_wrong_code_keeps_the_organizer_out_and_is_audited(client, roles):
    device = TOTPDevice.objects.create(user=roles["organizer"], name="a", confirmed=True)
    _password_login(client, "org_hd")
    wrong = "123456" if _code(device) != "123456" else "654321"
    response = client.post("/accounts/2fa/verify/", {"token": wrong})
    assert response.status_code == 200
    assert "验证码不正确或已过期" in response.content.decode()
    assert client.get("/screening/unit/").status_code == 302
    assert AuditEvent.objects.filter(action="auth.2fa_failed").count() == 1


def test_students_cannot_turn_on_two_factor_and_are_never_asked(client, roles):
    _password_login(client, "student_a")
    assert client.get("/accounts/2fa/").status_code == 403
    assert client.get("/accounts/dashboard/").status_code == 200


def test_turning_off_needs_a_valid_code(client, roles):
    device = TOTPDevice.objects.create(user=roles["committee"], name="a", confirmed=True)
    _password_login(client, "committee")
    client.post("/accounts/2fa/verify/", {"token": _code(device)})
    device.refresh_from_db()
    device.last_t = -1
    device.save()
    assert client.post("/accounts/2fa/disable/", {"token": "99999x"}).status_code == 400
    assert TOTPDevice.objects.filter(user=roles["committee"]).exists()
    response = client.post("/accounts/2fa/disable/", {"token": _code(device)})
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=roles["committee"]).exists()
