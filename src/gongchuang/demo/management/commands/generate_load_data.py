"""Seeded, reproducible volume data for benchmarks and volume tests.

``manage.py generate_load_data --works N --experts M [--seed S] [--edition SLUG]``

Proportions follow a real edition: about one school per 60 works, spread over
all districts; works in every category and level; states from draft to awarded
(most works submitted or further, a third recommended or qualified); every work
has one small real PNG file (a shared pool of generated images, so the volume
is in rows, not bytes); a jury per category with k=3 assignments and submitted
reviews for the reviewed works. Bulk inserts:
100,000 works take well under a minute on SQLite.
"""

import io
import random
import secrets

from django.contrib.auth.hashers import make_password
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone
from PIL import Image

from gongchuang.accounts.enums import DocumentType, Level, Role
from gongchuang.accounts.identity import document_key, person_key, sample_national_id
from gongchuang.accounts.models import Membership, School, StudentProfile, Unit, User
from gongchuang.common.db.maintenance import analyze_database
from gongchuang.editions import defaults
from gongchuang.editions.models import Edition
from gongchuang.editions.services import edition_create_from_defaults, edition_make_current
from gongchuang.judging import counts as judging_counts
from gongchuang.judging.models import Assignment, Jury, Review
from gongchuang.submissions import counts as work_counts
from gongchuang.submissions.enums import AuthorRole, WorkState
from gongchuang.submissions.models import Authorship, Work, WorkFile

STATE_WEIGHTS = [
    (WorkState.DRAFT, 8), (WorkState.SUBMITTED, 30), (WorkState.RETURNED, 3),
    (WorkState.UNIT_REJECTED, 4), (WorkState.RECOMMENDED, 15), (WorkState.CITY_REJECTED, 2),
    (WorkState.QUALIFIED, 15), (WorkState.REVIEWED, 12), (WorkState.FINALIST, 4),
    (WorkState.NOT_SELECTED, 5), (WorkState.AWARDED, 2),
]  # fmt: skip
TITLE_WORDS = (
    "智能 校园 垃圾分类 诗词 绘画 机器人 天气 交通 健康 植物 "
    "识别 助手 音乐 故事 科学 实验 城市 节能 阅读 数学"
).split()
BATCH = 5000


class Command(BaseCommand):
    help = "Generate seeded volume data (works, people, files, reviews) for benchmarks."

    def add_arguments(self, parser):
        parser.add_argument("--works", type=int, default=1000)
        parser.add_argument("--experts", type=int, default=50)
        parser.add_argument("--seed", type=int, default=2026)
        parser.add_argument("--edition", default="load")

    def handle(self, *args, works, experts, seed, edition, **options):
        rng = random.Random(seed)
        started = timezone.now()
        ed = self._edition(edition)
        schools = self._schools(rng, max(works // 60, 20))
        files = self._file_pool(rng)
        with transaction.atomic():
            created = self._works(rng, ed, schools, files, works)
            self._experts(rng, ed, experts)
        self._judging(rng, ed)
        # Bulk rows send no signals: the dashboard's summary rows are counted afresh.
        work_counts.rebuild(ed.pk)
        judging_counts.rebuild(ed.pk)
        analyze_database()  # a bulk load: give the planner its statistics at once
        seconds = (timezone.now() - started).total_seconds()
        self.stdout.write(
            f"Generated {created} works and {experts} experts in {seconds:.1f} s "
            f"(edition {ed.slug})."
        )

    def _edition(self, slug: str) -> Edition:
        edition, _ = edition_create_from_defaults(
            year=timezone.now().year,
            slug=slug,
            code="L" + secrets.token_hex(2).upper()[:3],
            name="压力测试届",
            windows=defaults.demo_windows(timezone.now()),
        )
        return edition_make_current(edition=edition)

    def _schools(self, rng, count: int) -> list[School]:
        units = list(Unit.objects.filter(kind="district"))
        existing = list(School.objects.filter(name__startswith="负载测试学校"))
        new = [
            School(unit=units[i % len(units)], name=f"负载测试学校{i:05d}")
            for i in range(len(existing), count)
        ]
        School.objects.bulk_create(new, batch_size=BATCH)
        return list(School.objects.filter(name__startswith="负载测试学校").select_related("unit"))

    def _file_pool(self, rng) -> list[tuple[str, int]]:
        pool = []
        for i in range(16):
            image = Image.new("RGB", (64, 48), tuple(rng.randrange(256) for _ in range(3)))
            buf = io.BytesIO()
            image.save(buf, "PNG")
            name = default_storage.save(
                f"load/{secrets.token_hex(16)}", ContentFile(buf.getvalue())
            )
            pool.append((name, len(buf.getvalue())))
            del i
        return pool

    def _works(self, rng, edition, schools, files, count) -> int:
        """``count`` students, each with a profile, a membership and one work with one file,
        created in batches of ``BATCH``."""
        categories = list(edition.categories.filter(track="student"))
        password = make_password(None)
        offset = User.objects.filter(username__startswith="load").count()
        done = 0
        while done < count:
            n = min(BATCH, count - done)
            users = self._students(rng, schools, password, first=offset + done, count=n)
            works, profiles = self._student_rows(rng, edition, schools, categories, users, done)
            self._authorships_and_files(edition, works, profiles, files)
            done += n
        return done

    def _students(self, rng, schools, password, *, first: int, count: int) -> list[User]:
        users = []
        for idx in range(first, first + count):
            # The draw is unused but kept: it keeps the seeded sequence (and so the data of a
            # given --seed) what it has always been.
            rng.choice(schools)
            users.append(User(username=f"load{idx:07d}", password=password, real_name=f"学生{idx}"))
        User.objects.bulk_create(users, batch_size=BATCH)
        return list(User.objects.filter(username__in=[u.username for u in users]).order_by("id"))

    def _student_rows(self, rng, edition, schools, categories, users, done):
        """Profiles, memberships and works of ``users`` (saved); returns the works (in the
        order of ``users``, with their ids) and the profiles."""
        levels = list(Level.values)
        profiles, memberships, works = [], [], []
        for position, user in enumerate(users):
            school = schools[(done + position) * 7919 % len(schools)]
            level = levels[(done + position) % len(levels)]
            profile = _student_profile(user, school, level)
            profiles.append(profile)
            memberships.append(
                Membership(user=user, role=Role.STUDENT, unit=school.unit, school=school)
            )
            number = done + int(user.username[4:])
            category = categories[number % len(categories)]
            works.append(_work(rng, edition, category, school, level, user, number))
        StudentProfile.objects.bulk_create(profiles, batch_size=BATCH)
        Membership.objects.bulk_create(memberships, batch_size=BATCH)
        Work.objects.bulk_create(works, batch_size=BATCH)
        works = list(Work.objects.filter(edition=edition, created_by__in=users).order_by("id"))
        return works, profiles

    def _authorships_and_files(self, edition, works, profiles, files) -> None:
        Authorship.objects.bulk_create(
            [
                Authorship(
                    work=w,
                    edition=edition,
                    user_id=w.created_by_id,
                    role=AuthorRole.AUTHOR,
                    identity_key=p.identity_key,
                    person_key=p.person_key,
                    accepted_at=timezone.now(),
                    holds_slot=w.state not in (WorkState.DRAFT, WorkState.WITHDRAWN),
                )
                for w, p in zip(works, profiles, strict=True)
            ],
            batch_size=BATCH,
        )
        WorkFile.objects.bulk_create(
            [
                WorkFile(
                    work=w,
                    slot=(w.category.materials[0]["key"] if w.category.materials else "file"),
                    file=files[w.pk % len(files)][0],
                    original_name="作品.png",
                    size=files[w.pk % len(files)][1],
                    sha256="0" * 64,
                    mime="image/png",
                    kind="image",
                    uploaded_by_id=w.created_by_id,
                )
                for w in works
            ],
            batch_size=BATCH,
        )

    def _experts(self, rng, edition, count: int) -> None:
        password = make_password(None)
        start = User.objects.filter(username__startswith="loadexp").count()
        users = [
            User(
                username=f"loadexp{start + i:05d}", password=password, real_name=f"专家{start + i}"
            )
            for i in range(count)
        ]
        User.objects.bulk_create(users, batch_size=BATCH)
        users = User.objects.filter(username__in=[u.username for u in users])
        Membership.objects.bulk_create(
            [Membership(user=u, role=Role.EXPERT) for u in users], batch_size=BATCH
        )

    def _judging(self, rng, edition) -> None:
        """Juries with k=3 assignments, and submitted reviews for the works past judging."""
        experts = list(User.objects.filter(username__startswith="loadexp"))
        if not experts:
            return
        reviewed = {
            WorkState.REVIEWED,
            WorkState.FINALIST,
            WorkState.NOT_SELECTED,
            WorkState.AWARDED,
        }
        with transaction.atomic():
            for category in edition.categories.filter(track="student"):
                jury, _ = Jury.objects.get_or_create(edition=edition, category=category, level="")
                jury.members.add(*experts)
                works = list(
                    Work.objects.filter(
                        category=category, state__in=reviewed | {WorkState.QUALIFIED}
                    ).values_list("pk", "state")
                )
                assignments = []
                for pk, _state in works:
                    for expert in rng.sample(experts, min(3, len(experts))):
                        assignments.append(
                            Assignment(jury=jury, work_id=pk, expert=expert, source="auto")
                        )
                Assignment.objects.bulk_create(assignments, batch_size=BATCH, ignore_conflicts=True)
                done = Assignment.objects.filter(jury=jury, work__state__in=reviewed)
                dims = [d.name for d in category.rubric.all()]
                Review.objects.bulk_create(
                    [
                        Review(
                            assignment=a,
                            scores={d: rng.randint(4, 10) for d in dims},
                            total=rng.uniform(50, 95),
                            status="submitted",
                            submitted_at=timezone.now(),
                        )
                        for a in done
                    ],
                    batch_size=BATCH,
                    ignore_conflicts=True,
                )


def _student_profile(user, school, level) -> StudentProfile:
    birth = timezone.localdate().replace(year=timezone.localdate().year - 15)
    # A valid, distinct 居民身份证 per student (1,000 serials per region code) and a
    # distinct name, so that every generated student is a person of their own.
    idx = int(user.username[4:])
    number = sample_national_id(
        birth_date=birth, serial=idx % 1000, region=f"{110000 + idx // 1000:06d}"
    )
    key = document_key(DocumentType.RESIDENT_ID, number)
    return StudentProfile(
        user=user,
        level=level,
        unit=school.unit,
        school=school,
        grade="—",
        birth_date=birth,
        document_type=DocumentType.RESIDENT_ID,
        national_id_hash=key,
        national_id_last4=number[-4:],
        identity_key=key,
        person_key=person_key(real_name=user.real_name, birth_date=birth),
    )


def _work(rng, edition, category, school, level, user, number: int) -> Work:
    """An unsaved work in a state drawn by ``STATE_WEIGHTS``; ``number`` makes title and code
    distinct."""
    states, weights = zip(*STATE_WEIGHTS, strict=True)
    state = rng.choices(states, weights)[0]
    draft = state == WorkState.DRAFT
    return Work(
        edition=edition,
        category=category,
        title=f"{rng.choice(TITLE_WORDS)}{rng.choice(TITLE_WORDS)}作品{number}",
        abstract="利用人工智能" + "".join(rng.choices(TITLE_WORDS, k=8)),
        keywords="、".join(rng.sample(TITLE_WORDS, 3)),
        state=state,
        level=level,
        unit=school.unit,
        school=school,
        created_by=user,
        originality_pledge=True,
        code=""
        if draft
        else f"{edition.code}-{category.short_code}-{school.unit.code}-L{number:06d}",
        submitted_at=None if draft else timezone.now(),
        is_public=state in (WorkState.FINALIST, WorkState.AWARDED),
        showcase_consent=True,
    )
