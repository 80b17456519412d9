from django.conf import settings
from django.contrib import admin
from django.urls import include, path, re_path
from django.views.static import serve

from threads.views import accounts

urlpatterns = [
    path("admin/", admin.site.urls),
    # Ahead of Django's own reset view, so the reset e-mail has its HTML part too.
    path("accounts/password_reset/", accounts.password_reset, name="password_reset"),
    # Ahead of Django's own login view too: failed logins are rate-limited.
    path("accounts/login/", accounts.login, name="login"),
    path("accounts/", include("django.contrib.auth.urls")),
    path("", include("threads.urls")),
]

if settings.SERVE_MEDIA:
    media_prefix = settings.MEDIA_URL.lstrip("/")
    urlpatterns += [
        re_path(rf"^{media_prefix}(?P<path>.*)$", serve, {"document_root": settings.MEDIA_ROOT}),
    ]
