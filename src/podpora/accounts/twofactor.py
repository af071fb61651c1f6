"""Two-step log-in for staff: a code from an authenticator app (TOTP, django-otp) after the
password. Any staff member may turn it on; PODPORA_STAFF_2FA=1 requires it of all staff.
Customers' accounts are not affected, nor the API (its tokens are their own credential)."""

from __future__ import annotations

import qrcode
import qrcode.image.svg
from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_POST
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from podpora.accounts import access

#: paths a staff member who still owes the second step may open
OPEN_PREFIXES = ("/accounts/", "/static/", "/i18n/", "/healthz", "/api/")


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_lazy("Kód z aplikace"),
        max_length=8,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )


def confirmed_device(user) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


class TwoFactorMiddleware:
    """Sends a staff member who owes the second step to it (or to set it up, when required)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and not request.path.startswith(OPEN_PREFIXES)
            and not user.is_verified()
            and access.is_staff(user)
        ):
            device = confirmed_device(user)
            if device is not None or settings.PODPORA_STAFF_2FA:
                target = "two_factor_verify" if device is not None else "two_factor_setup"
                return redirect(f"{reverse(target)}?next={request.get_full_path()}")
        return self.get_response(request)


def _next(request) -> str:
    target = request.POST.get("next") or request.GET.get("next") or "/"
    if not url_has_allowed_host_and_scheme(target, {request.get_host()}):
        return "/"
    return target


def _qr_svg(device: TOTPDevice) -> str:
    image = qrcode.make(device.config_url, image_factory=qrcode.image.svg.SvgPathImage, box_size=8)
    return mark_safe(image.to_string(encoding="unicode"))  # our own SVG, no outside input


def _staff_or_404(request):
    if not access.is_staff(request.user):
        raise Http404("for staff")


@login_required
def setup(request):
    _staff_or_404(request)
    if confirmed_device(request.user) is not None:
        if not request.user.is_verified():
            return redirect("two_factor_verify")
        return render(
            request,
            "registration/two_factor_on.html",
            {"required": settings.PODPORA_STAFF_2FA},
        )
    device = TOTPDevice.objects.filter(user=request.user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=request.user, name="Podpora", confirmed=False)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["code"].strip()):
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            otp_login(request, device)
            messages.success(request, _("Dvoufázové přihlášení je zapnuté."))
            return redirect(_next(request))
        form.add_error("code", _("Kód nesouhlasí. Zkontrolujte čas v telefonu a zkuste nový kód."))
    return render(
        request,
        "registration/two_factor_setup.html",
        {
            "form": form,
            "qr": _qr_svg(device),
            "secret": device.config_url.split("secret=")[1].split("&")[0],
            "next": _next(request),
        },
    )


@login_required
def verify(request):
    _staff_or_404(request)
    device = confirmed_device(request.user)
    if device is None:
        return redirect("two_factor_setup")
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["code"].strip()):
            otp_login(request, device)
            return redirect(_next(request))
        form.add_error("code", _("Kód nesouhlasí nebo už byl použit."))
    return render(
        request, "registration/two_factor_verify.html", {"form": form, "next": _next(request)}
    )


@login_required
@require_POST
def disable(request):
    """Turn the second step off (not possible where all staff must use it)."""
    _staff_or_404(request)
    if settings.PODPORA_STAFF_2FA:
        messages.error(request, _("Dvoufázové přihlášení je povinné pro všechny pracovníky."))
    elif request.user.is_verified():
        TOTPDevice.objects.filter(user=request.user).delete()
        messages.success(request, _("Dvoufázové přihlášení je vypnuté."))
    return redirect("/")
