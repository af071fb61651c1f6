"""The pages speak the signed-in person's own language.

Order: a language picked in the page's language switch (Django's cookie) > the person's own
``User.language`` (a Slovak contact sees Slovak right after logging in) > the browser's
Accept-Language > Czech. Runs after the authentication middleware; Django's LocaleMiddleware
has already chosen from the cookie or the browser.
"""

from __future__ import annotations

from django.conf import settings
from django.utils import translation

_SUPPORTED = {code for code, _name in settings.LANGUAGES}


class UserLanguageMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and settings.LANGUAGE_COOKIE_NAME not in request.COOKIES
        ):
            language = getattr(user, "language", "") or ""
            if language in _SUPPORTED and language != request.LANGUAGE_CODE:
                translation.activate(language)
                request.LANGUAGE_CODE = language
        return self.get_response(request)
