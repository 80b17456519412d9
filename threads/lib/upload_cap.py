"""Request bodies over a cap are refused before anything reads them.

Django caps form fields (DATA_UPLOAD_MAX_MEMORY_SIZE) but not uploaded files, which it
spools to disk whole before a form can say they are too large. This middleware looks at
the declared Content-Length only and answers 413 at once, so a 2 GB "portrait" costs
nothing. Views keep their own, more specific refusals below the cap (the portrait form's
5 MB, the import page's RP_IMPORT_MAX_BYTES); imports get a larger cap than the rest.
A body sent without a Content-Length (chunked) is the front web server's to cap: nginx's
client_max_body_size (deploy/).
"""

from django.conf import settings
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.urls import Resolver404, resolve

# Views that take an import file: they may receive RP_IMPORT_MAX_BYTES and a margin for
# the form around it, so their own page (not this one) explains a file just too large.
IMPORT_VIEWS = {"import_upload"}
FORM_MARGIN = 1024 * 1024


def cap_for(path):
    try:
        name = resolve(path).url_name
    except Resolver404:
        name = None
    if name in IMPORT_VIEWS:
        return max(settings.RP_MAX_UPLOAD_BYTES, settings.RP_IMPORT_MAX_BYTES + FORM_MARGIN)
    return settings.RP_MAX_UPLOAD_BYTES


def declared_length(request):
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return 0


class UploadCapMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        length = declared_length(request)
        if length > settings.RP_MAX_UPLOAD_BYTES or length > settings.RP_IMPORT_MAX_BYTES:
            cap = cap_for(request.path_info)
            if length > cap:
                return too_large(length, cap)
        return self.get_response(request)


def too_large(length, cap):
    context = {"sent_mb": length / 1024 / 1024, "cap_mb": cap / 1024 / 1024}
    return HttpResponse(render_to_string("413.html", context), status=413)
