"""Small helpers for requests and responses, with no rule of the archive in them."""

from django.utils.http import url_has_allowed_host_and_scheme


def safe_next_url(request, default=None):
    """The ``next`` a form or link asked to return to (POST first, then the query string),
    if it is on this site; ``default`` otherwise, so no link can send a writer elsewhere."""
    next_url = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return next_url
    return default


def form_status(form):
    """The status of a form page: 400 when a sent form comes back with its errors (and the
    writer's text, filled in), 200 otherwise."""
    return 400 if form.errors else 200
