"""Redis as the task broker (TASKS_BROKER=redis): real services queue real tasks in Redis
and RQ workers run them.

Runs only when Redis answers on 127.0.0.1:6379. The queues live in Redis database 11,
apart from the cache database (15) the PostgreSQL pass of ./scripts/test uses: the suite
clears the cache before every test, which empties its whole database.
"""

import datetime
import importlib
import io
import os
import signal
import socket
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import django_rq
import pytest
from django.apps import apps
from django.conf import settings
from django.core import mail
from django.db import connection
from django.utils import timezone
from django_tasks import default_task_backend
from django_tasks.base import Task, TaskResultStatus
from PIL import Image
from rq import SimpleWorker
from rq.registry import FailedJobRegistry, ScheduledJobRegistry

from gongchuang.notifications.models import EmailDelivery
from gongchuang.submissions import services as submission_services
from gongchuang.submissions.enums import WorkState
from gongchuang.submissions.models import WorkFile
from gongchuang.submissions.services import transition_work
from tests.factories.works import submitted_work
from tests.submissions.helpers import art_draft, png_bytes

ROOT = Path(__file__).resolve().parents[2]
QUEUE_URL = "redis://127.0.0.1:6379/11"
FAILING_SMTP = "tests.notifications.test_notifications.FailingEmailBackend"


def _redis_answers() -> bool:
    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=1).close()
    except OSError:
        return False
    return True


pytestmark = [
    pytest.mark.skipif(not _redis_answers(), reason="needs Redis on 127.0.0.1:6379"),
    pytest.mark.django_db,
]


@pytest.fixture
def rq_broker(settings):
    """The RQ backend on a Redis database of its own, empty, held by this test alone.

    A lock keeps two test processes (pytest-xdist, or two people's runs) from taking
    each other's jobs: a worker would run them against the wrong test database.
    """
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": settings.TASK_QUEUES}
    }
    settings.RQ_QUEUES = {name: {"URL": QUEUE_URL} for name in settings.TASK_QUEUES}
    settings.RQ = {"JOB_CLASS": "django_tasks_rq.Job"}
    redis = django_rq.get_connection("default")
    with redis.lock("gongchuang-tests:rq-broker", timeout=300, blocking_timeout=300):
        _empty(redis)
        yield django_rq.get_queue("default")
        _empty(redis)


def _empty(redis) -> None:
    for key in redis.scan_iter("rq:*"):
        redis.delete(key)


def run_worker(*, with_scheduler=False) -> None:
    """What `manage.py rqworker default --burst` does, in this process (sees the test data)."""
    handlers = {sig: signal.getsignal(sig) for sig in (signal.SIGINT, signal.SIGTERM)}
    worker = django_rq.get_worker("default", worker_class=SimpleWorker)
    try:
        worker.work(burst=True, with_scheduler=with_scheduler)
    finally:  # the worker takes over Ctrl-C; give it back to pytest
        for sig, handler in handlers.items():
            signal.signal(sig, handler)


def _returned_work(edition, roles):
    work = submitted_work(edition, roles["student"])
    return transition_work(
        work, WorkState.RETURNED, actor=roles["organizer"], reason="作品说明缺少AI使用过程"
    )


def _store_image(edition, roles) -> WorkFile:
    return submission_services.workfile_store(
        work=art_draft(edition, roles["student"]),
        slot="artwork",
        fileobj=io.BytesIO(png_bytes((800, 600))),
        name="a.png",
        actor=roles["student"],
    )


def test_emails_wait_in_redis_until_a_worker_sends_them(
    rq_broker, roles, edition, django_capture_on_commit_callbacks
):
    student = roles["student"]
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        _returned_work(edition, roles)

    delivery = EmailDelivery.objects.get(notification__kind="work.returned")
    assert delivery.status == EmailDelivery.Status.PENDING
    assert mail.outbox == []
    job_ids = rq_broker.job_ids
    assert job_ids  # the pre-check of the submission and the e-mails

    run_worker()

    delivery.refresh_from_db()
    assert delivery.status == EmailDelivery.Status.SENT
    returned = [m for m in mail.outbox if "被退回修改" in m.subject]
    assert [m.to for m in returned] == [[student.email]]
    assert "原因：作品说明缺少AI使用过程" in returned[0].body
    results = [default_task_backend.get_result(job_id) for job_id in job_ids]
    assert {r.status for r in results} == {TaskResultStatus.SUCCESSFUL}
    by_task = {r.task.name: r.return_value for r in results}
    assert by_task["send_email_delivery"] == "sent"
    assert by_task["precheck_work"].endswith("finding(s)")
    assert rq_broker.count == 0


def test_uploaded_image_gets_its_preview_from_a_worker(
    rq_broker, roles, edition, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        work_file = _store_image(edition, roles)
    assert not WorkFile.objects.get(pk=work_file.pk).thumbnail
    [job_id] = rq_broker.job_ids

    run_worker()

    work_file.refresh_from_db()
    assert work_file.thumbnail.name
    with work_file.thumbnail.open("rb") as fh, Image.open(fh) as img:
        assert img.size == (480, 360)
    result = default_task_backend.get_result(job_id)
    assert (result.status, result.return_value) == (TaskResultStatus.SUCCESSFUL, "made")


def test_task_that_raises_is_failed_and_kept_for_requeueing(
    rq_broker, roles, edition, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        work_file = _store_image(edition, roles)
    work_file.file.storage.delete(work_file.file.name)  # vanished before the worker got to it
    [job_id] = rq_broker.job_ids

    run_worker()

    result = default_task_backend.get_result(job_id)
    assert result.status == TaskResultStatus.FAILED
    assert [e.exception_class_path for e in result.errors] == ["builtins.FileNotFoundError"]
    assert "FileNotFoundError" in result.errors[0].traceback
    assert FailedJobRegistry(queue=rq_broker).get_job_ids() == [job_id]  # `rq requeue` can retry
    work_file.refresh_from_db()
    assert not work_file.thumbnail


def test_failing_smtp_schedules_the_retry_in_redis_and_the_retry_sends(
    rq_broker, roles, edition, settings, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = FAILING_SMTP
    with django_capture_on_commit_callbacks(execute=True):
        _returned_work(edition, roles)
    run_worker()

    delivery = EmailDelivery.objects.get(notification__kind="work.returned")
    assert (delivery.status, delivery.attempts) == (EmailDelivery.Status.PENDING, 1)
    assert "ConnectionRefusedError" in delivery.last_error
    scheduled = ScheduledJobRegistry(queue=rq_broker)
    retries = [
        job_id
        for job_id in scheduled.get_job_ids()
        if default_task_backend.get_result(job_id).args == [delivery.pk]
    ]
    assert len(retries) == 1  # back-off: 2 minutes after the first attempt
    due = scheduled.get_scheduled_time(retries[0]) - timezone.now()
    assert datetime.timedelta(seconds=100) < due <= datetime.timedelta(minutes=2)

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    mail.outbox.clear()
    scheduled.schedule(rq_broker.fetch_job(retries[0]), timezone.now())  # two minutes later
    run_worker(with_scheduler=True)

    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == (EmailDelivery.Status.SENT, 2)
    assert [m.to for m in mail.outbox if "被退回修改" in m.subject] == [[roles["student"].email]]


def _project_tasks() -> list[Task]:
    found = []
    for config in apps.get_app_configs():
        if not config.name.startswith("gongchuang."):
            continue
        try:
            module = importlib.import_module(f"{config.name}.tasks")
        except ModuleNotFoundError:
            continue
        found += [value for value in vars(module).values() if isinstance(value, Task)]
    return found


def test_every_project_task_can_be_queued_in_redis_for_a_worker(rq_broker):
    from django_tasks_rq import Job

    tasks = _project_tasks()
    assert len(tasks) >= 6
    for task in tasks:
        result = task.enqueue(0)
        job = Job.fetch(result.id, connection=rq_broker.connection)
        assert job.func is task  # the worker resolves the job to this very task
        assert (job.origin, job.args) == (task.queue_name, (0,))
    assert rq_broker.count == len(tasks)


def _broker_env(**extra) -> dict:
    env = {**os.environ, "TASKS_BROKER": "redis", "TASKS_REDIS_URL": QUEUE_URL, **extra}
    env.pop("TASKS_BACKEND", None)  # ./scripts/test sets the immediate backend
    return env


def test_redis_broker_switch_passes_the_task_backend_checks(tmp_path):
    """TASKS_BROKER=redis installs django-rq and gives every task queue an RQ queue."""
    env = _broker_env(GONGCHUANG_VAR_DIR=str(tmp_path))
    env.pop("DATABASE_URL", None)
    check = subprocess.run(
        [sys.executable, "manage.py", "check", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert check.returncode == 0, check.stdout + check.stderr
    assert "no issues" in check.stdout


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_rqworker_command_in_its_own_process_sends_the_email(rq_broker, roles, edition):
    """The production set-up for real: committed rows in PostgreSQL, the job in Redis and
    `manage.py rqworker` as a separate process."""
    _returned_work(edition, roles)  # commits: the jobs are queued in Redis
    delivery = EmailDelivery.objects.get(notification__kind="work.returned")
    assert delivery.status == EmailDelivery.Status.PENDING
    url = urlsplit(os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/test"))
    test_db = urlunsplit(url._replace(path="/" + connection.settings_dict["NAME"]))
    env = _broker_env(
        DATABASE_URL=test_db,
        EMAIL_BACKEND="django.core.mail.backends.console.EmailBackend",
        # Another process on the shared database: the same secrets as this one (gongchuang.E004).
        SECRET_KEY=settings.SECRET_KEY,
        IDENTITY_HASH_KEY=settings.IDENTITY_HASH_KEY,
    )
    command = [sys.executable, "manage.py", "rqworker", "default", "--burst", "--with-scheduler"]
    worker = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)

    assert worker.returncode == 0, worker.stdout + worker.stderr
    delivery.refresh_from_db()
    assert delivery.status == EmailDelivery.Status.SENT
    assert f"To: {roles['student'].email}" in worker.stdout
    assert rq_broker.count == 0
