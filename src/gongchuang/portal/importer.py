"""Import of excellent works of past editions into the showcase (spreadsheet + ZIP).

All or nothing: every row is checked first and every problem is reported with
its row number; nothing is written unless the whole file is clean.

Columns (first row is the header, Chinese as committees write them):
标题, 类别, 学段, 区, 学校, 作者, 指导教师, 摘要, 关键词, 奖项, 文件, 未成年
"文件" lists file names inside the ZIP separated by ";"; "未成年" 是/否 masks the
author names (张**) before they are stored.
"""

import dataclasses
import io
import zipfile
import zlib
from dataclasses import dataclass, field

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy

from gongchuang.accounts.access import require
from gongchuang.accounts.enums import Level
from gongchuang.accounts.models import School, Unit
from gongchuang.common.audit import audit_record
from gongchuang.common.errors import DomainError
from gongchuang.common.files.archives import check_zip
from gongchuang.common.files.hashing import sha256_of
from gongchuang.common.files.images import make_thumbnail
from gongchuang.common.files.validate import validate_upload
from gongchuang.common.masking import mask_name
from gongchuang.common.spreadsheets import Column, read_table
from gongchuang.editions.models import Category, Edition
from gongchuang.screening.tasks import fingerprint_work
from gongchuang.submissions.enums import WorkState
from gongchuang.submissions.models import Work, WorkFile

from .cache import invalidate
from .enums import PUBLIC_FILE_KINDS
from .models import ShowcaseCredit


def _level_choices() -> list[str]:
    return ["小学", "初中", "高中", "高校"]


# Field names are the Chinese headers the committee's sheets have always had.
COLUMNS = [
    Column(
        "标题",
        pgettext_lazy("spreadsheet", "Title"),
        required=True,
        aliases=("作品名称", "作品标题", "title"),
        example="城市的呼吸",
    ),
    Column(
        "类别",
        pgettext_lazy("spreadsheet", "Category"),
        required=True,
        aliases=("作品类别", "category"),
        example="AI 艺术创作",
    ),
    Column(
        "学段",
        pgettext_lazy("spreadsheet", "Education level"),
        required=True,
        aliases=("level",),
        choices=_level_choices,
        example="初中",
    ),
    Column(
        "区",
        pgettext_lazy("spreadsheet", "District"),
        required=True,
        aliases=("区县", "区/高校", "组织单位", "unit"),
        example="海淀区",
    ),
    Column(
        "学校",
        pgettext_lazy("spreadsheet", "School"),
        required=True,
        aliases=("学校名称", "school"),
        example="一中",
    ),
    Column(
        "作者",
        pgettext_lazy("spreadsheet", "Authors"),
        required=True,
        aliases=("作者姓名", "authors"),
        example="张三",
    ),
    Column("指导教师", pgettext_lazy("spreadsheet", "Advisors"), aliases=("指导老师", "advisors")),
    Column(
        "摘要", pgettext_lazy("spreadsheet", "Abstract"), aliases=("作品简介", "简介", "abstract")
    ),
    Column("关键词", pgettext_lazy("spreadsheet", "Keywords"), aliases=("keywords",)),
    Column("奖项", pgettext_lazy("spreadsheet", "Award"), aliases=("获奖等级", "星级", "award")),
    Column("文件", pgettext_lazy("spreadsheet", "Files"), aliases=("文件名", "files")),
    Column(
        "未成年",
        pgettext_lazy("spreadsheet", "Minor"),
        aliases=("是否未成年", "minor"),
        choices=lambda: ["是", "否"],
    ),
]
REQUIRED = [c.field for c in COLUMNS if c.required]


def template_columns(edition: Edition | None) -> list[Column]:
    """The columns with the edition's categories and the districts offered as dropdowns."""
    categories = [c.name for c in edition.categories.order_by("order", "pk")] if edition else []
    units = list(Unit.objects.order_by("order", "pk").values_list("name", flat=True))
    offered = {"类别": categories, "区": units}
    return [
        dataclasses.replace(c, choices=(lambda v=offered[c.field]: v)) if c.field in offered else c
        for c in COLUMNS
    ]


MAX_ROWS = 2000
MAX_FILE_BYTES = 500 * 1024 * 1024
LEVEL_NAMES = {
    "小学": Level.PRIMARY,
    "初中": Level.JUNIOR,
    "高中": Level.SENIOR,
    "高校": Level.UNIVERSITY,
    **{lv.value: lv.value for lv in Level},
}
YES = {"是", "y", "yes", "1", "true", "√"}


class ImportError_(DomainError):
    def __init__(self, errors: list[str]):
        super().__init__(errors[0] if errors else "", code="import_invalid")
        self.errors = errors


@dataclass
class Row:
    number: int
    values: dict
    category: object = None
    level: str = ""
    unit: object = None
    files: list = field(default_factory=list)


def _read_rows(spreadsheet) -> list[Row]:
    try:
        table = read_table(spreadsheet, COLUMNS, max_rows=MAX_ROWS)
    except DomainError as exc:
        raise ImportError_([str(exc.message)]) from exc
    if table.errors:
        raise ImportError_(table.errors)
    result = [
        Row(number=row.number, values={k: str(v or "") for k, v in row.values.items()})
        for row in table.rows
    ]
    if not result:
        raise ImportError_([_("The spreadsheet has no rows.")])
    return result


def _check_rows(rows: list[Row], edition: Edition, archive) -> list[str]:
    categories = {c.name: c for c in edition.categories.all()}
    categories.update({c.code: c for c in edition.categories.all()})
    units = {u.name: u for u in Unit.objects.all()}
    units.update({u.code: u for u in Unit.objects.all()})
    members = set(archive.namelist()) if archive else set()
    errors = []
    for row in rows:
        v = row.values
        for column in REQUIRED:
            if not v.get(column):
                errors.append(
                    _("Row %(row)d: “%(column)s” is empty.") % {"row": row.number, "column": column}
                )
        row.category = categories.get(v.get("类别", ""))
        if v.get("类别") and row.category is None:
            errors.append(
                _("Row %(row)d: there is no category “%(value)s” in this edition.")
                % {"row": row.number, "value": v["类别"]}
            )
        row.level = LEVEL_NAMES.get(v.get("学段", ""), "")
        if v.get("学段") and not row.level:
            errors.append(
                _(
                    "Row %(row)d: unknown education level “%(value)s” "
                    "(use 小学, 初中, 高中 or 高校)."
                )
                % {"row": row.number, "value": v["学段"]}
            )
        row.unit = units.get(v.get("区", ""))
        if v.get("区") and row.unit is None:
            errors.append(
                _("Row %(row)d: unknown district or university “%(value)s”.")
                % {"row": row.number, "value": v["区"]}
            )
        if len(v.get("标题", "")) > 100:
            errors.append(
                _("Row %(row)d: the title is longer than 100 characters.") % {"row": row.number}
            )
        for name in filter(
            None, (n.strip() for n in v.get("文件", "").replace("；", ";").split(";"))
        ):
            if name not in members:
                errors.append(
                    _("Row %(row)d: the file “%(value)s” is not in the ZIP archive.")
                    % {"row": row.number, "value": name}
                )
            else:
                row.files.append(name)
    return errors


def _check_files(rows: list[Row], archive) -> list[str]:
    errors = []
    for row in rows:
        for name in row.files:
            info = archive.getinfo(name)
            if info.file_size > MAX_FILE_BYTES:
                errors.append(
                    _("Row %(row)d: the file “%(value)s” is larger than 500 MB.")
                    % {"row": row.number, "value": name}
                )
                continue
            try:
                data = _member(archive, name)
                validate_upload(
                    data, name=name, allowed_kinds=PUBLIC_FILE_KINDS, max_bytes=MAX_FILE_BYTES
                )
            except DomainError as exc:
                errors.append(
                    _("Row %(row)d: the file “%(value)s”: %(error)s")
                    % {"row": row.number, "value": name, "error": exc.message}
                )
    return errors


def _member(archive: zipfile.ZipFile, name: str) -> io.BytesIO:
    """A member's bytes; a damaged or encrypted member is a ``DomainError``, not a crash."""
    try:
        with archive.open(name) as member:
            return io.BytesIO(member.read())
    except (zipfile.BadZipFile, RuntimeError, NotImplementedError, OSError, EOFError,
            ValueError, zlib.error) as exc:  # fmt: skip
        raise DomainError(
            _(
                "it cannot be extracted from the ZIP archive (the archive is damaged or the "
                "file is password-protected)."
            ),
            code="zip_member",
        ) from exc


def _people(text: str, minor: bool) -> str:
    names = [n.strip() for n in text.replace("，", ",").replace("、", ",").split(",") if n.strip()]
    return "、".join(mask_name(n) if minor else n for n in names)


def import_past_works(*, edition: Edition, actor, spreadsheet, archive=None) -> list[Work]:
    """Create public, awarded works of a past edition with their files. All or nothing."""
    require(actor, "portal.manage_showcase", message=_("Only the committee may import works."))
    rows = _read_rows(spreadsheet)
    zip_file = None
    if archive is not None:
        validate_upload(archive, name=archive.name, allowed_kinds={"zip"}, max_bytes=2 << 30)
        check_zip(archive)
        archive.seek(0)
        zip_file = zipfile.ZipFile(archive)
    errors = _check_rows(rows, edition, zip_file)
    if not errors and zip_file is not None:
        errors = _check_files(rows, zip_file)
    if errors:
        raise ImportError_(errors)
    with transaction.atomic():
        works = [_create(row, edition=edition, actor=actor, archive=zip_file) for row in rows]
        invalidate()
        # Past works take part in the near-duplicate check of later editions.
        transaction.on_commit(lambda: _index([w.pk for w in works]))
        audit_record(
            actor=actor,
            action="showcase.import",
            edition_id=edition.pk,
            after={"works": len(works)},
        )
    return works


def _index(work_ids: list[int]) -> None:
    for pk in work_ids:
        fingerprint_work.enqueue(pk)


def past_work_create(
    *,
    edition: Edition,
    category: Category,
    title: str,
    level: str,
    school: School,
    actor,
    abstract: str = "",
    keywords: str = "",
    **fields,
) -> Work:
    """An awarded, public work of a past edition (imported, or the demo's), with
    showcase consent; ``fields`` sets further ``Work`` fields (e.g. ``code``).

    A historical record created in its final state: no transition has happened
    in this system, so transition_work (which audits moves) does not apply."""
    return Work.objects.create(
        edition=edition,
        category=category,
        title=title,
        abstract=abstract,
        keywords=keywords,
        state=WorkState.AWARDED,
        level=level,
        unit_id=school.unit_id,
        school=school,
        created_by=actor,
        originality_pledge=True,
        showcase_consent=True,
        showcase_consent_at=timezone.now(),
        is_public=True,
        **fields,
    )


def _create(row: Row, *, edition: Edition, actor, archive) -> Work:
    v = row.values
    school, _created = School.objects.get_or_create(unit=row.unit, name=v["学校"][:150])
    work = past_work_create(
        edition=edition,
        category=row.category,
        title=v["标题"],
        level=row.level,
        school=school,
        actor=actor,
        abstract=v.get("摘要", "")[:500],
        keywords=v.get("关键词", "")[:200],
    )
    minor = v.get("未成年", "").lower() in YES
    ShowcaseCredit.objects.create(
        work=work,
        authors=_people(v["作者"], minor)[:200],
        advisors=_people(v.get("指导教师", ""), False)[:200],
        award=v.get("奖项", "")[:60],
    )
    for name in row.files:
        data = _member(archive, name)  # read once already by _check_files
        sniffed = validate_upload(
            data, name=name, allowed_kinds=PUBLIC_FILE_KINDS, max_bytes=MAX_FILE_BYTES
        )
        work_file = WorkFile(
            work=work,
            slot="import",
            original_name=name.rsplit("/", 1)[-1],
            size=len(data.getvalue()),
            sha256=sha256_of(data),
            mime=sniffed.mime,
            kind=sniffed.kind,
            uploaded_by=actor,
        )
        work_file.file.save(name, ContentFile(data.getvalue()), save=False)
        if sniffed.kind == "image":
            thumb = io.BytesIO()
            make_thumbnail(io.BytesIO(data.getvalue()), thumb)
            work_file.thumbnail.save("thumb.jpg", ContentFile(thumb.getvalue()), save=False)
        work_file.save()
    return work
