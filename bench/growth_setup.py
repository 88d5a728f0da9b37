"""Growth benchmark: the rows ``generate_load_data`` does not write, in proportion to the works.

``manage.py shell -c "exec(open('bench/growth_setup.py').read())"`` (bench/growth.py runs it
after bench/setup_instance.py). On the current (load) edition:

- a finalist publicity list of the finalist works, with one objection per 50 listed works
  but at least 60 (two pages of the queue), half of them still pending, by generated
  students;
- the audit trail a real edition leaves: three events per submitted work (submitted,
  recommended or not, qualified or not) spread over the edition's weeks, as bulk rows
  without the hash chain (the log page lists and filters them; it does not verify the chain).

Prints one JSON line: ``{"objections": n, "audit_events": n}``.
"""

import datetime
import json
import random

from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction
from django.utils import timezone

from gongchuang.accounts.models import User
from gongchuang.common.models import AuditEvent
from gongchuang.editions.selectors import current_edition
from gongchuang.publicity.enums import ListKind, ObjectionState
from gongchuang.publicity.models import Objection, PublicityEntry, PublicityList
from gongchuang.submissions.enums import WorkState
from gongchuang.submissions.models import Work

BATCH = 5000
# At least two pages of the objection queue's "all" view (30 a page) at every size, so that
# each size's figure is that of a full page: with one objection per 50 listed works the
# 1,000-work instance had one row to show and the 100,000-work one thirty.
OBJECTIONS_MIN = 60
rng = random.Random(2026)
edition = current_edition()
committee = User.objects.get(username="committee")
now = timezone.now()

with transaction.atomic():
    finalists = list(
        Work.objects.filter(edition=edition, state__in=[WorkState.FINALIST, WorkState.AWARDED])
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    publicity = PublicityList.objects.create(
        edition=edition,
        kind=ListKind.FINALIST,
        title="决赛入围名单公示",
        published_at=now - datetime.timedelta(days=3),
        ends_at=now + datetime.timedelta(days=4),
        published_by=committee,
    )
    PublicityEntry.objects.bulk_create(
        [
            PublicityEntry(publicity_list=publicity, work_id=pk, order=i)
            for i, pk in enumerate(finalists)
        ],
        batch_size=BATCH,
    )
    entries = list(
        PublicityEntry.objects.filter(publicity_list=publicity).values_list("pk", flat=True)
    )
    objectors = list(
        User.objects.filter(username__startswith="load")
        .exclude(username__startswith="loadexp")
        .order_by("pk")
        .values_list("pk", flat=True)[: min(len(entries), max(OBJECTIONS_MIN, len(entries) // 50))]
    )
    states = [
        ObjectionState.RECEIVED,
        ObjectionState.INVESTIGATING,
        ObjectionState.DISMISSED,
        ObjectionState.DISMISSED,
    ]
    Objection.objects.bulk_create(
        [
            Objection(
                entry_id=entry,
                objector_id=objector,
                reason="该作品疑似与网络已有作品雷同。",
                contact="13800000000",
                state=rng.choice(states),
            )
            for entry, objector in zip(rng.sample(entries, len(objectors)), objectors, strict=True)
        ],
        batch_size=BATCH,
    )
    objections = Objection.objects.filter(entry__publicity_list=publicity).count()

work_type = ContentType.objects.get_for_model(Work)
staff = list(
    User.objects.filter(username__in=["committee", "organizer"]).values_list("pk", "real_name")
)
submitted = (
    Work.objects.filter(edition=edition)
    .exclude(state=WorkState.DRAFT)
    .values_list("pk", "code", "created_by_id")
)
actions = ["work.submit", "screening.unit_review", "screening.city_review"]
start = now - datetime.timedelta(days=40)
events = 0
batch = []
with transaction.atomic():
    for pk, code, author in submitted.iterator(chunk_size=BATCH):
        for step, action in enumerate(actions):
            actor, label = (author, "") if step == 0 else staff[step - 1]
            batch.append(
                AuditEvent(
                    actor_id=actor,
                    actor_label=label,
                    action=action,
                    content_type=work_type,
                    object_id=str(pk),
                    object_repr=code,
                    edition_id=edition.pk,
                    after={"state": "submitted"} if step == 0 else {"state": "recommended"},
                )
            )
        if len(batch) >= BATCH:
            AuditEvent.objects.bulk_create(batch)
            events += len(batch)
            batch = []
    AuditEvent.objects.bulk_create(batch)
    events += len(batch)
    # ``at`` is auto_now_add: spread the events over the edition's forty days afterwards, in
    # one UPDATE where the id decides the moment (the log's order by time is the order of ids).
    first = (
        AuditEvent.objects.filter(at__gte=now).order_by("pk").values_list("pk", flat=True).first()
    )
    if first is not None:
        step = 40 * 86400 / max(events, 1)
        utc_start = start.astimezone(datetime.UTC).replace(tzinfo=None)
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                # The append-only trigger refuses UPDATEs: set the moments as a restore would.
                cursor.execute("SET LOCAL session_replication_role = replica")
                cursor.execute(
                    "UPDATE common_auditevent SET at = %s + (id - %s) * %s * interval '1 second' "
                    "WHERE id >= %s",
                    [start, first, step, first],
                )
            else:
                cursor.execute(
                    "UPDATE common_auditevent SET at = strftime('%%Y-%%m-%%d %%H:%%M:%%f', %s, "
                    "'+' || ((id - %s) * %s) || ' seconds') WHERE id >= %s",
                    [utc_start.isoformat(sep=" "), first, step, first],
                )

from gongchuang.common.db.maintenance import analyze_database  # noqa: E402

analyze_database()
print(json.dumps({"objections": objections, "audit_events": events}))
