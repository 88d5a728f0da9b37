"""Demo content of the portal: notices, a guide document, a showcase of past works, cases."""

import datetime
import io
import random

from django.core.files.base import ContentFile
from django.utils import timezone
from PIL import Image, ImageDraw
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas

from gongchuang.accounts.enums import DocumentType, Level, Role
from gongchuang.accounts.identity import document_key, person_key
from gongchuang.accounts.models import Membership, School, StudentProfile, Unit, User
from gongchuang.common import fonts
from gongchuang.common.files.hashing import sha256_of
from gongchuang.common.files.images import make_thumbnail
from gongchuang.demo.accounts import demo_national_id
from gongchuang.portal import services
from gongchuang.portal.importer import past_work_create
from gongchuang.portal.models import Notice
from gongchuang.submissions.enums import AiTopic, AuthorRole, CaseLicence, CaseSubject
from gongchuang.submissions.models import Authorship, Work, WorkFile

NOTICES = [
    (
        "关于举办2026北京青少年人工智能应用实践活动的通知",
        "本届活动主题为“与AI共创未来”，面向全市中小学生、高校学生及教师。",
        "## 一、活动主题\n\n与AI共创未来\n\n## 二、参与对象\n\n- 全市中小学生、高校学生\n"
        "- 中小学及高校教师、校外教育机构教师\n\n## 三、活动安排\n\n| 阶段 | 时间 |\n|---|---|\n"
        "| 筹备 | 2月—4月 |\n| 申报与初评 | 4月—6月 |\n| 终评 | 6月—8月 |\n\n"
        "详见附件《活动指南》。",
        True,
        True,
    ),
    (
        "网上申报系统操作说明",
        "学生、教师注册与作品提交的操作步骤。",
        "1. 使用手机号或邮箱注册账号；\n2. 选择类别并填写作品信息；\n3. 上传作品材料并提交。\n\n"
        "**注意**：每名学生每届只能提交一件作品。",
        False,
        False,
    ),
    (
        "往届优秀作品展示上线",
        "往届优秀作品已在“作品展示”栏目上线。",
        "欢迎访问[作品展示](/showcase/)栏目，了解往届优秀作品。",
        False,
        False,
    ),
]

SHOWCASE = [
    ("ai_art", Level.PRIMARY, "HD", "未来城市的早晨", "王小雨", "2015-09-01"),
    ("ai_art", Level.JUNIOR, "CY", "AI 眼中的长城四季", "张晓光", "2011-05-12"),
    ("ai_art", Level.SENIOR, "XC", "胡同里的机器人邮差", "刘思远", "2008-03-02"),
    ("ai_art", Level.UNIVERSITY, "HD", "数字敦煌·飞天新绘", "陈嘉怡", "2003-11-20"),
    ("ai_agent", Level.JUNIOR, "HD", "垃圾分类小助手", "李浩然", "2011-07-08"),
    ("ai_agent", Level.SENIOR, "CY", "校园心理陪伴智能体", "赵一鸣", "2008-09-15"),
    ("ai_agent", Level.UNIVERSITY, "FT", "社区养老服务智能体", "孙悦", "2002-04-01"),
    ("ai_scientist", Level.SENIOR, "MTG", "永定河水质的AI监测研究", "周子涵", "2008-01-30"),
    ("ai_scientist", Level.JUNIOR, "DC", "用图像识别统计校园鸟类", "吴晨", "2011-02-14"),
    ("ai_company", Level.SENIOR, "TZ", "AI 手作文创小店", "郑可欣", "2007-12-25"),
    ("ai_company", Level.UNIVERSITY, "CP", "AI 辅助的二手教材平台", "冯博文", "2001-06-06"),
    ("ai_art", Level.PRIMARY, "SY", "我和AI画的恐龙朋友", "何小乐", "2016-08-18"),
]

# (title, keywords, case fields): one case downloadable (CC BY-NC 4.0), one view only.
CASES = [
    (
        "用数据讲故事：初中跨学科AI项目",
        "人工智能 数据 跨学科",
        {"case_licence": CaseLicence.CC_BY_NC, "case_level": Level.JUNIOR,
         "case_subject": CaseSubject.INFORMATION_TECHNOLOGY, "ai_topic": AiTopic.DATA},
    ),
    (
        "小学AI启蒙：认识图像识别",
        "图像识别 小学 校本课程",
        {"case_licence": CaseLicence.VIEW_ONLY, "case_level": Level.PRIMARY,
         "case_subject": CaseSubject.SCIENCE, "ai_topic": AiTopic.ALGORITHM},
    ),
]  # fmt: skip


def demo_image(seed: int, size=(800, 600)) -> bytes:
    """A colourful abstract picture (no fonts needed), PNG bytes."""
    rnd = random.Random(seed)
    img = Image.new("RGB", size, tuple(rnd.randrange(40, 200) for _ in range(3)))
    draw = ImageDraw.Draw(img)
    for _ in range(14):
        x, y = rnd.randrange(size[0]), rnd.randrange(size[1])
        r = rnd.randrange(30, 180)
        colour = tuple(rnd.randrange(256) for _ in range(3))
        if rnd.random() < 0.5:
            draw.ellipse((x - r, y - r, x + r, y + r), fill=colour)
        else:
            draw.rectangle((x - r, y - r // 2, x + r, y + r // 2), fill=colour)
    out = io.BytesIO()
    img.save(out, format="PNG")
    return out.getvalue()


def demo_pdf(title: str) -> bytes:
    out = io.BytesIO()
    pdf = canvas.Canvas(out, pagesize=A4, **fonts.canvas_options())
    pdf.setFont(fonts.font_name(), 18)
    pdf.drawString(72, 760, title)
    pdf.setFont(fonts.font_name(), 12)
    pdf.drawString(72, 730, "北京青少年人工智能应用实践活动 · 演示文件")
    pdf.showPage()
    pdf.save()
    return out.getvalue()


def add_work_file(work: Work, *, data: bytes, name: str, kind: str, mime: str, user) -> WorkFile:
    work_file = WorkFile(
        work=work,
        slot="artwork" if kind == "image" else "document",
        original_name=name,
        size=len(data),
        sha256=sha256_of(io.BytesIO(data)),
        mime=mime,
        kind=kind,
        uploaded_by=user,
    )
    work_file.file.save(name, ContentFile(data), save=False)
    if kind == "image":
        thumb = io.BytesIO()
        make_thumbnail(io.BytesIO(data), thumb)
        work_file.thumbnail.save("thumb.jpg", ContentFile(thumb.getvalue()), save=False)
    work_file.save()
    return work_file


def _demo_student(i: int, real_name: str, birth: str, level: str, unit: Unit) -> User:
    username = f"showcase{i:02d}"
    user = User.objects.filter(username=username).first()
    if user is not None:
        return user
    school, _ = School.objects.get_or_create(unit=unit, name=f"{unit.name}示范学校")
    user = User(username=username, real_name=real_name)
    user.set_unusable_password()  # showcase authors of a past edition: no log-in
    user.save()
    born = datetime.date.fromisoformat(birth)
    key = document_key(DocumentType.RESIDENT_ID, demo_national_id(username, born))
    StudentProfile.objects.create(
        user=user,
        level=level,
        unit=unit,
        school=school,
        grade="",
        document_type=DocumentType.RESIDENT_ID,
        national_id_hash=key,
        national_id_last4=demo_national_id(username, born)[-4:],
        identity_key=key,
        person_key=person_key(real_name=real_name, birth_date=born),
        birth_date=born,
    )
    Membership.objects.create(user=user, role=Role.STUDENT, unit=unit, school=school)
    return user


def seed_portal(demo) -> None:
    committee = demo.users["committee"]
    edition = demo.edition
    if Notice.objects.filter(edition=edition).exists():
        return
    now = timezone.now()
    for i, (title, summary, body, pinned, attach) in enumerate(NOTICES):
        notice = services.notice_save(
            actor=committee, edition=edition, title=title, summary=summary, body=body
        )
        notice = services.notice_publish(notice=notice, actor=committee)
        Notice.objects.filter(pk=notice.pk).update(published_at=now - datetime.timedelta(days=i))
        if pinned:
            services.notice_pin(notice=notice, actor=committee, pinned=True)
        if attach:
            services.notice_attachment_add(
                notice=notice,
                actor=committee,
                fileobj=ContentFile(demo_pdf(title), name="a.pdf"),
                name="活动指南（演示）.pdf",
            )
    organizer = demo.users["organizer"]
    unit_notice = services.notice_save(
        actor=organizer,
        edition=edition,
        unit=Unit.objects.get(code="HD"),
        title="海淀区作品征集与申报培训会的通知",
        body="海淀区将于本周五下午在区青少年科技馆举办申报培训会，欢迎各校协调员参加。",
    )
    services.notice_publish(notice=unit_notice, actor=organizer)
    services.guide_document_add(
        edition=edition,
        actor=committee,
        title="2026活动指南",
        fileobj=ContentFile(demo_pdf("2026活动指南"), name="g.pdf"),
        name="2026活动指南.pdf",
    )
    _seed_showcase(demo, committee)


def _seed_showcase(demo, committee) -> None:
    past = demo.past_edition()
    categories = {c.code: c for c in past.categories.all()}
    for i, (code, level, unit_code, title, name, birth) in enumerate(SHOWCASE, start=1):
        unit = Unit.objects.get(code=unit_code)
        student = _demo_student(i, name, birth, level, unit)
        work = _historic_work(
            past,
            categories[code],
            title,
            level,
            student.student_profile.school,
            committee,
            f"{past.code}-{categories[code].short_code}-{unit_code}-{i:04d}",
        )
        Authorship.objects.create(work=work, edition=past, user=student, role=AuthorRole.AUTHOR)
        add_work_file(
            work,
            data=demo_image(i),
            name=f"{title}.png",
            kind="image",
            mime="image/png",
            user=committee,
        )
    teacher = demo.users["teacher"]
    school = teacher.teacher_profile.school
    for i, (title, keywords, case_fields) in enumerate(CASES, start=1):
        work = _historic_work(
            past,
            categories["teaching_case"],
            title,
            "",
            school,
            committee,
            f"{past.code}-TCH-{school.unit.code}-{i:04d}",
            keywords=keywords,
            **case_fields,
        )
        Authorship.objects.create(work=work, edition=past, user=teacher, role=AuthorRole.AUTHOR)
        add_work_file(
            work,
            data=demo_pdf(title),
            name=f"{title}·教学设计.pdf",
            kind="pdf",
            mime="application/pdf",
            user=committee,
        )
        add_work_file(
            work,
            data=demo_image(100 + i),
            name="课堂照片.png",
            kind="image",
            mime="image/png",
            user=committee,
        )


def _historic_work(
    edition, category, title, level, school, actor, code, keywords="", **fields
) -> Work:
    # A past edition's result, created in its final state (no transition happened here).
    return past_work_create(
        edition=edition,
        category=category,
        title=title,
        level=level,
        school=school,
        actor=actor,
        abstract=f"《{title}》是往届活动的优秀作品，展示了人工智能在生活与学习中的创造性应用。",
        keywords=keywords or "人工智能 创意",
        code=code,
        ai_tool_list=["wenxin", "jimeng"],
        ai_generated="画面初稿由 AI 生成。",
        ai_contribution="构思、筛选与修改由作者完成。",
        **fields,
    )
