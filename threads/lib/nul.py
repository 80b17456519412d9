"""NUL characters stop at the door, whatever the database.

No text on the site can hold a NUL (U+0000), no browser form can type one, and PostgreSQL
refuses it in any query with an error: a 500 wherever a value from the URL or a form
reaches a lookup (``/writers/%00/``, an admin filter, a raw reason). Forms already refuse
NUL, but raw reads of the request, URL parameters and the admin's own filters are not
forms. So this one middleware answers before any view runs, the same on SQLite:

- a path with a NUL names nothing: 404;
- a NUL in any query-string or form key or value is a forged request: 400, nothing changed.
"""

from django.core.exceptions import BadRequest
from django.http import Http404

NUL = "\x00"


def _has_nul(query_dict):
    return any(
        NUL in key or any(NUL in value for value in values) for key, values in query_dict.lists()
    )


class RefuseNulMiddleware:
    """Placed after the authentication middleware, so the error pages know the user."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if NUL in request.path:
            raise Http404("No page has a NUL character in its address.")
        if _has_nul(request.GET) or (request.method == "POST" and _has_nul(request.POST)):
            raise BadRequest("A NUL character was sent; no text here can hold one.")
        return self.get_response(request)
