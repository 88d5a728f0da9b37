"""Searching and exporting the audit history (committee only)."""

import csv
import datetime
import io
import json

from django import forms
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from .models import AuditEvent

EXPORT_LIMIT = 50_000


class AuditFilterForm(forms.Form):
    actor = forms.CharField(label=_("Actor"), required=False, max_length=150)
    action = forms.CharField(label=pgettext_lazy("audit", "Action"), required=False, max_length=64)
    obj = forms.CharField(label=_("Object"), required=False, max_length=100)
    date_from = forms.DateField(
        label=_("From"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    date_to = forms.DateField(
        label=_("To"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )


def audit_events_matching(filters: dict) -> QuerySet[AuditEvent]:
    """Audit events matching the cleaned filters of :class:`AuditFilterForm`, newest first."""
    qs = AuditEvent.objects.all()
    if filters.get("actor"):
        value = filters["actor"]
        qs = qs.filter(Q(actor_label__icontains=value) | Q(actor__username__iexact=value))
    if filters.get("action"):
        qs = qs.filter(action__icontains=filters["action"])
    if filters.get("obj"):
        value = filters["obj"]
        qs = qs.filter(Q(object_repr__icontains=value) | Q(object_id=value))
    tz = timezone.get_current_timezone()
    if filters.get("date_from"):
        start = datetime.datetime.combine(filters["date_from"], datetime.time.min, tzinfo=tz)
        qs = qs.filter(at__gte=start)
    if filters.get("date_to"):
        end = datetime.datetime.combine(
            filters["date_to"] + datetime.timedelta(days=1), datetime.time.min, tzinfo=tz
        )
        qs = qs.filter(at__lt=end)
    return qs.order_by("-at", "-id")


HEADERS = [
    "时间",
    "操作人",
    "操作",
    "对象类型",
    "对象编号",
    "对象",
    "变更前",
    "变更后",
    "原因",
    "IP地址",
]


def _row(event: AuditEvent) -> list[str]:
    return [
        timezone.localtime(event.at).strftime("%Y-%m-%d %H:%M:%S"),
        event.actor_label,
        event.action,
        event.content_type.model if event.content_type_id else "",
        event.object_id,
        event.object_repr,
        json.dumps(event.before, ensure_ascii=False) if event.before is not None else "",
        json.dumps(event.after, ensure_ascii=False) if event.after is not None else "",
        event.reason,
        event.ip or "",
    ]


def export_csv(events: QuerySet[AuditEvent]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(HEADERS)
    for event in events.select_related("content_type")[:EXPORT_LIMIT]:
        writer.writerow(_row(event))
    # BOM so that Excel (common in schools) opens the Chinese text correctly.
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def export_xlsx(events: QuerySet[AuditEvent]) -> bytes:
    from .spreadsheets import OutColumn, xlsx_bytes
    from .spreadsheets.writer import CODE

    widths = [17, 12, 20, 12, 10, 24, 30, 30, 16, 14]
    columns = [OutColumn(h, width=w) for h, w in zip(HEADERS, widths, strict=True)]
    columns[4] = OutColumn(HEADERS[4], kind=CODE, width=10)
    rows = (_row(event) for event in events.select_related("content_type")[:EXPORT_LIMIT])
    return xlsx_bytes(title="审计日志", columns=columns, rows=rows)
