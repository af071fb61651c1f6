"""Log-in with a limit on failures, per user name and per client address, so a password
cannot be guessed by trying: after too many failures for one user name the form refuses even
the right one for a while, and says so (without telling whether the account exists). Too many
failures from one client address only slow every attempt from it down: many people may share
that address, and another person's right password is still accepted."""

from __future__ import annotations

from django import forms
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import AuthenticationForm
from django.core.cache import cache
from django.utils.translation import gettext_lazy as _lazy

from podpora.core import clientip, ratelimit
from podpora.core.text import fold

#: failures allowed per user name, and per client address, within WINDOW seconds
PER_USER, PER_ADDRESS, WINDOW = 10, 50, 15 * 60


def _keys(username: str, address: str) -> tuple[str, str]:
    return f"login-fail:user:{fold(username.strip())[:150]}", f"login-fail:ip:{address}"


class LoginForm(AuthenticationForm):
    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": _lazy("Uživatelské jméno nebo heslo není správné."),
        "throttled": _lazy(
            "Příliš mnoho neúspěšných pokusů o přihlášení. Zkuste to znovu za 15 minut."
        ),
    }

    def clean(self):
        username = self.cleaned_data.get("username") or ""
        address = clientip.of(self.request) if self.request else "unknown"
        by_user, by_address = _keys(username, address)
        if ratelimit.reached(by_user, PER_USER):
            raise forms.ValidationError(self.error_messages["throttled"], code="throttled")
        ratelimit.slow_down(by_address, PER_ADDRESS)
        try:
            data = super().clean()
        except forms.ValidationError:
            ratelimit.count(by_user, WINDOW)
            ratelimit.count(by_address, WINDOW)
            raise
        cache.delete(by_user)
        return data


class LoginView(auth_views.LoginView):
    template_name = "login.html"
    authentication_form = LoginForm
