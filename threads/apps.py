from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps


class ThreadsConfig(AppConfig):
    default = True
    name = "threads"
    verbose_name = "RP Archive"


class ArchiveAdminConfig(admin_apps.AdminConfig):
    """The admin app, with our AdminSite as the default site (see INSTALLED_APPS)."""

    default = False
    default_site = "threads.admin_site.ArchiveAdminSite"
