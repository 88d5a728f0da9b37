import datetime
from typing import Any

from ninja import Schema


class Error(Schema):
    detail: str


class ValidationErrorOut(Schema):
    detail: str | list[dict[str, Any]]


class WindowOut(Schema):
    step: str
    opens_at: datetime.datetime
    closes_at: datetime.datetime


class EditionOut(Schema):
    slug: str
    year: int
    code: str
    name: str
    theme: str
    is_current: bool
    is_archived: bool
    windows: list[WindowOut]


class CategoryOut(Schema):
    code: str
    short_code: str
    name: str
    track: str
    eligible_levels: list[str]
    max_authors: int
    max_advisors: int
    unit_quota: int | None


class WorkOut(Schema):
    id: int
    code: str
    title: str
    category: str
    level: str
    unit: str
    school: str
    state: str
    state_label: str
    submitted_at: datetime.datetime | None


class WorkDetailOut(WorkOut):
    abstract: str
    keywords: str
    ai_tools: str
    link: str
    state_changed_at: datetime.datetime | None


class WorkPage(Schema):
    count: int
    items: list[WorkOut]


class ResultOut(Schema):
    work_id: int
    work_code: str
    title: str
    category: str
    unit: str
    finalist: bool
    star_level: str
    rank: int | None
    special_awards: list[str]


class SchoolUploadOut(Schema):
    unit: str
    created: list[str]
    existing: list[str]
