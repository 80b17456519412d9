"""Two-factor authentication (TOTP) for staff accounts.

A staff member turns it on here: a new device's secret is shown as a QR code drawn on
the server (segno, inline SVG: the secret never goes to a QR service) and as its
otpauth:// address, and the device counts once a code from it is typed back. With
RP_ADMIN_REQUIRE_2FA on, the admin sends a session not yet verified to ``two_factor_verify``
(threads/admin_site.py).
"""

from itertools import groupby

import segno
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from threads.forms.two_factor import TokenForm

DEVICE_NAME = "Authenticator app"
QR_BORDER = 4  # modules of light margin, as the QR standard asks


def qr_code(data):
    """(size, path) of the QR code for ``data``: one SVG path, a rectangle per run of dark
    modules in a row. The template draws it, so no markup is marked safe, and only
    letters and numbers reach the page."""
    qr = segno.make(data, error="m")
    runs, x = [], 0
    for y, row in enumerate(qr.matrix_iter(border=QR_BORDER)):
        x = 0
        for dark, modules in groupby(row, key=bool):
            width = len(list(modules))
            if dark:
                runs.append(f"M{x} {y}h{width}v1h-{width}z")
            x += width
    return x, " ".join(runs)


def _staff(request):
    if not (request.user.is_active and request.user.is_staff):
        raise PermissionDenied("Two-factor authentication is for staff accounts.")
    return request.user


def _confirmed_device(user):
    return TOTPDevice.objects.devices_for_user(user, confirmed=True).first()


def _new_device(user):
    """The unconfirmed device this staff member is setting up (one at a time)."""
    device = TOTPDevice.objects.devices_for_user(user, confirmed=False).first()
    return device or TOTPDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=False)


def _next_url(request, default):
    target = request.POST.get("next") or request.GET.get("next") or ""
    safe = url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return target if safe else default


@login_required
def two_factor(request):
    """Status, and setting up a device: scan, then type a code to confirm it."""
    user = _staff(request)
    device = _confirmed_device(user)
    if device:
        context = {"device": device, "form": TokenForm(device)}
        return render(request, "threads/two_factor/manage.html", context)
    pending = _new_device(user)
    form = TokenForm(pending, request.POST or None)
    if request.method == "POST" and form.is_valid():
        pending.confirmed = True
        pending.save(update_fields=["confirmed"])
        otp_login(request, pending)
        messages.success(request, "Two-factor authentication is on for your account.")
        return redirect("two_factor")
    uri = pending.config_url
    size, path = qr_code(uri)
    context = {"form": form, "uri": uri, "qr_size": size, "qr_pixels": 4 * size, "qr_path": path}
    return render(request, "threads/two_factor/setup.html", context)


@login_required
def two_factor_verify(request):
    """A code for this session, which the admin may require."""
    user = _staff(request)
    device = _confirmed_device(user)
    if device is None:
        messages.info(request, "Set up two-factor authentication first.")
        return redirect("two_factor")
    next_url = _next_url(request, reverse("admin:index"))
    form = TokenForm(device, request.POST or None)
    if request.method == "POST" and form.is_valid():
        otp_login(request, device)
        return redirect(next_url)
    return render(request, "threads/two_factor/verify.html", {"form": form, "next": next_url})


@require_POST
@login_required
def two_factor_disable(request):
    """Turning it off takes a current code, so a borrowed session cannot."""
    user = _staff(request)
    device = _confirmed_device(user)
    form = TokenForm(device, request.POST)
    if device is None or not form.is_valid():
        return render(request, "threads/two_factor/manage.html", {"device": device, "form": form})
    TOTPDevice.objects.filter(user=user).delete()
    messages.success(request, "Two-factor authentication is off for your account.")
    return redirect("two_factor")
