"""Sending the site's e-mails: each one is a subject / text / html template triple."""

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string


def send_to_user(user, template, context, headers=None):
    """Send ``templates/emails/<template>_subject.txt``, ``.txt`` and ``.html`` to ``user``.

    The context gets ``user`` and ``site_url`` for absolute links. Users without an
    address are skipped. ``headers`` are extra ones (List-Unsubscribe, say).
    """
    if not user.email:
        return
    context = {"user": user, "site_url": settings.SITE_URL, **context}
    subject = render_to_string(f"emails/{template}_subject.txt", context).strip()
    text = render_to_string(f"emails/{template}.txt", context)
    html = render_to_string(f"emails/{template}.html", context)
    message = EmailMultiAlternatives(
        " ".join(subject.split()), text, to=[user.email], headers=headers
    )
    message.attach_alternative(html, "text/html")
    message.send()


def send_after_commit(user, template, context):
    """Queue the e-mail to go out once the current transaction commits, so a rolled-back
    change never sends one."""
    transaction.on_commit(lambda: send_to_user(user, template, context))
