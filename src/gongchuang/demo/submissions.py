"""Demo works: drafts, submitted works across HD and CY, a returned work, a teaching case.

Files are small but real (PNG drawn with Pillow, PDF with reportlab, a one-second
MP4 from ffmpeg when available), stored through the same service as uploads.
"""

import datetime
import io
import shutil
import struct
import subprocess
import tempfile

from django.contrib.auth.hashers import make_password
from PIL import Image, ImageDraw
from reportlab.pdfgen import canvas

from gongchuang.accounts import services as account_services
from gongchuang.accounts.enums import DocumentType
from gongchuang.accounts.models import School, User
from gongchuang.common import fonts
from gongchuang.demo.accounts import DEMO_PASSWORD, demo_national_id
from gongchuang.submissions import services
from gongchuang.submissions.enums import AuthorRole, WorkState
from gongchuang.submissions.models import Work
from gongchuang.submissions.tasks import make_preview

EXTRA_STUDENTS = [
    # username, name, unit school, level, grade, birth, category, title
    (
        "demo_hd1",
        "周雨桐",
        "北京市海淀区示范中学",
        "junior",
        "初三",
        "2011-04-02",
        "ai_art",
        "未来城市的晨光",
    ),
    (
        "demo_hd2",
        "吴浩然",
        "北京市海淀区示范中学",
        "junior",
        "初二",
        "2012-06-11",
        "ai_agent",
        "校园失物招领智能体",
    ),
    (
        "demo_hd3",
        "郑思涵",
        "北京市海淀区示范中学",
        "junior",
        "初一",
        "2013-01-19",
        "ai_art",
        "AI 笔下的二十四节气",
    ),
    (
        "demo_hd4",
        "孙一鸣",
        "北京市海淀区示范小学",
        "primary",
        "六年级",
        "2014-03-08",
        "ai_art",
        "会说话的颐和园",
    ),
    (
        "demo_hd5",
        "冯嘉怡",
        "北京市海淀区示范中学",
        "junior",
        "初三",
        "2011-09-23",
        "ai_agent",
        "错题整理小助手",
    ),
    (
        "demo_hd6",
        "陈子墨",
        "北京市海淀区示范中学",
        "junior",
        "初二",
        "2012-11-30",
        "ai_art",
        "水墨里的中关村",
    ),
    (
        "demo_cy1",
        "刘欣然",
        "北京市朝阳区示范中学",
        "senior",
        "高一",
        "2010-02-14",
        "ai_art",
        "798 的光影梦境",
    ),
    (
        "demo_cy2",
        "杨博文",
        "北京市朝阳区示范中学",
        "senior",
        "高二",
        "2009-05-05",
        "ai_agent",
        "社区垃圾分类指导员",
    ),
    (
        "demo_cy3",
        "黄诗琪",
        "北京市朝阳区示范中学",
        "senior",
        "高一",
        "2010-08-17",
        "ai_art",
        "奥林匹克公园的四季",
    ),
    (
        "demo_cy4",
        "赵俊杰",
        "北京市朝阳区示范中学",
        "senior",
        "高二",
        "2009-12-01",
        "ai_agent",
        "老人用药提醒智能体",
    ),
]
RETURNED = (
    "demo_hd7",
    "马可欣",
    "北京市海淀区示范中学",
    "junior",
    "初二",
    "2012-07-07",
    "ai_art",
    "星空下的长城",
)

COLOURS = [
    (52, 101, 164), (204, 0, 0), (78, 154, 6), (196, 160, 0), (117, 80, 123),
    (206, 92, 0), (32, 74, 135), (143, 89, 2), (92, 53, 102), (46, 52, 54),
    (164, 0, 0), (0, 120, 120), (200, 60, 140),
]  # fmt: skip


def png(index: int) -> bytes:
    """A distinct small picture per work (not near-duplicates of each other)."""
    colour = COLOURS[index % len(COLOURS)]
    img = Image.new("RGB", (640, 480), (250, 250, 245))
    draw = ImageDraw.Draw(img)
    for n in range(6 + index % 5):
        x = (n * 97 + index * 53) % 560
        y = (n * 61 + index * 29) % 400
        shape = draw.ellipse if (n + index) % 2 else draw.rectangle
        shape([x, y, x + 40 + n * 9, y + 30 + index * 5], fill=colour, outline=(0, 0, 0))
    draw.line([(0, 480 - index * 30), (640, index * 30)], fill=(0, 0, 0), width=4)
    buf = io.BytesIO()
    img.save(buf, format="PNG")
    return buf.getvalue()


def pdf(title: str, heading: str) -> bytes:
    buf = io.BytesIO()
    doc = canvas.Canvas(buf, **fonts.canvas_options())
    doc.setFont(fonts.font_name(), 18)
    doc.drawString(72, 760, heading)
    doc.setFont(fonts.font_name(), 12)
    doc.drawString(72, 730, f"作品：{title}")
    doc.drawString(72, 710, "本文件为演示数据。")
    doc.showPage()
    doc.save()
    return buf.getvalue()


def mp4() -> bytes:
    """A one-second MP4 (ffmpeg); a minimal valid container when ffmpeg is missing."""
    ffmpeg = shutil.which("ffmpeg")
    if ffmpeg:
        with tempfile.TemporaryDirectory() as tmp:
            path = f"{tmp}/demo.mp4"
            result = subprocess.run(  # noqa: S603 - fixed arguments, no shell
                [
                    ffmpeg, "-nostdin", "-v", "error", "-f", "lavfi",
                    "-i", "color=c=0x3366cc:s=160x120:d=1:r=10", "-pix_fmt", "yuv420p",
                    "-movflags", "+faststart", "-y", path,
                ],
                capture_output=True, timeout=60, check=False,
            )  # fmt: skip
            if result.returncode == 0:
                with open(path, "rb") as fh:
                    return fh.read()

    def box(kind: bytes, payload: bytes) -> bytes:
        return struct.pack(">I", 8 + len(payload)) + kind + payload

    mvhd = b"\x00" * 12 + struct.pack(">II", 1000, 1000) + b"\x00" * 80
    return (
        box(b"ftyp", b"isom\x00\x00\x02\x00isomiso2mp41")
        + box(b"mdat", b"\x00" * 64)
        + box(b"moov", box(b"mvhd", mvhd))
    )


def _fields(title: str, tools: list[str], other_tools: str = "") -> dict:
    return {
        "title": title,
        "abstract": f"《{title}》是一件借助人工智能完成的作品，"
        "记录了构思、生成、筛选与修改的全过程。",
        "keywords": "人工智能,创意,北京",
        "ai_tool_list": tools,
        "ai_tools": other_tools,
        "ai_generated": "初稿画面与部分文字说明由 AI 生成，构图与修改由作者完成。",
        "ai_contribution": "选题、构图、筛选与修改由作者完成，说明文字由作者撰写。",
        "ai_process": "多轮提示词迭代，人工挑选并二次创作。",
        "originality_pledge": True,
        "showcase_consent": True,
    }


def _store(work, actor, slot, name, data):
    work_file = services.workfile_store(
        work=work, slot=slot, fileobj=io.BytesIO(data), name=name, actor=actor
    )
    if work_file.kind == "image":
        make_preview.call(work_file.pk)  # the demo shows thumbnails without a worker
    return work_file


def _materials(work, actor, index: int, video: bytes) -> None:
    code, title = work.category.code, work.title
    if code == "ai_art":
        _store(work, actor, "artwork", f"{title}.png", png(index))
        _store(work, actor, "statement", "创作说明.pdf", pdf(title, "创作说明"))
        _store(work, actor, "process", "创作过程记录.pdf", pdf(title, "AI 工具与创作过程"))
    elif code == "ai_agent":
        _store(work, actor, "description", "作品说明.pdf", pdf(title, "作品说明"))
        _store(work, actor, "demo_video", "演示视频.mp4", video)
        _store(work, actor, "design_doc", "设计文档.pdf", pdf(title, "设计文档"))
    elif code == "teaching_case":
        _store(work, actor, "teaching_design", "教学设计.pdf", pdf(title, "教学设计"))
        _store(work, actor, "courseware", "课件.pdf", pdf(title, "课件"))
        _store(work, actor, "class_video", "课堂实录.mp4", video)


def _work(demo, author, category_code, title, index, video, *, submit=True, advisor=None):
    """The author's work in the category (created, filled and submitted if missing)."""
    existing = Work.objects.filter(
        edition=demo.edition, created_by=author, category__code=category_code
    ).first()
    if existing:
        return existing
    category = demo.edition.categories.get(code=category_code)
    tools = ["jimeng", "tongyi"] if category_code == "ai_art" else ["coze", "deepseek"]
    work = services.work_create(
        actor=author, edition=demo.edition, category=category, **_fields(title, tools)
    )
    if submit:
        _materials(work, author, index, video)
    else:
        _store(work, author, "artwork", f"{title}.png", png(index))
    if advisor is not None:
        invitation = services.invitation_create(
            work=work, actor=author, username=advisor.username, role=AuthorRole.ADVISOR
        )
        services.invitation_respond(authorship=invitation, actor=advisor, accept=True)
    if submit:
        work = services.work_submit(work=work, actor=author)
    return work


def _extra_student(username, name, school_name, level, grade, birth, password_hash):
    existing = User.objects.filter(username=username).first()
    if existing:
        return existing
    born = datetime.date.fromisoformat(birth)
    young = (datetime.date.today() - born).days < 14 * 365.25
    student = account_services.student_register(
        username=username,
        password=None,  # set below from one hash: hashing per user would slow the seed
        real_name=name,
        email=f"{username}@demo.gongchuang.local",
        level=level,
        school=School.objects.get(name=school_name),
        grade=grade,
        birth_date=born,
        document_type=DocumentType.RESIDENT_ID,
        document_number=demo_national_id(username, born),
        guardian_name="演示家长" if young else "",
        guardian_phone="13800000099" if young else "",
        guardian_consent=young,
    )
    User.objects.filter(pk=student.pk).update(password=password_hash)
    return student


def seed_works(demo) -> None:
    users = demo.users
    video = mp4()
    password_hash = make_password(DEMO_PASSWORD)
    works = []
    works.append(
        _work(
            demo, users["student"], "ai_art", "胡同里的水墨时光", 0, video, advisor=users["teacher"]
        )
    )
    works.append(_work(demo, users["student_cy"], "ai_agent", "城市骑行路线规划助手", 1, video))
    for index, (username, name, school, level, grade, birth, code, title) in enumerate(
        EXTRA_STUDENTS, start=2
    ):
        student = _extra_student(username, name, school, level, grade, birth, password_hash)
        works.append(_work(demo, student, code, title, index, video))
    # A work the district returned for revision, with its reason.
    username, name, school, level, grade, birth, code, title = RETURNED
    student = _extra_student(username, name, school, level, grade, birth, password_hash)
    returned = _work(demo, student, code, title, 12, video)
    if returned.state == WorkState.SUBMITTED:
        returned = services.transition_work(
            returned,
            WorkState.RETURNED,
            actor=users["organizer"],
            reason="创作过程记录过于简略，请补充主要提示词和修改过程后重新提交。",
        )
    # The youngest student's draft: materials still missing, advisor invited (pending).
    draft = _work(
        demo, users["student_young"], "ai_art", "我和机器人画春天", 13, video, submit=False
    )
    if not draft.authorships.filter(user=users["teacher"]).exists():
        services.invitation_create(
            work=draft,
            actor=users["student_young"],
            username=users["teacher"].username,
            role=AuthorRole.ADVISOR,
        )
    case = _work(
        demo, users["teacher"], "teaching_case", "用 AI 认识数据：初中人工智能项目式学习", 14, video
    )
    demo.extra["works"] = works
    demo.extra["returned_work"] = returned
    demo.extra["draft_work"] = draft
    demo.extra["teaching_case"] = case
