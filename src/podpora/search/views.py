"""The staff's search page: tickets, knowledge base and releases, best matches first."""

from django.http import Http404
from django.shortcuts import render

from podpora.accounts import access
from podpora.catalog.models import Release
from podpora.desk.views import staff_required
from podpora.kb.models import Article

from . import query

#: matches shown per section
SHOWN = 20


@staff_required
def page(request):
    text = request.GET.get("q", "").strip()[:200]
    vendor_id = request.user.vendor_id
    if vendor_id is None and not request.user.is_superuser:
        raise Http404("no vendor")
    sections = {}
    if text:
        found = query.tickets_for(request.user, text, limit=SHOWN)
        rows = access.visible_tickets(request.user).filter(pk__in=found.ids)
        sections["tickets"] = _in_order(found, rows.select_related("organization"))
        audiences = set(Article.Audience.values)
        found = query.kb(vendor_id, text, audiences=audiences, drafts=True, limit=SHOWN)
        sections["kb"] = _in_order(
            found, Article.objects.filter(pk__in=found.ids).select_related("vendor")
        )
        found = query.releases(vendor_id, text, published_only=False, limit=SHOWN)
        releases = Release.objects.filter(pk__in=found.ids).select_related("product", "version")
        sections["releases"] = _in_order(found, releases)
    return render(request, "search/page.html", {"q": text, "sections": sections})


def _in_order(found, qs):
    by_id = {row.pk: row for row in qs}
    rows = [by_id[i] for i in found.ids if i in by_id]
    found.mark(rows)
    return rows
