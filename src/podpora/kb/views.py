"""The knowledge base for customers and the public; staff write articles in the administration."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import translation

from podpora.accounts import access
from podpora.customers.models import Vendor

from . import selectors
from .models import Article
from .render import to_html

LANGUAGES = ("cs", "sk", "en")


def index(request, vendor):
    vendor = get_object_or_404(Vendor, slug=vendor)
    q = request.GET.get("q", "").strip()[:200]
    kind = request.GET.get("kind", "")
    kind = kind if kind in Article.Kind.values else ""
    language = request.GET.get("lang", "")
    language = language if language in LANGUAGES else ""
    found = selectors.search(
        request.user,
        vendor,
        q=q,
        kind=kind,
        language=language,
        first=translation.get_language() or "cs",
    )
    page = Paginator(found, 20).get_page(request.GET.get("page"))
    return render(
        request,
        "kb/index.html",
        {
            "vendor": vendor,
            "page": page,
            "q": q,
            "kind": kind,
            "lang": language,
            "kinds": Article.Kind.choices,
            "languages": LANGUAGES,
        },
    )


def article(request, vendor, language, slug):
    vendor = get_object_or_404(Vendor, slug=vendor)
    found = selectors.get_article(request.user, vendor, language, slug)
    if found is None:
        raise Http404("no such article")
    return render(
        request,
        "kb/article.html",
        {"vendor": vendor, "article": found, "body": to_html(found.body)},
    )


def home(request):
    """The knowledge base of the person's own vendor (a customer's, or a staff member's)."""
    contact = access.contact_of(request.user)
    if contact is not None:
        return redirect("kb", vendor=contact.organization.vendor.slug)
    if access.is_staff(request.user) and request.user.vendor_id:
        return redirect("kb", vendor=request.user.vendor.slug)
    raise Http404("whose knowledge base?")
