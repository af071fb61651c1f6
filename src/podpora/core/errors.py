"""Error pages in the user's language; never a stack trace."""

import sys

from django.http import JsonResponse
from django.shortcuts import render


def _wants_json(request) -> bool:
    return request.path.startswith("/api/")


def not_found(request, exception=None):
    if _wants_json(request):
        return JsonResponse({"detail": "Not found."}, status=404)
    return render(request, "errors/404.html", status=404)


def server_error(request):
    from podpora.core import unavailable

    if unavailable.lost_database(sys.exc_info()[1]):
        return unavailable.unavailable_response(request)
    if _wants_json(request):
        return JsonResponse({"detail": "Internal error; it has been logged."}, status=500)
    return render(request, "errors/500.html", status=500)
