import datetime
import io

import pytest
from django.urls import reverse
from django.utils import timezone

from gongchuang.common.errors import DomainError
from gongchuang.editions.enums import Step
from gongchuang.submissions import services
from gongchuang.submissions.enums import WorkState
from gongchuang.submissions.models import Work, WorkFile
from tests.factories import people

from .helpers import art_draft, category, complete_art_work, png_bytes, zip_bytes

pytestmark = pytest.mark.django_db


def login(client, user):
    client.force_login(user, backend="gongchuang.accounts.backends.UsernameEmailMobileBackend")
    return client


def messages_of(response):
    return [str(m) for m in response.context["messages"]] if response.context else []


def test_my_works_empty_state_and_new_work_link(client, edition, roles):
    response = login(client, roles["student"]).get(reverse("submissions:my_works"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "您在本届还没有作品" in html
    assert reverse("submissions:work_create") in html


def test_create_form_lists_only_categories_of_the_students_level(client, edition, roles):
    art = category(edition, "ai_art")
    art.eligible_levels = ["university"]
    art.save()
    response = login(client, roles["student"]).get(reverse("submissions:work_create"))
    choices = [label for _, label in response.context["form"].fields["category"].choices]
    assert choices == ["AI 智能体应用", "AI “科学家”", "AI “一人公司”"]


def test_create_form_for_teacher_offers_teaching_case_only(client, edition, roles):
    response = login(client, roles["teacher"]).get(reverse("submissions:work_create"))
    choices = [c.code for c in response.context["form"].fields["category"].objects.values()]
    assert choices == ["teaching_case"]


def test_the_empty_create_form_is_rendered_once_and_follows_the_offered_categories(
    client, edition, roles, units
):
    """The empty form is kept as HTML for everyone offered the same categories; another
    level, a renamed category or the other language gets its own; a form with errors never."""
    student = login(client, roles["student"])
    first = student.get(reverse("submissions:work_create"))
    second = student.get(reverse("submissions:work_create"))
    widget = "django/forms/widgets/select.html"
    assert widget in [t.name for t in first.templates]
    assert widget not in [t.name for t in second.templates], "served from the kept fragment"
    assert first.content.decode().count("<option") == second.content.decode().count("<option")
    assert "AI 艺术创作" in second.content.decode()

    art = category(edition, "ai_art")
    art.name = "AI 绘画创作"
    art.save(update_fields=["name"])
    renamed = student.get(reverse("submissions:work_create")).content.decode()
    assert "AI 绘画创作" in renamed and "AI 艺术创作" not in renamed

    client.cookies["django_language"] = "en"
    english = student.get(reverse("submissions:work_create")).content.decode()
    assert "Category" in english and "类别" not in english

    teacher = login(client, roles["teacher"])
    client.cookies["django_language"] = "zh-hans"
    offered = teacher.get(reverse("submissions:work_create")).content.decode()
    assert "教师AI创新教学案例" in offered and "AI 绘画创作" not in offered

    bound = teacher.post(reverse("submissions:work_create"), {"title": "只有标题"})
    assert widget in [t.name for t in bound.templates]
    assert 'value="只有标题"' in bound.content.decode()


def test_create_then_detail_shows_what_is_missing(client, edition, roles):
    login(client, roles["student"])
    response = client.post(
        reverse("submissions:work_create"),
        {
            "category": category(edition, "ai_art").pk,
            "title": "水墨北京",
            "abstract": "简介",
            "keywords": "AI",
            "ai_tools": "文心一格",
            "ai_generated": "底稿",
            "originality_pledge": "on",
        },
        follow=True,
    )
    work = Work.objects.get()
    assert response.redirect_chain[-1][0] == work.get_absolute_url()
    html = response.content.decode()
    assert "草稿已保存" in html
    assert "缺少材料：作品文件" in html
    assert "缺少材料：创作说明（PDF）" in html


def test_create_refuses_a_category_not_offered_and_keeps_the_form(client, edition, roles):
    """A teaching-case id (or any id not in the list) posted by a student creates nothing."""
    login(client, roles["student"])
    fields = {"title": "水墨北京", "abstract": "简介", "keywords": "AI", "ai_tools": "文心一格"}
    for posted in (category(edition, "teaching_case").pk, "abc", ""):
        response = client.post(reverse("submissions:work_create"), {"category": posted, **fields})
        assert response.status_code == 200
        errors = " ".join(response.context["form"].errors["category"])
        assert "选择一个有效的选项" in errors or "这个字段是必填项" in errors
        assert 'value="水墨北京"' in response.content.decode()
    assert Work.objects.count() == 0


def test_create_with_long_abstract_shows_chinese_error(client, edition, roles):
    login(client, roles["student"])
    response = client.post(
        reverse("submissions:work_create"),
        {"category": category(edition, "ai_art").pk, "title": "x", "abstract": "字" * 501},
    )
    assert Work.objects.count() == 0
    assert "500" in " ".join(response.context["form"].errors["abstract"])


def test_submit_view_shows_receipt_with_code(client, edition, roles):
    work = complete_art_work(edition, roles["student"])
    login(client, roles["student"])
    response = client.post(reverse("submissions:work_submit", args=[work.pk]), follow=True)
    assert response.redirect_chain[-1][0] == reverse("submissions:work_receipt", args=[work.pk])
    html = response.content.decode()
    assert "提交回执" in html
    assert "2026-ART-HD-0001" in html
    assert "打印或另存为 PDF" in html


def test_second_submission_refused_with_chinese_message(client, edition, roles):
    student = roles["student"]
    first = complete_art_work(edition, student)
    second = complete_art_work(edition, student, title="第二件")
    services.work_submit(work=first, actor=student)
    login(client, student)
    response = client.post(reverse("submissions:work_submit", args=[second.pk]), follow=True)
    assert any("每名学生每届只能提交一个作品" in m for m in messages_of(response))
    assert Work.objects.get(pk=second.pk).state == WorkState.DRAFT


def test_submit_after_deadline_refused_although_page_opened_before(client, edition, roles):
    work = complete_art_work(edition, roles["student"])
    login(client, roles["student"])
    page = client.get(work.get_absolute_url())
    assert "提交作品" in page.content.decode()
    window = edition.windows.get(step=Step.SUBMISSION)
    window.closes_at = timezone.now() - datetime.timedelta(seconds=1)
    window.save()
    response = client.post(reverse("submissions:work_submit", args=[work.pk]), follow=True)
    assert any("本届作品申报已截止" in m for m in messages_of(response))
    assert Work.objects.get(pk=work.pk).state == WorkState.DRAFT


def test_edit_view_saves_and_refuses_after_submit(client, edition, roles):
    work = complete_art_work(edition, roles["student"])
    login(client, roles["student"])
    data = {
        "title": "新名称",
        "abstract": "简介",
        "keywords": "AI",
        "ai_tools": "工具",
        "ai_generated": "底稿",
        "ai_contribution": "构图",
        "originality_pledge": "on",
    }
    client.post(reverse("submissions:work_edit", args=[work.pk]), data)
    assert Work.objects.get(pk=work.pk).title == "新名称"
    services.work_submit(work=work, actor=roles["student"])
    response = client.post(
        reverse("submissions:work_edit", args=[work.pk]), {**data, "title": "再改"}
    )
    assert "作品当前状态下不能再修改" in response.content.decode()
    assert Work.objects.get(pk=work.pk).title == "新名称"


@pytest.mark.parametrize(
    ("who", "draft_status", "submitted_status"),
    [
        ("student", 200, 200),
        ("student_b", 404, 404),
        ("teacher", 404, 404),
        ("coordinator", 200, 200),
        ("organizer", 404, 200),
        ("organizer_cy", 404, 404),
        ("expert", 404, 404),
        ("committee", 200, 200),
    ],
)
def test_detail_and_download_permission_matrix(
    client, edition, roles, who, draft_status, submitted_status
):
    work = complete_art_work(edition, roles["student"])
    work_file = work.files.get(slot="artwork")
    login(client, roles[who])
    detail = reverse("submissions:work_detail", args=[work.pk])
    download = reverse("submissions:file_download", args=[work_file.pk])
    assert client.get(detail).status_code == draft_status
    assert client.get(download).status_code == draft_status
    services.work_submit(work=work, actor=roles["student"])
    assert client.get(detail).status_code == submitted_status
    assert client.get(download).status_code == submitted_status


def test_anonymous_is_sent_to_login(client, edition, roles):
    work = art_draft(edition, roles["student"])
    response = client.get(reverse("submissions:work_detail", args=[work.pk]))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_download_is_an_attachment_with_nosniff(client, edition, roles):
    work = complete_art_work(edition, roles["student"])
    work_file = work.files.get(slot="artwork")
    response = login(client, roles["student"]).get(
        reverse("submissions:file_download", args=[work_file.pk])
    )
    assert response["Content-Disposition"] == 'attachment; filename="art.png"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Type"] == "image/png"
    assert b"".join(response.streaming_content) == png_bytes()


def test_multipart_upload_streams_through_a_temporary_file(client, edition, roles, monkeypatch):
    work = art_draft(edition, roles["student"])
    seen = {}
    real_store = services.workfile_store

    def spy(**kwargs):
        seen["temporary"] = hasattr(kwargs["fileobj"], "temporary_file_path")
        return real_store(**kwargs)

    monkeypatch.setattr(services, "workfile_store", spy)
    login(client, roles["student"])
    response = client.post(
        reverse("submissions:file_upload", args=[work.pk]),
        {"slot": "artwork", "file": io.BytesIO(png_bytes())},
        follow=True,
    )
    assert seen == {"temporary": True}
    assert any("文件已上传" in m for m in messages_of(response))
    work_file = WorkFile.objects.get(work=work)
    assert (work_file.slot, work_file.kind, work_file.mime) == ("artwork", "image", "image/png")
    assert "art" not in work_file.file.name and len(work_file.file.name.rsplit("/", 1)[-1]) == 32


def test_zip_named_png_is_refused_by_content(client, edition, roles):
    work = art_draft(edition, roles["student"])
    login(client, roles["student"])
    fake = io.BytesIO(zip_bytes())
    fake.name = "artwork.png"
    response = client.post(
        reverse("submissions:file_upload", args=[work.pk]),
        {"slot": "artwork", "file": fake},
        follow=True,
    )
    assert WorkFile.objects.count() == 0
    assert any("ZIP" in m and "不符" in m for m in messages_of(response)), messages_of(response)


def test_thumbnail_made_after_commit(edition, roles, django_capture_on_commit_callbacks):
    work = art_draft(edition, roles["student"])
    with django_capture_on_commit_callbacks(execute=True):
        services.workfile_store(
            work=work,
            slot="artwork",
            fileobj=io.BytesIO(png_bytes((800, 600))),
            name="a.png",
            actor=roles["student"],
        )
    work_file = WorkFile.objects.get()
    assert work_file.thumbnail.name
    from PIL import Image

    with work_file.thumbnail.open("rb") as fh, Image.open(fh) as img:
        assert img.size == (480, 360)


def test_withdraw_view(client, edition, roles):
    work = services.work_submit(
        work=complete_art_work(edition, roles["student"]), actor=roles["student"]
    )
    login(client, roles["student"])
    response = client.post(
        reverse("submissions:work_withdraw", args=[work.pk]), {"reason": "重做"}, follow=True
    )
    assert any("作品已撤回" in m for m in messages_of(response))
    assert Work.objects.get(pk=work.pk).state == WorkState.WITHDRAWN
    assert "已撤回" in response.content.decode()


def test_invitation_flow_through_views(client, edition, roles, units):
    mate = people.student(units["hd_school"], real_name="王同学")
    work = services.work_create(
        actor=roles["student"],
        edition=edition,
        category=category(edition, "ai_agent"),
        title="智能体",
    )
    login(client, roles["student"])
    client.post(
        reverse("submissions:invite", args=[work.pk]), {"username": mate.username, "role": "author"}
    )
    invitation = work.authorships.get(user=mate)
    # Someone else cannot answer it.
    login(client, roles["student_b"])
    assert (
        client.post(
            reverse("submissions:invitation_respond", args=[invitation.pk, "accept"])
        ).status_code
        == 404
    )
    login(client, mate)
    dashboard = client.get(reverse("accounts:dashboard")).content.decode()
    assert "待您答复的邀请" in dashboard and "智能体" in dashboard
    client.post(reverse("submissions:invitation_respond", args=[invitation.pk, "accept"]))
    invitation.refresh_from_db()
    assert invitation.accepted_at is not None


def test_school_works_lists_only_own_school_with_bounded_queries(
    client, edition, roles, units, django_assert_max_num_queries
):
    for n in range(3):
        student = people.student(units["hd_school"], real_name=f"学生{n}")
        services.work_submit(
            work=complete_art_work(edition, student, title=f"本校{n}"), actor=student
        )
    other = people.student(units["hd_school2"], real_name="外校")
    art_draft(edition, other, title="外校作品")
    login(client, roles["coordinator"])
    # 15 for the page, and its menu: the coordinator's "waiting" count and the current
    # edition (read here because the tests turn off its per-process cache).
    with django_assert_max_num_queries(18):
        response = client.get(reverse("submissions:school_works"))
    html = response.content.decode()
    assert [w.title for w in response.context["page_obj"]] == ["本校2", "本校1", "本校0"]
    assert "外校作品" not in html
    assert "学生0" in html


def test_school_works_forbidden_for_students(client, edition, roles):
    assert (
        login(client, roles["student"]).get(reverse("submissions:school_works")).status_code == 403
    )


def test_my_works_bounded_queries(client, edition, roles, django_assert_max_num_queries):
    for n in range(4):
        complete_art_work(edition, roles["student"], title=f"作品{n}")
    login(client, roles["student"])
    with django_assert_max_num_queries(15):
        response = client.get(reverse("submissions:my_works"))
    assert len(response.context["works"]) == 4


def test_autosave_saves_draft_and_reports_errors_as_json(client, edition, roles):
    work = art_draft(edition, roles["student"])
    login(client, roles["student"])
    url = reverse("submissions:work_edit", args=[work.pk])
    data = {
        "title": "自动保存",
        "abstract": "简介",
        "keywords": "AI",
        "ai_tools": "工具",
        "ai_generated": "底稿",
        "originality_pledge": "on",
    }
    response = client.post(url, data, headers={"X-Autosave": "1"})
    assert response.status_code == 200
    assert "saved_at" in response.json()
    assert Work.objects.get(pk=work.pk).title == "自动保存"
    response = client.post(url, {**data, "title": ""}, headers={"X-Autosave": "1"})
    assert response.status_code == 400
    assert response.json()["errors"] == ["这个字段是必填项。"]


def test_invite_form_offers_only_roles_with_room(client, edition, roles):
    login(client, roles["student"])
    art = art_draft(edition, roles["student"])  # ai_art: one author only
    form = client.get(reverse("submissions:work_detail", args=[art.pk])).context["invite_form"]
    assert [c[0] for c in form.fields["role"].choices] == ["advisor"]


@pytest.mark.skipif(not __import__("shutil").which("ffmpeg"), reason="needs ffmpeg")
def test_video_poster_made_after_commit(edition, roles, django_capture_on_commit_callbacks):
    from gongchuang.demo.submissions import mp4

    work = services.work_create(
        actor=roles["student"],
        edition=edition,
        category=category(edition, "ai_agent"),
        title="视频",
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.workfile_store(
            work=work,
            slot="demo_video",
            fileobj=io.BytesIO(mp4()),
            name="demo.mp4",
            actor=roles["student"],
        )
    work_file = WorkFile.objects.get()
    assert work_file.kind == "video"
    assert work_file.thumbnail.name
    with work_file.thumbnail.open("rb") as fh:
        assert fh.read(3) == b"\xff\xd8\xff"  # a JPEG poster frame


def test_file_stored_then_refused_under_lock_is_removed_from_storage(
    edition, roles, monkeypatch, settings
):
    """The deadline passes while the file is being copied: nothing is kept."""
    from gongchuang.submissions import rules

    work = art_draft(edition, roles["student"])
    window = edition.windows.get(step=Step.SUBMISSION)
    window.closes_at = timezone.now() - datetime.timedelta(seconds=1)
    window.save()
    monkeypatch.setattr(rules, "can_edit", lambda user, work: True)  # checked before the deadline
    with pytest.raises(DomainError) as exc:
        services.workfile_store(
            work=work,
            slot="artwork",
            fileobj=io.BytesIO(png_bytes()),
            name="a.png",
            actor=roles["student"],
        )
    assert exc.value.code == "window_closed"
    assert WorkFile.objects.count() == 0
    stored = list((settings.MEDIA_ROOT / "works").rglob("*"))
    assert [p for p in stored if p.is_file()] == []


def test_work_detail_bounded_queries(client, edition, roles, units, django_assert_max_num_queries):
    work = complete_art_work(edition, roles["student"])
    for n in range(2):
        services.invitation_create(
            work=work,
            actor=roles["student"],
            username=people.teacher(units["hd_school"], real_name=f"老师{n}").username,
            role="advisor",
        )
    login(client, roles["student"])
    with django_assert_max_num_queries(25):
        response = client.get(work.get_absolute_url())
    assert response.status_code == 200


@pytest.mark.parametrize("who", ["coordinator", "committee", "teacher"])
def test_people_who_may_see_a_work_still_cannot_change_it(client, edition, roles, who):
    work = complete_art_work(edition, roles["student"])
    services.invitation_create(
        work=work, actor=roles["student"], username=roles["teacher"].username, role="advisor"
    )  # the teacher is invited (pending): may look, not act
    work_file = work.files.get(slot="artwork")
    login(client, roles[who])
    assert client.get(work.get_absolute_url()).status_code == 200
    posts = [
        (reverse("submissions:work_submit", args=[work.pk]), {}),
        (reverse("submissions:work_withdraw", args=[work.pk]), {"reason": "x"}),
        (
            reverse("submissions:file_upload", args=[work.pk]),
            {"slot": "artwork", "file": io.BytesIO(png_bytes())},
        ),
        (reverse("submissions:work_edit", args=[work.pk]), {"title": "改"}),
    ]
    for url, data in posts:
        assert client.post(url, data).status_code == 404, url
    client.post(reverse("submissions:file_delete", args=[work.pk, work_file.pk]))
    client.post(reverse("submissions:invite", args=[work.pk]), {"username": "x", "role": "advisor"})
    work.refresh_from_db()
    assert (work.state, work.title, work.files.count()) == (WorkState.DRAFT, "水墨北京", 3)
    assert work.authorships.count() == 2


def test_admin_lists_works_with_state_read_only(client, edition, roles):
    work = complete_art_work(edition, roles["student"])
    login(client, roles["committee"])
    changelist = client.get(reverse("admin:submissions_work_changelist"))
    assert "水墨北京" in changelist.content.decode()
    change = client.get(reverse("admin:submissions_work_change", args=[work.pk]))
    assert "state" not in change.context["adminform"].form.fields


def _jpeg_with_gps() -> bytes:
    from PIL import Image

    img = Image.new("RGB", (64, 48), (200, 30, 30))
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # camera make
    exif[0x8825] = {1: "N", 2: (39.0, 59.0, 0.0), 3: "E", 4: (116.0, 18.0, 0.0)}  # GPS
    buf = io.BytesIO()
    img.save(buf, format="JPEG", exif=exif)
    return buf.getvalue()


def test_photo_metadata_with_gps_is_removed_before_storing(edition, roles):
    import hashlib

    from PIL import Image

    work = art_draft(edition, roles["student"])
    data = _jpeg_with_gps()
    with Image.open(io.BytesIO(data)) as original:
        assert original.getexif().get_ifd(0x8825)  # the test photo really has GPS
    work_file = services.workfile_store(
        work=work,
        slot="artwork",
        fileobj=io.BytesIO(data),
        name="photo.jpg",
        actor=roles["student"],
    )
    with work_file.file.open("rb") as fh:
        stored = fh.read()
    with Image.open(io.BytesIO(stored)) as img:
        assert not img.getexif().get_ifd(0x8825)
        assert 0x010F not in img.getexif()
        assert img.size == (64, 48)
    assert work_file.sha256 == hashlib.sha256(stored).hexdigest()
    assert work_file.size == len(stored)


def test_image_without_metadata_is_stored_byte_for_byte(edition, roles):
    import hashlib

    work = art_draft(edition, roles["student"])
    data = png_bytes()
    work_file = services.workfile_store(
        work=work, slot="artwork", fileobj=io.BytesIO(data), name="a.png", actor=roles["student"]
    )
    assert work_file.sha256 == hashlib.sha256(data).hexdigest()
