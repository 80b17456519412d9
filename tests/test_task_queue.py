"""The task queue: no e-mail is sent in a request or a transaction; each is enqueued after
commit as a deliver_email task holding the whole message, arrives once the task runs, and a
failed send is retried with backoff until it goes out, or fails where the admin shows it.
Large imports and the periodic runs go through the queue too."""

import io
import os
import smtplib
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.mail.backends.base import BaseEmailBackend
from django.core.mail.backends.locmem import EmailBackend as LocmemBackend
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from django_tasks import TaskResultStatus, task_backends
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult

from tests.factories import make_chapter, make_pending_post, make_user
from threads import moderation, tasks
from threads.lib import emails
from threads.lib.tasks import MAX_ATTEMPTS, RETRY_DELAYS
from threads.library import comments, outbox, subscriptions
from threads.models import Post, Scene, Story
from threads.views import imports
from threads.writing import deadlines, posting, structure

pytestmark = pytest.mark.django_db

IC = Post.Kind.IN_CHARACTER
ROOT = Path(__file__).resolve().parent.parent


class FlakyBackend(BaseEmailBackend):
    """A mail server that drops the first ``failures`` sends, then delivers to mail.outbox."""

    failures = 0

    def send_messages(self, messages):
        if FlakyBackend.failures:
            FlakyBackend.failures -= 1
            raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")
        return LocmemBackend().send_messages(messages)


@pytest.fixture
def flaky_mail(settings):
    settings.EMAIL_BACKEND = "tests.test_task_queue.FlakyBackend"
    yield FlakyBackend
    FlakyBackend.failures = 0


@pytest.fixture
def queued(settings):
    """Tasks are kept, not run: the results enqueued so far."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    return task_backends["default"].results


@pytest.fixture
def database_queue(settings):
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}
    }


def run_worker():
    """What `manage.py db_worker --batch` does with each ready task, minus its exclusive
    transaction (the test's own transaction holds the database)."""
    worker = Worker(
        queue_names=["default"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="test-worker",
    )
    while (result := DBTaskResult.objects.ready().order_by("enqueued_at").first()) is not None:
        result.claim(worker.worker_id)
        worker.run_task(result)


def wait_for_retry():
    """Let the one waiting retry come due; returns how long it was asked to wait."""
    waiting = DBTaskResult.objects.get(status=TaskResultStatus.READY)
    delay = waiting.run_after - waiting.enqueued_at
    DBTaskResult.objects.filter(pk=waiting.pk).update(run_after=timezone.now())
    return delay


def deliveries(results):
    return [r for r in results if r.task.func is emails.deliver_email.func]


# The e-mail paths, each through its real domain code ------------------------------------


def turn_email(cast, moderator):
    posting.submit_post(cast.scene, cast.mira, IC, cast.aleksei, "The ferry bell rang twice.")
    return {"teo@example.test"}


def moderation_email(cast, moderator):
    moderation.approve(make_pending_post(cast.scene, cast.aleksei), moderator)
    return {"mira@example.test"}


def comment_email(cast, moderator):
    reader = make_user("wren")
    comment = comments.submit(cast.chapter, reader, "The bell made me shiver.")
    comments.approve(comment, moderator)  # tells the reader, and writes the writers' rows
    outbox.send_due()
    return {"wren@example.test", "mira@example.test", "teo@example.test"}


def notification_email(cast, moderator):
    reader = make_user("wren")
    subscriptions.subscribe(reader, cast.story, "chapter")
    structure.publish_chapter(make_chapter(cast.story, is_published=False), True)
    outbox.send_due()
    return {"wren@example.test"}


def deadline_reminder(cast, moderator):
    stalled = timezone.now() - timedelta(days=2.5)
    Scene.objects.filter(pk=cast.scene.pk).update(turn_deadline_days=4, created_at=stalled)
    deadlines.run()
    return {"mira@example.test"}


PATHS = [turn_email, moderation_email, comment_email, notification_email, deadline_reminder]


@pytest.mark.parametrize("path", PATHS, ids=lambda path: path.__name__)
def test_each_email_is_enqueued_after_commit_and_not_sent(
    path, cast, moderator, queued, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        recipients = path(cast, moderator)
    sent_to = {r.args[0]["to"][0] for r in deliveries(queued)}
    assert sent_to == recipients
    assert mail.outbox == []


@pytest.mark.parametrize("path", PATHS, ids=lambda path: path.__name__)
def test_each_email_arrives_once_the_immediate_backend_runs_it(
    path, cast, moderator, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        recipients = path(cast, moderator)
    assert sorted(m.to[0] for m in mail.outbox) == sorted(recipients)


def test_nothing_is_enqueued_before_the_transaction_commits(
    cast, queued, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        turn_email(cast, None)
    assert deliveries(queued) == []
    for callback in callbacks:
        callback()
    assert len(deliveries(queued)) == 1


def test_the_queued_task_holds_the_whole_message(cast, queued, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        turn_email(cast, None)
    (message,) = [r.args[0] for r in deliveries(queued)]
    assert message["to"] == ["teo@example.test"]
    assert message["subject"] == f"Your turn in “{cast.scene.title}” (The Lantern Road)"
    assert "It is your turn, as Lucia Ferro." in message["text"]
    assert message["html"].startswith("<!doctype html>")


def send_post(client, cast, callbacks):
    client.force_login(cast.mira)
    url = reverse("post_submit", args=[cast.story.slug, cast.chapter.number, cast.scene.position])
    with callbacks(execute=True):
        return client.post(url, {"post_as": f"character-{cast.aleksei.pk}", "body": "Ashore."})


def test_a_post_sent_through_the_page_leaves_its_email_in_the_queue(
    client, cast, queued, django_capture_on_commit_callbacks
):
    response = send_post(client, cast, django_capture_on_commit_callbacks)
    assert response.status_code == 302
    assert Post.objects.filter(scene=cast.scene).count() == 1
    assert [r.args[0]["to"] for r in deliveries(queued)] == [["teo@example.test"]]
    assert mail.outbox == []


def test_password_reset_email_goes_through_the_queue(client, owner, queued):
    client.post(reverse("password_reset"), {"email": owner.email})
    assert [r.args[0]["to"] for r in deliveries(queued)] == [[owner.email]]
    assert mail.outbox == []


# Failed sends ----------------------------------------------------------------------------


def test_a_send_that_fails_twice_is_retried_with_backoff_and_sent_once(
    cast, flaky_mail, database_queue, django_capture_on_commit_callbacks
):
    flaky_mail.failures = 2
    with django_capture_on_commit_callbacks(execute=True):
        turn_email(cast, None)
    run_worker()
    assert mail.outbox == []
    waiting = DBTaskResult.objects.get(status=TaskResultStatus.READY)
    assert waiting.args_kwargs["args"][0]["to"] == ["teo@example.test"]  # kept in the row
    assert waiting.args_kwargs["kwargs"] == {"attempt": 2}
    delays = [wait_for_retry()]
    run_worker()
    delays.append(wait_for_retry())
    run_worker()
    assert [m.to for m in mail.outbox] == [["teo@example.test"]]
    assert [round(d / timedelta(minutes=1)) for d in delays] == [1, 5]
    assert not DBTaskResult.objects.failed().exists()
    assert DBTaskResult.objects.successful().count() == 3
    assert not DBTaskResult.objects.ready().exists()


def test_a_send_that_always_fails_ends_failed_in_the_admin_with_its_message(
    cast, flaky_mail, database_queue, admin_client, django_capture_on_commit_callbacks
):
    flaky_mail.failures = 99
    with django_capture_on_commit_callbacks(execute=True):
        turn_email(cast, None)
    delays = []
    run_worker()
    for _ in range(MAX_ATTEMPTS - 1):
        delays.append(wait_for_retry())
        run_worker()
    assert mail.outbox == []
    assert [round(d.total_seconds()) for d in delays] == [d.total_seconds() for d in RETRY_DELAYS]
    failed = DBTaskResult.objects.failed().get()
    assert failed.args_kwargs["args"][0]["to"] == ["teo@example.test"]
    assert failed.args_kwargs["kwargs"] == {"attempt": MAX_ATTEMPTS}
    assert failed.exception_class_path == "smtplib.SMTPServerDisconnected"
    assert not DBTaskResult.objects.ready().exists()
    listing = reverse("admin:django_tasks_database_dbtaskresult_changelist")
    page = admin_client.get(listing, {"status__exact": "FAILED"}).content.decode()
    assert "deliver_email" in page and str(failed.pk) in page


def test_with_the_immediate_backend_a_flaky_server_still_gets_the_mail_once(
    cast, flaky_mail, django_capture_on_commit_callbacks
):
    flaky_mail.failures = 2
    with django_capture_on_commit_callbacks(execute=True):
        turn_email(cast, None)
    assert [m.to for m in mail.outbox] == [["teo@example.test"]]


def test_a_mail_server_that_is_down_never_breaks_the_page(
    client, cast, flaky_mail, django_capture_on_commit_callbacks
):
    flaky_mail.failures = 99
    response = send_post(client, cast, django_capture_on_commit_callbacks)
    assert response.status_code == 302
    assert Post.objects.filter(scene=cast.scene).count() == 1
    assert mail.outbox == []


# Periodic runs and imports ---------------------------------------------------------------


@pytest.mark.parametrize("command", ["send_notifications", "run_turn_deadlines"])
def test_the_periodic_commands_can_hand_their_run_to_the_worker(command, cast, queued):
    call_command(command, "--enqueue", stdout=io.StringIO())
    assert [r.task.name for r in queued] == [command]


def test_the_deadline_task_reminds_like_the_command(cast, django_capture_on_commit_callbacks):
    stalled = timezone.now() - timedelta(days=2.5)
    Scene.objects.filter(pk=cast.scene.pk).update(turn_deadline_days=4, created_at=stalled)
    with django_capture_on_commit_callbacks(execute=True):
        result = tasks.run_turn_deadlines.enqueue()
    assert result.status == TaskResultStatus.SUCCESSFUL
    assert result.return_value[0].startswith("Reminded mira")
    assert [m.to for m in mail.outbox] == [["mira@example.test"]]


TEXT = "Chapter Twelve: The Lock\n\nThe lock gave — *finally*.\n\n\n«Тише», she said.\n"


def confirm_upload(client, story):
    upload = SimpleUploadedFile("lock.txt", TEXT.encode())
    data = {
        "source": "text",
        "split": "blank-lines",
        "characters": "Vesna, Aleksei",
        "file": upload,
    }
    client.post(reverse("import_upload", args=[story.slug]), data)
    return client.post(reverse("import_preview", args=[story.slug]), {"confirm": "1"})


@pytest.fixture
def large_imports(monkeypatch):
    """Every import counts as large, so two posts go through the worker."""
    monkeypatch.setattr(imports, "IMPORT_IN_REQUEST_POSTS", 0)


def test_a_large_import_is_saved_by_the_worker_not_the_request(
    client, owner, story, large_imports, queued
):
    client.force_login(owner)
    response = confirm_upload(client, story)
    assert response["Location"] == reverse("story_manage", args=[story.slug])
    assert not Post.objects.filter(scene__chapter__story=story).exists()
    (job,) = queued
    job.task.call(*job.args, **job.kwargs)  # the worker, later, with only what was queued
    assert Post.objects.filter(scene__chapter__story=story).count() == 2
    (done,) = [r.args[0] for r in deliveries(queued)]
    assert done["to"] == [owner.email] and "Imported into" in done["subject"]


def test_a_large_import_arrives_with_an_email_in_development(client, owner, story, large_imports):
    client.force_login(owner)
    confirm_upload(client, story)
    assert Post.objects.filter(scene__chapter__story=story).count() == 2
    assert [m.subject for m in mail.outbox] == ["Imported into “The Lantern Road”"]


def test_an_import_into_a_story_deleted_meanwhile_saves_nothing_and_says_so(
    client, owner, story, large_imports, queued
):
    client.force_login(owner)
    confirm_upload(client, story)
    Story.objects.filter(pk=story.pk).delete()
    (job,) = queued
    job.task.call(*job.args, **job.kwargs)
    assert not Post.objects.exists() and not Story.objects.exists()
    (failed,) = [r.args[0] for r in deliveries(queued)]
    assert "Nothing was imported" in failed["subject"]


# Settings --------------------------------------------------------------------------------


def tasks_backend(**env):
    environment = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "TASKS_BACKEND"}}
    environment.update(env, SECRET_KEY="x" * 60, ALLOWED_HOSTS="example.com")
    code = "from django.conf import settings; print(settings.TASKS['default']['BACKEND'])"
    return subprocess.run(  # noqa: S603 (our own interpreter and fixed code)
        [sys.executable, "-c", f"import django; django.setup(); {code}"],
        cwd=ROOT,
        env={**environment, "DJANGO_SETTINGS_MODULE": "rp_archive.settings"},
        capture_output=True,
        text=True,
        timeout=60,
    )


@pytest.mark.parametrize(
    ("env", "backend"),
    [
        ({}, "django_tasks.backends.immediate.ImmediateBackend"),
        ({"DEBUG": "false"}, "django_tasks_db.DatabaseBackend"),
        ({"DEBUG": "false", "TASKS_BACKEND": "immediate"}, "ImmediateBackend"),
        ({"TASKS_BACKEND": "database"}, "django_tasks_db.DatabaseBackend"),
    ],
)
def test_the_backend_follows_the_environment(env, backend):
    result = tasks_backend(**env)
    assert result.returncode == 0, result.stderr
    assert backend in result.stdout


def test_an_unknown_backend_is_refused_by_name():
    result = tasks_backend(TASKS_BACKEND="celery")
    assert result.returncode != 0
    assert "TASKS_BACKEND must be one of immediate, database, rq, dummy" in result.stderr
