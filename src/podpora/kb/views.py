"""The knowledge base for customers and the public; staff write articles in the administration."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from podpora.accounts import access
from podpora.customers.models import Contact, Vendor

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
    contact = access.contact_at(request.user, vendor.pk)
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
            "contact": contact,
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
    vendor = access.own_vendor(request.user)
    if vendor is None:
        raise Http404("whose kb?")
    return redirect("kb", vendor=vendor.slug)


@login_required
@require_POST
def news_subscription(request, vendor):
    """A customer takes the vendor's news by e-mail, or stops."""
    vendor = get_object_or_404(Vendor, slug=vendor)
    contact = access.contact_at(request.user, vendor.pk)
    if contact is None:
        raise Http404("not a customer of this vendor")
    wanted = request.POST.get("news") == "on"
    Contact.objects.filter(pk=contact.pk).update(news_by_email=wanted)
    if wanted:
        messages.success(
            request, _("Novinky vám budeme posílat na %(email)s.") % {"email": contact.email}
        )
    else:
        messages.success(request, _("Novinky vám už posílat nebudeme."))
    return redirect("kb", vendor=vendor.slug)
