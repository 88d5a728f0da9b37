"""Public works and notices for the portal tests, created through the ORM (see the brief)."""

import datetime
import io

from django.core.files.base import ContentFile
from PIL import Image

from gongchuang.submissions.enums import AuthorRole
from gongchuang.submissions.models import Authorship, Work, WorkFile

from ..factories import people


def png_bytes(colour=(200, 30, 30), size=(64, 48)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, colour).save(out, format="PNG")
    return out.getvalue()


def _pdf() -> bytes:
    from reportlab.pdfgen import canvas

    out = io.BytesIO()
    pdf = canvas.Canvas(out)
    pdf.drawString(72, 720, "Gongchuang test")
    pdf.showPage()
    pdf.save()
    return out.getvalue()


PDF_BYTES = _pdf()


def make_work(
    edition, *, category="ai_art", school, title="作品", level="junior", public=True,
    consent=True, state="awarded", author=None, keywords="", created_by=None,
) -> Work:  # fmt: skip
    cat = edition.categories.get(code=category)
    owner = created_by or author
    work = Work.objects.create(
        edition=edition, category=cat, title=title, level=level, unit=school.unit, school=school,
        created_by=owner, state=state, showcase_consent=consent, is_public=public,
        keywords=keywords, abstract=f"{title}的简介",
    )  # fmt: skip
    if author is not None:
        Authorship.objects.create(work=work, edition=edition, user=author, role=AuthorRole.AUTHOR)
    return work


def add_file(work, *, kind="image", name="a.png", data=None, thumbnail=False) -> WorkFile:
    data = data if data is not None else (png_bytes() if kind == "image" else PDF_BYTES)
    mime = {"image": "image/png", "pdf": "application/pdf", "zip": "application/zip"}.get(
        kind, "video/mp4"
    )
    work_file = WorkFile(
        work=work, slot="artwork", original_name=name, size=len(data), sha256="0" * 64,
        mime=mime, kind=kind, uploaded_by=work.created_by,
    )  # fmt: skip
    work_file.file.save(name, ContentFile(data), save=False)
    if thumbnail:
        work_file.thumbnail.save("t.jpg", ContentFile(b"\xff\xd8\xffthumb"), save=False)
    work_file.save()
    return work_file


def minor_student(school, name="王小雨"):
    return people.student(
        school, real_name=name, level="primary", birth_date=datetime.date(2015, 9, 1)
    )


def adult_student(school, name="陈嘉怡"):
    return people.student(
        school, real_name=name, level="university", birth_date=datetime.date(2003, 11, 20)
    )
