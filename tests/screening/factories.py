"""Works for screening tests, made with the ORM and submitted through ``transition_work``."""

import io
import itertools

from django.core.files.base import ContentFile
from PIL import Image

from gongchuang.accounts.enums import Level
from gongchuang.accounts.models import User
from gongchuang.submissions.enums import AuthorRole, WorkState
from gongchuang.submissions.models import Authorship, Work, WorkFile
from gongchuang.submissions.services import transition_work

_seq = itertools.count(1)


def work(
    edition,
    *,
    unit,
    school,
    category="ai_art",
    title=None,
    author=None,
    level=Level.JUNIOR,
    submit=True,
    abstract="",
    **fields,
) -> Work:
    """A complete work (declaration and pledge given); submitted unless ``submit=False``."""
    n = next(_seq)
    if author is None:
        author = User.objects.create(username=f"wauthor{n}", real_name=f"作者{n}")
    w = Work.objects.create(
        edition=edition,
        category=edition.categories.get(code=category),
        title=title or f"测试作品{n}",
        abstract=abstract,
        level=level,
        unit=unit,
        school=school,
        created_by=author,
        ai_tools=fields.pop("ai_tools", "文心一格"),
        ai_generated=fields.pop("ai_generated", "草图由 AI 生成"),
        ai_contribution=fields.pop("ai_contribution", "构图与修改由作者完成"),
        originality_pledge=fields.pop("originality_pledge", True),
        **fields,
    )
    Authorship.objects.create(
        work=w, edition=edition, user=author, role=AuthorRole.AUTHOR, identity_key=f"id-{n}"
    )
    if submit:
        w = transition_work(w, WorkState.SUBMITTED, actor=author)
    return w


def png_bytes(color=(200, 30, 30), size=(64, 64), pattern=True) -> bytes:
    img = Image.new("RGB", size, color)
    if pattern:
        for x in range(size[0]):
            for y in range(size[1]):
                if (x // 8 + y // 8) % 2:
                    img.putpixel((x, y), (x * 4 % 256, y * 4 % 256, 120))
    out = io.BytesIO()
    img.save(out, "PNG")
    return out.getvalue()


def attach(w: Work, *, slot: str, data: bytes, name: str, kind: str, mime: str) -> WorkFile:
    f = WorkFile(
        work=w,
        slot=slot,
        original_name=name,
        size=len(data),
        sha256="0" * 64,
        mime=mime,
        kind=kind,
        uploaded_by=w.created_by,
    )
    f.file.save(name, ContentFile(data), save=False)
    f.save()
    return f
