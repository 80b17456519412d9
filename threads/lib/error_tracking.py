"""Error tracking with Sentry, imported only when SENTRY_DSN is set (settings.py)."""

from django.core.exceptions import ImproperlyConfigured


def start_sentry(dsn, environment):
    import sentry_sdk
    from sentry_sdk.integrations.django import DjangoIntegration
    from sentry_sdk.utils import BadDsn

    try:
        sentry_sdk.init(
            dsn=dsn,
            environment=environment,
            integrations=[DjangoIntegration()],
            # Readers' and writers' addresses, cookies and bodies stay out of the tracker.
            send_default_pii=False,
            traces_sample_rate=0.0,
        )
    except BadDsn as error:
        raise ImproperlyConfigured(f"SENTRY_DSN is not a Sentry DSN ({error}).") from None
