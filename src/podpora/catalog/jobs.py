"""Periodic: tell the customers waiting for a fix that the release holding it is out."""

from __future__ import annotations

from django.utils import timezone

from podpora.core.schedule import job


@job("releases")
def announce_published() -> str:
    from podpora.tickets.services import announce_release

    from .models import Release

    now = timezone.now()
    due = Release.objects.filter(announced_at__isnull=True, published_at__lte=now).order_by("pk")
    told = sum(announce_release(release, now=now) for release in due[:50])
    return f"{told} customers told of a published fix"
