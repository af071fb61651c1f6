"""Forgotten passwords: Django's reset views with our templates and a limit per address, and
the link that lets an invited person set their first password (the same signed token)."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import PasswordResetForm
from django.contrib.auth.tokens import default_token_generator
from django.urls import reverse, reverse_lazy
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from podpora.core import ratelimit

#: reset requests per client address within WINDOW seconds
LIMIT, WINDOW = 5, 3600


class ResetForm(PasswordResetForm):
    """Also for a person invited who never set a password (an unusable one): their
    invitation link ran out, and this is how they get a new one."""

    def get_users(self, email):
        users = get_user_model()._default_manager.filter(email__iexact=email, is_active=True)
        return (u for u in users if u.email and u.email.lower() == email.lower())


class ResetView(auth_views.PasswordResetView):
    form_class = ResetForm
    template_name = "registration/reset_form.html"
    email_template_name = "registration/reset_email.txt"
    subject_template_name = "registration/reset_subject.txt"
    success_url = reverse_lazy("password_reset_done")

    @property
    def extra_email_context(self):
        return {"base_url": settings.BASE_URL}

    def form_valid(self, form):
        address = self.request.META.get("REMOTE_ADDR", "unknown")
        if ratelimit.hit(f"password-reset:{address}", LIMIT, WINDOW):
            # The same answer as when it was sent: nothing tells what happened.
            return super(auth_views.PasswordResetView, self).form_valid(form)
        return super().form_valid(form)


def set_password_url(user) -> str:
    """An absolute link where ``user`` sets a password (valid as PASSWORD_RESET_TIMEOUT)."""
    path = reverse(
        "password_reset_confirm",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": default_token_generator.make_token(user),
        },
    )
    return f"{settings.BASE_URL}{path}"
