import datetime
import io
import json
import zipfile

import pytest
from django.core.files.base import ContentFile

from gongchuang.accounts.enums import Level, Role
from gongchuang.accounts.models import User
from gongchuang.accounts.privacy import (
    can_see_personal_data,
    display_name_for,
    display_phone_for,
    display_school_for,
)
from gongchuang.common.models import AuditEvent
from gongchuang.notifications.models import Notification
from gongchuang.submissions.models import WorkFile
from tests.factories import people
from tests.factories.works import submitted_work

BACKEND = "gongchuang.accounts.backends.UsernameEmailMobileBackend"
pytestmark = pytest.mark.django_db


@pytest.fixture
def young(roles, units):
    """A pupil under 14 at 海淀测试中学, with a guardian (phone 13900000000)."""
    return people.student(
        units["hd_school"], real_name="王小雨", birth_date=datetime.date(2015, 9, 1)
    )


def test_minor_name_school_phone_masked_for_other_district_and_anonymous(roles, young):
    student = young
    for viewer in (roles["organizer_cy"], roles["student_b"], roles["expert"], None):
        assert display_name_for(viewer, student) == "王**"
        assert display_school_for(viewer, student) == "海淀****"
        assert display_phone_for(viewer, student) == "139****0000"


@pytest.mark.parametrize("who", ["student", "organizer", "coordinator", "committee"])
def test_minor_shown_in_full_to_self_own_unit_own_school_and_committee(roles, young, who):
    student = young
    viewer = young if who == "student" else roles[who]
    assert display_name_for(viewer, student) == "王小雨"
    assert display_school_for(viewer, student) == "海淀测试中学"
    # A guardian's number is masked for every member of staff; the student sees it whole.
    assert display_phone_for(viewer, student) == (
        "13900000000" if who == "student" else "139****0000"
    )


def test_coordinator_of_another_school_in_same_unit_sees_masked(roles, units):
    other = people.staff(Role.SCHOOL_COORDINATOR, unit=units["hd"], school=units["hd_school2"])
    assert display_name_for(other, roles["student"]) == "李*"


def test_advisor_on_the_students_work_sees_full_name(roles, edition):
    submitted_work(edition, roles["student"], advisor=roles["teacher"])
    assert display_name_for(roles["teacher"], roles["student"]) == "李明"
    stranger = people.teacher(people.units_and_schools()["hd_school2"])
    assert display_name_for(stranger, roles["student"]) == "李*"


def test_adult_student_visible_to_logged_in_staff_but_masked_for_anonymous(roles, units):
    adult = people.student(
        units["cy_school"],
        real_name="王成年",
        level=Level.UNIVERSITY,
        birth_date=datetime.date(2000, 1, 1),
    )
    assert can_see_personal_data(roles["organizer"], adult) is True
    assert display_name_for(None, adult) == "王**"


def _client_for(client, user):
    client.force_login(user, backend=BACKEND)
    return client


def test_my_data_shows_consents_with_time_and_version(client, young, edition):
    response = _client_for(client, young).get("/accounts/my-data/")
    html = response.content.decode()
    assert "监护人同意" in html
    profile = young.student_profile
    assert f"文本版本 {profile.guardian_consent_version}" in html
    assert profile.guardian_consent_at is not None


def test_download_contains_json_and_work_files_and_is_audited(client, young, edition):
    student = young
    work = submitted_work(edition, student)
    wf = WorkFile(
        work=work,
        slot="artwork",
        original_name="作品.png",
        size=4,
        sha256="x" * 64,
        mime="image/png",
        kind="image",
        uploaded_by=student,
    )
    wf.file.save("x", ContentFile(b"\x89PNG"), save=True)

    response = _client_for(client, student).post("/accounts/my-data/download/")

    archive = zipfile.ZipFile(io.BytesIO(response.content))
    data = json.loads(archive.read("data.json"))
    assert data["account"]["real_name"] == "王小雨"
    assert data["student_profile"]["guardian_name"] == "李家长"
    assert [w["title"] for w in data["works"]] == ["AI 守护城市绿地"]
    assert data["objections"] == []
    path = data["works"][0]["files"][0]["path"]
    assert archive.read(path) == b"\x89PNG"
    assert AuditEvent.objects.filter(action="privacy.export", actor=student).count() == 1


def test_download_needs_post_and_login(client):
    assert client.get("/accounts/my-data/download/").status_code in (302, 405)
    assert client.post("/accounts/my-data/download/").status_code == 302


def test_deletion_anonymises_keeps_work_and_is_audited(client, young, edition):
    student = young
    work = submitted_work(edition, student)
    Notification.objects.create(recipient=student, kind="x", title="t", body="b")

    response = _client_for(client, student).post(
        "/accounts/my-data/delete/", {"password": people.PASSWORD, "confirm": "on"}
    )

    assert response.status_code == 302
    user = User.objects.get(pk=student.pk)
    assert (user.real_name, user.email, user.mobile, user.is_active, user.is_anonymised) == (
        "已注销用户",
        "",
        "",
        False,
        True,
    )
    assert not user.has_usable_password()
    profile = user.student_profile
    assert (profile.guardian_name, profile.guardian_phone, profile.birth_date) == (
        "",
        "",
        datetime.date(2015, 1, 1),
    )
    assert work.authorships.get().user_id == user.pk
    assert not Notification.objects.filter(recipient=user).exists()
    assert (
        AuditEvent.objects.filter(action="privacy.anonymise", object_id=str(user.pk)).count() == 1
    )
    assert "_auth_user_id" not in client.session


def test_deletion_refused_with_wrong_password_in_chinese(client, roles):
    response = _client_for(client, roles["student"]).post(
        "/accounts/my-data/delete/", {"password": "nope12345", "confirm": "on"}
    )
    assert response.status_code == 400
    assert "密码不正确" in response.content.decode()
    assert User.objects.get(pk=roles["student"].pk).is_anonymised is False


def test_student_lookup_masks_minor_for_other_district_and_audits_full_views(client, roles, young):
    _client_for(client, roles["organizer_cy"])
    response = client.get("/accounts/students/lookup/", {"q": young.username})
    assert [r["name"] for r in response.context["rows"]] == ["王**"]
    assert "王小雨" not in response.content.decode()
    assert not AuditEvent.objects.filter(action="privacy.view").exists()

    _client_for(client, roles["organizer"])
    response = client.get("/accounts/students/lookup/", {"q": young.username})
    assert [(r["name"], r["phone"]) for r in response.context["rows"]] == [
        ("王小雨", "139****0000")  # a guardian's number: masked for all staff
    ]
    event = AuditEvent.objects.get(action="privacy.view")
    assert (event.actor_id, event.object_id) == (roles["organizer"].pk, str(young.pk))


def test_student_lookup_by_work_code(client, roles, young, edition):
    work = submitted_work(edition, young)
    _client_for(client, roles["committee"])
    response = client.get("/accounts/students/lookup/", {"q": work.code})
    assert [r["name"] for r in response.context["rows"]] == ["王小雨"]


@pytest.mark.parametrize("who", ["student", "teacher", "expert"])
def test_student_lookup_refused_to_non_staff(client, roles, who):
    _client_for(client, roles[who])
    assert client.get("/accounts/students/lookup/", {"q": "student_a"}).status_code == 403


def test_objections_are_in_the_export_and_their_contact_erased_on_deletion(roles, edition):
    from gongchuang.accounts.privacy_services import account_anonymise, personal_data
    from gongchuang.publicity.services import objection_file
    from tests.publicity.helpers import REASON, finalist, published

    work = finalist(edition, roles["student"], roles["committee"])
    entry = published(edition, [work], roles["committee"]).entries.get()
    objector = roles["student_b"]
    objection = objection_file(entry=entry, objector=objector, reason=REASON, contact="13700000000")

    assert [(o["work"], o["contact"]) for o in personal_data(objector)["objections"]] == [
        (work.code, "13700000000")
    ]
    account_anonymise(user=objector, actor=objector)
    objection.refresh_from_db()
    assert (objection.contact, objection.reason) == ("", REASON)


def test_masking_many_students_costs_a_bounded_number_of_queries(
    roles, units, django_assert_max_num_queries
):
    from gongchuang.accounts.models import User as UserModel

    for i in range(10):
        people.student(
            units["hd_school"], real_name=f"小{i}号", birth_date=datetime.date(2015, 1, i + 1)
        )
    students = list(
        UserModel.objects.filter(student_profile__birth_date__year=2015).select_related(
            "student_profile__school"
        )
    )
    viewer = UserModel.objects.get(pk=roles["organizer_cy"].pk)
    with django_assert_max_num_queries(3):
        names = [display_name_for(viewer, s) for s in students]
        schools = [display_school_for(viewer, s) for s in students]
    assert len(names) == 10 and all(n.endswith("**") for n in names)
    assert set(schools) == {"海淀****"}
