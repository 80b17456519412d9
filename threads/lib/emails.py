"""Sending the site's e-mails: each one is a subject / text / html template triple.

No e-mail is sent in a request. The message is rendered where it is asked for and handed to
the ``deliver_email`` task as plain JSON (addresses, subject, both bodies, headers), so a
queued e-mail needs nothing else to go out, and a failed send is tried again later
(threads.lib.tasks.retry) instead of failing the page that caused it.
"""

import logging
import smtplib

from django.conf import settings
from django.contrib.auth.forms import PasswordResetForm
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django_tasks import task

from threads.lib import tasks

log = logging.getLogger(__name__)


def render_email(user, template, context, headers=None):
    """``templates/emails/<template>_subject.txt``, ``.txt`` and ``.html`` for ``user``, as
    the message ``deliver_email`` takes. The context gets ``user`` and ``site_url``."""
    context = {"user": user, "site_url": settings.SITE_URL, **context}
    subject = render_to_string(f"emails/{template}_subject.txt", context)
    return {
        "to": [user.email],
        "subject": " ".join(subject.split()),
        "text": render_to_string(f"emails/{template}.txt", context),
        "html": render_to_string(f"emails/{template}.html", context),
        "headers": dict(headers or {}),
    }


def send_to_user(user, template, context, headers=None):
    """Queue ``template`` for ``user`` now; users without an address are skipped.
    ``headers`` are extra ones (List-Unsubscribe, say)."""
    if not user.email:
        return
    deliver_email.enqueue(render_email(user, template, context, headers))


def send_after_commit(user, template, context):
    """Queue the e-mail once the current transaction commits, so a rolled-back change never
    sends one."""
    transaction.on_commit(lambda: send_to_user(user, template, context))


@task()
def deliver_email(message, attempt=1):
    """Send one rendered ``message``. A server that refuses or cannot be reached is tried
    again after 1, 5, 25 and 125 minutes; after the last try the task fails with the error,
    so it shows among the failed tasks in the admin with the message in its arguments."""
    email = EmailMultiAlternatives(
        message["subject"],
        message["text"],
        from_email=message.get("from_email"),
        to=message["to"],
        headers=message["headers"],
    )
    if message.get("html"):
        email.attach_alternative(message["html"], "text/html")
    try:
        email.send()
    except (smtplib.SMTPException, OSError) as error:
        if tasks.retry(deliver_email, message, attempt=attempt) is None:
            log.error("E-mail to %s failed %d times, giving up: %s", message["to"], attempt, error)
            raise
        log.warning("E-mail to %s failed (try %d), retrying: %s", message["to"], attempt, error)
        return f"not sent on try {attempt} ({error}); tried again later"
    return f"sent on try {attempt}"


class QueuedPasswordResetForm(PasswordResetForm):
    """Django's password reset form, its e-mail sent by ``deliver_email`` like every other."""

    def send_mail(
        self,
        subject_template_name,
        email_template_name,
        context,
        from_email,
        to_email,
        html_email_template_name=None,
    ):
        subject = render_to_string(subject_template_name, context)
        html = html_email_template_name and render_to_string(html_email_template_name, context)
        message = {
            "to": [to_email],
            "subject": " ".join(subject.split()),
            "text": render_to_string(email_template_name, context),
            "html": html or "",
            "headers": {},
            "from_email": from_email,
        }
        # Not on commit: like Django's own form, the request has no transaction to wait for.
        deliver_email.enqueue(message)
