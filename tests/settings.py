"""Test settings: the real settings, with a fast password hasher and in-memory e-mail."""

from rp_archive.settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
RP_PREMODERATION = True
# Tests serve static files from the source folders, without running collectstatic first.
WHITENOISE_AUTOREFRESH = True
WHITENOISE_USE_FINDERS = True
# Tasks run where they are enqueued, whatever TASKS_BACKEND the shell has: an e-mail queued
# on commit is in mail.outbox once the commit callbacks run (tests/test_task_queue.py).
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
