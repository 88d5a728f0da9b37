import io

from django.core.files.uploadedfile import SimpleUploadedFile
from reportlab.pdfgen import canvas

from gongchuang.publicity.enums import ListKind
from gongchuang.publicity.services import publicity_publish
from gongchuang.submissions.enums import WorkState
from tests.factories.works import move, submitted_work

REASON = "该作品的主体画面与往届获奖作品高度相似，疑似未注明来源，请核查。"


def finalist(edition, student, committee, **kwargs):
    work = submitted_work(edition, student, **kwargs)
    return move(
        work,
        WorkState.RECOMMENDED,
        WorkState.QUALIFIED,
        WorkState.REVIEWED,
        WorkState.FINALIST,
        actor=committee,
    )


def published(edition, works, committee, now=None):
    return publicity_publish(
        edition=edition,
        kind=ListKind.FINALIST,
        title="决赛入围名单公示",
        actor=committee,
        works=works,
        now=now,
    )


def pdf_upload(name="证据.pdf") -> SimpleUploadedFile:
    out = io.BytesIO()
    page = canvas.Canvas(out)
    page.drawString(72, 720, "evidence")
    page.save()
    return SimpleUploadedFile(name, out.getvalue(), content_type="application/pdf")
