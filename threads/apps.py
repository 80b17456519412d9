from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps


class ThreadsConfig(AppConfig):
    default = True
    name = "threads"
    verbose_name = "RP Archive"

    def ready(self):
        from django.contrib.auth.signals import user_logged_in

        from threads.views.context import tell_turns_on_login

        user_logged_in.connect(tell_turns_on_login, dispatch_uid="threads.tell_turns_on_login")


class ArchiveAdminConfig(admin_apps.AdminConfig):
    """The admin app, with our AdminSite as the default site (see INSTALLED_APPS)."""

    default = False
    default_site = "threads.admin_site.ArchiveAdminSite"
