"""Benchmark instance setup, run after seed_demo + generate_load_data.

``manage.py shell -c "exec(open('bench/setup_instance.py').read())"`` (bench/run.py does it).

On the current (load) edition: publishes the juries, gives the demo ``expert``
(password Gongchuang2026) 20 qualified works in the art jury and accepts the
confidentiality pledge for them; creates ``BENCH_STUDENTS`` (150) distinct junior-school
students ``benchstu000``.. (same password, one hash computed once) for the submission
scenario, which runs them 50 at a time. Prints one JSON line:
``{"review_works": [...], "students": [...]}``.
"""

import datetime
import json
import os

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from gongchuang.accounts.enums import DocumentType, Level, Role
from gongchuang.accounts.identity import document_key, person_key, sample_national_id
from gongchuang.accounts.models import Membership, School, StudentProfile, User
from gongchuang.editions.selectors import current_edition
from gongchuang.judging import counts as judging_counts
from gongchuang.judging.models import Assignment, Jury
from gongchuang.judging.services import pledge_accept
from gongchuang.submissions.enums import WorkState
from gongchuang.submissions.models import Work

N_STUDENTS = int(os.environ.get("BENCH_STUDENTS", "150"))
PASSWORD = "Gongchuang2026"  # noqa: S105 - the demo password

edition = current_edition()
expert = User.objects.get(username="expert")
with transaction.atomic():
    Jury.objects.filter(edition=edition, published_at__isnull=True).update(
        published_at=timezone.now()
    )
    jury = Jury.objects.filter(edition=edition, category__code="ai_art").first()
    jury.members.add(expert)
    works = list(
        Work.objects.filter(edition=edition, category=jury.category, state=WorkState.QUALIFIED)
        .order_by("pk")
        .values_list("pk", flat=True)[:20]
    )
    Assignment.objects.bulk_create(
        [Assignment(jury=jury, work_id=pk, expert=expert, source="manual") for pk in works],
        ignore_conflicts=True,
    )
    # Bulk rows send no signals: the review figures of the dashboard are counted afresh.
    judging_counts.rebuild(edition.pk)
pledge_accept(expert=expert, edition=edition)

school = School.objects.get(name="北京市海淀区示范中学")
password = make_password(PASSWORD)
birth = datetime.date(timezone.localdate().year - 14, 3, 1)
names = [f"benchstu{i:03d}" for i in range(N_STUDENTS)]
with transaction.atomic():
    User.objects.bulk_create(
        [User(username=n, password=password, real_name=f"压测学生{n[-3:]}") for n in names],
        ignore_conflicts=True,
    )
    users = list(User.objects.filter(username__in=names))
    have = set(StudentProfile.objects.filter(user__in=users).values_list("user_id", flat=True))
    fresh = [u for u in users if u.pk not in have]
    StudentProfile.objects.bulk_create(
        [
            StudentProfile(
                user=u,
                level=Level.JUNIOR,
                unit=school.unit,
                school=school,
                grade="初二",
                birth_date=birth,
                document_type=DocumentType.RESIDENT_ID,
                identity_key=document_key(
                    DocumentType.RESIDENT_ID,
                    sample_national_id(
                        birth_date=birth, serial=int(u.username[-3:]), region="110199"
                    ),
                ),
                person_key=person_key(real_name=u.real_name, birth_date=birth),
            )
            for u in fresh
        ]
    )
    Membership.objects.bulk_create(
        [Membership(user=u, role=Role.STUDENT, unit=school.unit, school=school) for u in fresh]
    )
print(json.dumps({"review_works": works, "students": names}))
