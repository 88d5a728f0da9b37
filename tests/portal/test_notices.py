import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from gongchuang.common.errors import DomainError
from gongchuang.common.models import AuditEvent
from gongchuang.portal import services
from gongchuang.portal.models import Notice
from gongchuang.portal.selectors import notices_public

from .helpers import PDF_BYTES

pytestmark = pytest.mark.django_db


def _notice(
    roles, edition, *, title="通知一", unit=None, publish=True, who="committee", body="正文"
):
    notice = services.notice_save(
        actor=roles[who], edition=edition, title=title, body=body, unit=unit
    )
    if publish:
        notice = services.notice_publish(notice=notice, actor=roles[who])
    return notice


def test_render_markdown_removes_scripts_handlers_and_javascript_links():
    html = services.render_markdown(
        "# 标题\n\n<script>alert(1)</script>\n\n<img src=x onerror=alert(1)>\n\n"
        "[点我](javascript:alert(1)) [官网](https://example.cn)\n\n**粗体**"
    )
    assert "<script" not in html
    assert "onerror" not in html
    assert "javascript:" not in html
    assert '<a href="https://example.cn" rel="noopener noreferrer nofollow">官网</a>' in html
    assert "<strong>粗体</strong>" in html


def test_render_markdown_keeps_tables_and_images():
    html = services.render_markdown("| a | b |\n|---|---|\n| 1 | 2 |\n\n![图](/x.png)")
    assert "<table>" in html
    assert '<img alt="图" src="/x.png">' in html


def test_notice_save_creates_draft_with_sanitised_html_and_audit(roles, edition):
    notice = _notice(roles, edition, body="<b onclick='x()'>hi</b>", publish=False)
    assert notice.status == "draft"
    assert notice.body_html == "<p><b>hi</b></p>"
    assert AuditEvent.objects.filter(action="notice.create", object_id=str(notice.pk)).count() == 1


def test_unit_organizer_cannot_write_for_another_unit_or_the_city(roles, edition, units):
    with pytest.raises(DomainError) as exc:
        services.notice_save(
            actor=roles["organizer"], edition=edition, title="x", body="y", unit=units["cy"]
        )
    assert exc.value.code == "forbidden"
    with pytest.raises(DomainError):
        services.notice_save(actor=roles["organizer"], edition=edition, title="x", body="y")


def test_publish_pin_unpublish_and_order(roles, edition):
    first = _notice(roles, edition, title="较早")
    second = _notice(roles, edition, title="较新")
    assert [n.title for n in notices_public()] == ["较新", "较早"]
    services.notice_pin(notice=first, actor=roles["committee"], pinned=True)
    assert [n.title for n in notices_public()] == ["较早", "较新"]
    services.notice_unpublish(notice=first, actor=roles["committee"])
    first.refresh_from_db()
    assert (first.status, first.is_pinned) == ("unpublished", False)
    assert [n.title for n in notices_public()] == ["较新"]
    assert second.published_at is not None
    actions = set(
        AuditEvent.objects.filter(object_id=str(first.pk)).values_list("action", flat=True)
    )
    assert {"notice.publish", "notice.pin", "notice.unpublish"} <= actions


def test_republish_keeps_the_first_publication_time(roles, edition):
    notice = _notice(roles, edition)
    published_at = notice.published_at
    services.notice_unpublish(notice=notice, actor=roles["committee"])
    again = services.notice_publish(
        notice=Notice.objects.get(pk=notice.pk), actor=roles["committee"]
    )
    assert again.published_at == published_at


def test_pinning_a_draft_is_refused(roles, edition):
    notice = _notice(roles, edition, publish=False)
    with pytest.raises(DomainError) as exc:
        services.notice_pin(notice=notice, actor=roles["committee"], pinned=True)
    assert exc.value.code == "not_published"


def test_attachment_checked_by_content(roles, edition):
    notice = _notice(roles, edition)
    fake = ContentFile(b"<html><script>alert(1)</script></html>", name="x.pdf")
    with pytest.raises(DomainError):
        services.notice_attachment_add(
            notice=notice, actor=roles["committee"], fileobj=fake, name="通知.pdf"
        )
    ok = services.notice_attachment_add(
        notice=notice, actor=roles["committee"], fileobj=ContentFile(PDF_BYTES, name="a"),
        name="报名表.pdf",
    )  # fmt: skip
    assert (ok.original_name, ok.kind, ok.size) == ("报名表.pdf", "pdf", len(PDF_BYTES))


def test_public_list_shows_only_published_city_notices(client, roles, edition, units):
    _notice(roles, edition, title="已发布的通知")
    _notice(roles, edition, title="草稿通知", publish=False)
    _notice(roles, edition, title="海淀区培训会", unit=units["hd"], who="organizer")
    body = client.get(reverse("portal:notice_list")).content.decode()
    assert "已发布的通知" in body
    assert "草稿通知" not in body
    assert "海淀区培训会" not in body
    assert "通知公告" in body
    assert '<a href="/units/HD/">海淀区</a>' in body  # the unit's own page is linked
    assert '<a href="/units/CY/">' not in body


def test_notice_list_is_paginated(client, roles, edition):
    for i in range(22):
        _notice(roles, edition, title=f"第{i:02d}号通知")
    first = client.get(reverse("portal:notice_list")).content.decode()
    second = client.get(reverse("portal:notice_list") + "?page=2").content.decode()
    assert first.count('class="notice-item') == 20
    assert second.count('class="notice-item') == 2
    assert 'rel="next"' in first
    assert 'rel="prev"' in second


def test_draft_detail_is_404_for_the_public_but_visible_to_its_editor(client, roles, edition):
    draft = _notice(roles, edition, title="内部草稿", publish=False)
    assert client.get(draft.get_absolute_url()).status_code == 404
    client.force_login(roles["committee"])
    response = client.get(draft.get_absolute_url())
    assert response.status_code == 200
    assert "这条通知尚未发布，仅编辑人员可见。" in response.content.decode()


def test_other_units_organizer_cannot_open_or_change_a_draft(client, roles, edition, units):
    draft = _notice(roles, edition, unit=units["hd"], who="organizer", publish=False)
    client.force_login(roles["organizer_cy"])
    assert client.get(draft.get_absolute_url()).status_code == 404
    assert client.get(reverse("portal:notice_edit", args=[draft.pk])).status_code == 404
    response = client.post(reverse("portal:notice_action", args=[draft.pk, "publish"]))
    assert response.status_code == 404
    draft.refresh_from_db()
    assert draft.status == "draft"


def test_attachment_of_unpublished_notice_is_not_downloadable(client, roles, edition):
    notice = _notice(roles, edition, publish=False)
    attachment = services.notice_attachment_add(
        notice=notice, actor=roles["committee"], fileobj=ContentFile(PDF_BYTES, name="a"),
        name="a.pdf",
    )  # fmt: skip
    assert client.get(attachment.get_absolute_url()).status_code == 404
    services.notice_publish(notice=notice, actor=roles["committee"])
    response = client.get(attachment.get_absolute_url())
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF_BYTES
    assert "attachment" in response["Content-Disposition"]


def test_committee_writes_previews_and_publishes_through_the_pages(client, roles, edition):
    client.force_login(roles["committee"])
    url = reverse("portal:notice_create")
    preview = client.post(
        url, {"title": "征集通知", "body": "**重要**<script>x</script>", "preview": "1"}
    )
    assert "<strong>重要</strong>" in preview.content.decode()
    assert "<script>x</script>" not in preview.content.decode()
    assert Notice.objects.count() == 0
    upload = ContentFile(PDF_BYTES, name="报名表.pdf")
    response = client.post(url, {"title": "征集通知", "body": "正文", "attachment": upload})
    notice = Notice.objects.get()
    assert response.status_code == 302
    assert notice.attachments.get().original_name == "报名表.pdf"
    client.post(reverse("portal:notice_action", args=[notice.pk, "publish"]))
    client.post(reverse("portal:notice_action", args=[notice.pk, "pin"]))
    notice.refresh_from_db()
    assert (notice.status, notice.is_pinned) == ("published", True)


def test_invalid_attachment_shows_chinese_error_and_saves_nothing(client, roles, edition):
    client.force_login(roles["committee"])
    bad = ContentFile(b"MZ\x90\x00" + b"\x00" * 100, name="virus.pdf")
    response = client.post(
        reverse("portal:notice_create"), {"title": "t", "body": "b", "attachment": bad}
    )
    assert response.status_code == 200
    assert Notice.objects.count() == 0
    assert 'class="form-errors"' in response.content.decode()


def test_manage_pages_need_a_writer_role(client, roles):
    url = reverse("portal:notice_manage")
    assert client.get(url).status_code == 302
    client.force_login(roles["student"])
    assert client.get(url).status_code == 403
    client.force_login(roles["organizer"])
    assert client.get(url).status_code == 200


def test_organizer_lists_only_own_units_notices(client, roles, edition, units):
    _notice(roles, edition, title="海淀通知", unit=units["hd"], who="organizer")
    _notice(roles, edition, title="朝阳通知", unit=units["cy"], who="organizer_cy")
    _notice(roles, edition, title="全市通知")
    client.force_login(roles["organizer"])
    body = client.get(reverse("portal:notice_manage")).content.decode()
    assert "海淀通知" in body
    assert "朝阳通知" not in body
    assert "全市通知" not in body


def test_unit_page_and_dashboard_panel_show_unit_notices(client, roles, edition, units):
    _notice(roles, edition, title="海淀区申报培训会", unit=units["hd"], who="organizer")
    _notice(roles, edition, title="朝阳区申报培训会", unit=units["cy"], who="organizer_cy")
    _notice(roles, edition, title="全市征集通知")
    unit_page = client.get(reverse("portal:unit", args=["HD"])).content.decode()
    assert "海淀区申报培训会" in unit_page
    assert "朝阳区申报培训会" not in unit_page
    client.force_login(roles["student"])  # a student of a Haidian school
    dashboard = client.get(reverse("accounts:dashboard")).content.decode()
    assert "给您的通知" in dashboard
    assert "海淀区申报培训会" in dashboard
    assert "全市征集通知" in dashboard
    assert "朝阳区申报培训会" not in dashboard


def test_feeds_list_published_notices(client, roles, edition):
    _notice(roles, edition, title="订阅测试通知", body="**内容**")
    _notice(roles, edition, title="未发布", publish=False)
    rss = client.get(reverse("portal:notice_rss"))
    atom = client.get(reverse("portal:notice_atom"))
    assert rss["Content-Type"].startswith("application/rss+xml")
    assert atom["Content-Type"].startswith("application/atom+xml")
    assert "订阅测试通知" in rss.content.decode()
    assert "未发布" not in rss.content.decode()
    assert "订阅测试通知" in atom.content.decode()


def test_home_shows_latest_notices_phase_and_organisers(client, roles, edition):
    _notice(roles, edition, title="首页最新通知")
    body = client.get("/").content.decode()
    assert "首页最新通知" in body
    assert "与AI共创未来" in body
    assert "当前阶段" in body
    assert "主办单位" in body and "北京市科学技术协会" in body
    assert "协办单位" in body and "北京青少年科学基金会" in body


def test_home_entry_buttons_depend_on_role(client, roles, edition):
    assert "学生：注册并申报作品" in client.get("/").content.decode()
    client.force_login(roles["committee"])
    body = client.get("/").content.decode()
    assert "发布通知" in body and "展示管理" in body
    client.force_login(roles["student"])
    body = client.get("/").content.decode()
    assert "进入我的工作台" in body and "发布通知" not in body
    assert 'href="/works/">我的作品</a>' in body
    client.force_login(roles["expert"])
    assert 'href="/judging/">专家评审</a>' in client.get("/").content.decode()


def test_actions_never_redirect_to_another_site(client, roles, edition):
    notice = _notice(roles, edition, publish=False)
    client.force_login(roles["committee"])
    url = reverse("portal:notice_action", args=[notice.pk, "publish"])
    response = client.post(url, {"next": "https://evil.example/phish"})
    assert response["Location"] == reverse("portal:notice_manage")
    response = client.post(
        reverse("portal:notice_action", args=[notice.pk, "pin"]), {"next": "/notices/"}
    )
    assert response["Location"] == "/notices/"


def test_unknown_action_is_404(client, roles, edition):
    notice = _notice(roles, edition)
    client.force_login(roles["committee"])
    assert (
        client.post(reverse("portal:notice_action", args=[notice.pk, "delete"])).status_code == 404
    )


def test_dashboard_panel_query_count_is_small(
    roles, edition, units, rf, django_assert_max_num_queries
):
    from gongchuang.portal.dashboard import unit_notices

    for i in range(10):
        _notice(roles, edition, title=f"海淀{i}", unit=units["hd"], who="organizer")
    request = rf.get("/")
    request.user = roles["coordinator"]
    with django_assert_max_num_queries(4):
        context = unit_notices(request, edition)
        titles = [n.title for n in context["notices"]]
    assert titles == ["海淀9", "海淀8", "海淀7", "海淀6", "海淀5"]


def test_a_notice_with_a_future_time_is_scheduled(client, roles, edition):
    import datetime

    from django.utils import timezone

    later = timezone.now() + datetime.timedelta(days=2)
    notice = services.notice_save(
        actor=roles["committee"], edition=edition, title="定时通知", body="b", publish_at=later
    )
    notice = services.notice_publish(notice=notice, actor=roles["committee"])
    assert notice.published_at == later and notice.is_scheduled
    assert list(notices_public()) == []
    assert client.get(notice.get_absolute_url()).status_code == 404
    Notice.objects.filter(pk=notice.pk).update(
        published_at=timezone.now() - datetime.timedelta(minutes=1)
    )
    assert [n.title for n in notices_public()] == ["定时通知"]


def test_committee_schedules_through_the_form(client, roles, edition):
    client.force_login(roles["committee"])
    client.post(
        reverse("portal:notice_create"),
        {"title": "下周发布", "body": "b", "publish_at": "2099-01-01T09:00"},
    )
    notice = Notice.objects.get()
    client.post(reverse("portal:notice_action", args=[notice.pk, "publish"]))
    body = client.get(reverse("portal:notice_manage")).content.decode()
    assert "定时发布" in body
    detail = client.get(notice.get_absolute_url()).content.decode()
    assert "这条通知将于 2099-01-01 09:00 发布，目前仅编辑人员可见。" in detail
