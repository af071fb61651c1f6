"""Forgotten passwords: Django's reset views with our templates, and the link that lets an
invited person set their first password (the same signed token).

The request only queues the mail (mail.tasks.send_password_reset looks the address up and
sends through the outbox, with retries): the answer and its time are the same whether an
account has the address or not. Requests are limited per e-mail address (that mailbox is
not flooded) and slowed down per client address (many people may share one)."""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import PasswordResetForm
from django.contrib.auth.tokens import default_token_generator
from django.shortcuts import redirect
from django.urls import reverse, reverse_lazy
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from podpora.core import clientip, ratelimit

#: reset mails per e-mail address, and requests per client address before each is slowed
#: down, within WINDOW seconds
PER_EMAIL, LIMIT, WINDOW = 3, 5, 3600


class ResetView(auth_views.PasswordResetView):
    form_class = PasswordResetForm
    template_name = "registration/reset_form.html"
    success_url = reverse_lazy("password_reset_done")

    def form_valid(self, form):
        from podpora.mail.tasks import send_password_reset

        by_address = f"password-reset:{clientip.of(self.request)}"
        ratelimit.slow_down(by_address, LIMIT)
        ratelimit.count(by_address, WINDOW)
        email = form.cleaned_data["email"].strip()
        digest = hashlib.sha256(email.lower().encode()).hexdigest()[:32]
        if not ratelimit.hit(f"password-reset:email:{digest}", PER_EMAIL, WINDOW):
            # No transaction here: the task row (the durable queue) is committed at once.
            send_password_reset.enqueue(email, self.request.LANGUAGE_CODE or "cs")
        # The same answer whatever happened: nothing tells whether the address has an account.
        return redirect(self.get_success_url())


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
