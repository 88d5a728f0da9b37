"""Real-browser tests of online submission: register, draft, upload, submit, receipt."""

import pytest
from playwright.sync_api import expect

from gongchuang.submissions.models import Work
from tests.submissions.helpers import pdf_bytes, png_bytes, zip_bytes

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def register_student(
    page, live_server, units, username="lixiaoming", *, document="110105201105010015",
    school="hd_school", real_name="李小明", kind="resident_id",
):
    page.goto(live_server.url + "/accounts/register/student/")
    page.fill("#id_username", username)
    page.fill("#id_real_name", real_name)
    page.fill("#id_password1", "Kexue2026plus")
    page.fill("#id_password2", "Kexue2026plus")
    page.select_option("#id_unit", str(units[school].unit_id))
    page.wait_for_function("document.querySelectorAll('#id_school option').length > 1")
    page.select_option("#id_school", str(units[school].pk))
    page.select_option("#id_level", "junior")
    page.fill("#id_grade", "初三")
    page.fill("#id_birth_date", "2011-05-01")
    page.select_option("#id_document_type", kind)
    page.fill("#id_document_number", document)
    page.check("#id_privacy_ack")
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/accounts/dashboard/")


def fill_work_form(page, category_label, title, contribution="构图、修改与说明由作者完成"):
    page.select_option("#id_category", label=category_label)
    page.fill("#id_title", title)
    page.fill("#id_abstract", "用 AI 绘画工具创作的北京胡同水墨画。")
    page.fill("#id_keywords", "AI绘画,北京")
    page.get_by_label("即梦", exact=True).check()
    page.fill("#id_ai_tools", "文心一格")
    page.fill("#id_ai_generated", "画面底稿")
    if contribution:
        page.fill("#id_ai_contribution", contribution)
    page.check("#id_originality_pledge")
    page.click("[data-testid=save-work]")


def upload(page, slot, name, mime, data):
    form = page.locator(f"#slot-{slot} form.upload-form")
    form.locator("input[type=file]").set_input_files(
        files=[{"name": name, "mimeType": mime, "buffer": data}]
    )
    form.locator("button[type=submit]").click()


def test_student_registers_submits_ai_art_and_is_refused_a_second_work(
    live_server, page, edition, units
):
    page.on("dialog", lambda dialog: dialog.accept())
    register_student(page, live_server, units)
    expect(page.locator("[data-testid=panel-my-works]").first).to_contain_text(
        "我的作品", use_inner_text=True
    )

    page.click("#site-nav >> text=我的作品")
    page.click("[data-testid=new-work]")
    fill_work_form(page, "AI 艺术创作", "胡同里的水墨时光")
    expect(page.locator(".messages").first).to_contain_text("草稿已保存", use_inner_text=True)
    expect(page.locator("[data-testid=missing]").first).to_contain_text(
        "缺少材料：作品文件", use_inner_text=True
    )

    # A ZIP archive named .png is refused by its content.
    upload(page, "artwork", "artwork.png", "image/png", zip_bytes())
    status = page.locator("#slot-artwork .upload-status")
    status.filter(has_text="ZIP").wait_for()
    expect(status).to_contain_text("不符", use_inner_text=True)
    expect(page.locator("#slot-artwork [data-testid=file]")).to_have_count(0)

    # Real files go through the resumable upload and the page reloads.
    upload(page, "artwork", "水墨.png", "image/png", png_bytes((320, 240)))
    page.locator("#slot-artwork [data-testid=file]").wait_for()
    upload(page, "statement", "创作说明.pdf", "application/pdf", pdf_bytes())
    page.locator("#slot-statement [data-testid=file]").wait_for()
    upload(page, "process", "过程.pdf", "application/pdf", pdf_bytes())
    page.locator("#slot-process [data-testid=file]").wait_for()
    expect(page.locator("[data-testid=next-steps]").first).to_contain_text(
        "所需内容已齐全", use_inner_text=True
    )

    page.click("[data-testid=submit-work]")
    page.wait_for_url("**/receipt/")
    expect(page.locator("[data-testid=receipt-code]").first).to_have_text(
        "2026-ART-HD-0001", use_inner_text=True
    )
    expect(page.locator("h1").first).to_contain_text("提交回执", use_inner_text=True)
    expect(page.locator("[data-testid=receipt]").first).to_contain_text(
        "水墨.png", use_inner_text=True
    )

    # A second work is no longer offered; the address leads back to my works, which says why.
    page.goto(live_server.url + "/works/new/")
    page.wait_for_url("**/works/")
    expect(page.locator(".messages").first).to_contain_text(
        "每名学生每届只能提交一个作品", use_inner_text=True
    )
    expect(page.get_by_test_id("one-work-note")).to_contain_text("您已提交本届作品")
    expect(page.get_by_test_id("new-work")).to_have_count(0)
    assert Work.objects.count() == 1


def test_my_works_and_receipt_fit_a_phone(live_server, phone, edition, units):
    phone.on("dialog", lambda dialog: dialog.accept())
    register_student(phone, live_server, units, username="phoneuser")
    phone.goto(live_server.url + "/works/new/")
    fill_work_form(phone, "AI 艺术创作", "手机上的作品")
    upload(phone, "artwork", "a.png", "image/png", png_bytes())
    phone.locator("#slot-artwork [data-testid=file]").wait_for()
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, "no horizontal scrolling on a phone"
    phone.goto(live_server.url + "/works/")
    assert "手机上的作品" in phone.inner_text("[data-testid=my-work]")
    assert "缺少材料：创作说明（PDF）" in phone.inner_text("[data-testid=my-work]")


def test_browser_upload_resumes_after_a_dropped_chunk(
    live_server, page, browser_login, edition, roles
):
    import hashlib

    from gongchuang.submissions.models import WorkFile
    from tests.submissions.helpers import art_draft, mp4_bytes

    work = art_draft(edition, roles["student"])
    data = mp4_bytes(b"\x01\x02\x03" * (3 * 1024 * 1024))  # ~9 MB: three 4 MB chunks
    dropped = []

    def flaky(route):
        # The connection drops once, during the second chunk.
        offset = route.request.headers.get("upload-offset")
        if route.request.method == "PATCH" and offset not in (None, "0") and not dropped:
            dropped.append(offset)
            route.abort("connectionreset")
            return
        route.continue_()

    browser_login(page, live_server, roles["student"].username)
    page.route("**/works/uploads/**", flaky)
    page.goto(live_server.url + work.get_absolute_url())
    upload(page, "artwork", "video.mp4", "video/mp4", data)
    page.locator("#slot-artwork [data-testid=file]").wait_for(timeout=30_000)
    assert dropped == [str(4 * 1024 * 1024)]
    work_file = WorkFile.objects.get(work=work)
    assert work_file.sha256 == hashlib.sha256(data).hexdigest()
    assert work_file.size == len(data)


def test_ai_use_declaration_fields_are_required_to_submit(live_server, page, edition, units):
    register_student(page, live_server, units)
    page.goto(live_server.url + "/works/new/")
    expect(page.locator("#id_ai_tool_list input[type=checkbox]")).to_have_count(14)
    fill_work_form(page, "AI 艺术创作", "未写贡献的作品", contribution="")
    expect(page.locator("[data-testid=missing]").first).to_contain_text(
        "AI 使用声明未说明本人贡献。", use_inner_text=True
    )
    expect(page.locator("[data-testid=ai-tools]")).to_have_text("即梦、文心一格")
    work = Work.objects.get()
    page.goto(f"{live_server.url}/works/{work.pk}/edit/")
    expect(page.get_by_label("即梦", exact=True)).to_be_checked()
    page.get_by_label("DeepSeek", exact=True).check()
    page.fill("#id_ai_contribution", "选题与修改由我完成")
    page.click("[data-testid=save-work]")
    expect(page.locator("[data-testid=ai-contribution]")).to_have_text("选题与修改由我完成")
    expect(page.locator("[data-testid=ai-tools]")).to_have_text("DeepSeek、即梦、文心一格")
    expect(page.locator("[data-testid=missing]").first).not_to_contain_text("AI 使用声明")
