"""When the database cannot be reached: 503 with Retry-After instead of an error page, in the
person's language (JSON for the API), and what they had typed shown again in a form that
sends it once more, so nothing written is lost. The page touches no database (no user, no
session): it is rendered from the request alone."""

from __future__ import annotations

import logging

from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, JsonResponse
from django.middleware.csrf import get_token
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _

log = logging.getLogger(__name__)

RETRY_AFTER = 30  # seconds
#: never written back into a page
SECRET_FIELDS = (
    "csrfmiddlewaretoken",
    "password",
    "old_password",
    "new_password1",
    "new_password2",
)


def typed_fields(post) -> list[tuple[str, str, bool]]:
    """(name, value, long) of what was typed, without passwords and tokens."""
    fields = []
    for name in post:
        if name in SECRET_FIELDS or "password" in name:
            continue
        for value in post.getlist(name):
            fields.append((name, value, "\n" in value or len(value) > 80))
    return fields


def unavailable_response(request) -> HttpResponse:
    language = getattr(request, "LANGUAGE_CODE", None) or translation.get_language_from_request(
        request
    )
    with translation.override(language):
        message = _("Databáze je dočasně nedostupná. Zkuste to prosím za chvíli znovu.")
        if request.path.startswith("/api/"):
            response = JsonResponse({"detail": message}, status=503)
        else:
            fields = typed_fields(request.POST) if request.method == "POST" else []
            html = render_to_string(
                "errors/unavailable.html",
                {
                    "message": message,
                    "fields": fields,
                    "action": request.get_full_path(),
                    "csrf_token": get_token(request) if fields else "",
                    "language": language,
                },
            )
            response = HttpResponse(html, status=503)
    response["Retry-After"] = str(RETRY_AFTER)
    return response


def _unavailable(request, exception) -> HttpResponse:
    log.error("database unavailable on %s %s: %s", request.method, request.path, exception)
    return unavailable_response(request)


def lost_database(exception) -> bool:
    return isinstance(exception, OperationalError | InterfaceError)


class DatabaseUnavailableMiddleware:
    """A view that lost the database answers 503 with all it knows of the request (language,
    CSRF token). A middleware that loses it (the session read or saved, the two-step device
    looked up) ends in the 500 handler, which answers the same (core.errors.server_error)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if lost_database(exception):
            return _unavailable(request, exception)
        return None
