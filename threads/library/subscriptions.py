"""Following a story: an e-mail for each newly published chapter, or a daily digest of newly
published posts. The e-mails themselves go out through threads.library.outbox.

Every such e-mail carries a one-click unsubscribe link signed with django.core.signing: it
names the subscription and its reader, so it works logged out, and a forged or altered link
fails the signature and changes nothing.
"""

from django.conf import settings
from django.core import signing
from django.urls import reverse

from threads.models import Subscription

SALT = "threads.library.subscriptions.unsubscribe"
Mode = Subscription.Mode


class SubscriptionRefused(Exception):
    """The reader may not follow this story; the message says why."""


def subscribe(user, story, mode):
    """Follow ``story`` (one the user may read) in ``mode``; following again changes the mode."""
    if mode not in Mode.values:
        raise SubscriptionRefused("Choose an e-mail for each chapter, or a daily digest.")
    if not user.email:
        raise SubscriptionRefused("Add an e-mail address to your profile first.")
    subscription, _ = Subscription.objects.update_or_create(
        user=user, story=story, defaults={"mode": mode}
    )
    return subscription


def unsubscribe(user, story):
    """Stop following; whatever was waiting in the outbox for it goes too (cascade)."""
    return Subscription.objects.filter(user=user, story=story).delete()[0] > 0


def subscription_of(user, story):
    if not user.is_authenticated:
        return None
    return Subscription.objects.filter(user=user, story=story).first()


def token(subscription):
    return signing.dumps([subscription.pk, subscription.user_id], salt=SALT, compress=True)


def from_token(value):
    """The subscription a link names, or None: a bad signature, or one already ended."""
    try:
        pk, user_id = signing.loads(value, salt=SALT)
    except (signing.BadSignature, ValueError, TypeError):
        return None
    return Subscription.objects.filter(pk=pk, user_id=user_id).select_related("story").first()


def unsubscribe_url(subscription):
    return settings.SITE_URL + reverse("unsubscribe", args=[token(subscription)])


def unsubscribe_headers(subscription):
    """RFC 2369 and RFC 8058 headers: mail clients offer the link as one button, and POST
    "List-Unsubscribe=One-Click" to it."""
    return {
        "List-Unsubscribe": f"<{unsubscribe_url(subscription)}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    }
