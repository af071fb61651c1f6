"""The portal's downloads: releases of the products the organisation holds a licence for."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _

from podpora.accounts import access
from podpora.catalog import downloads, selectors
from podpora.catalog.models import ReleaseFile
from podpora.core.days import day
from podpora.core.views import download


def _reason(status: str, params: dict) -> str:
    if status == "beyond_licence":
        limit = day(parse_date(params["max_version_date"]))
        return _(
            "Vaše licence pokrývá verze vydané do %(date)s; pro novější verzi prodlužte "
            "licenci nebo smlouvu o podpoře."
        ) % {"date": limit}
    return ""


@login_required
def release_list(request):
    contact = access.contact_of(request.user)
    if not access.is_staff(request.user) and (contact is None or contact.role == "end_user"):
        raise Http404("no downloads")
    rows = selectors.listed_releases(request.user)
    for row in rows:
        row.reason = _reason(row.status, row.params)
    return render(request, "portal/downloads.html", {"rows": rows})


@login_required
def release_file(request, file_id: int):
    """A file of a release the person may download, as a download (never rendered)."""
    found = (
        ReleaseFile.objects.select_related("release__version", "release__product", "blob")
        .filter(pk=file_id)
        .first()
    )
    if found is None:
        raise Http404("no such file")
    status, _params = selectors.verdict(request.user, found.release, timezone.now())
    if status != downloads.OK:
        raise Http404("not yours to download")
    return download(found.blob_id, found.filename)
