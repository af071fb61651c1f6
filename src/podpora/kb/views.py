"""The knowledge base for customers and the public; staff write articles in the administration."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from podpora.accounts import access
from podpora.core import clientip, ratelimit
from podpora.customers.models import Contact, Vendor

from . import drafts, selectors, suggest
from .models import Article, Deflection
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


def _suggested(request, vendor, subject: str, body: str, product_id=None) -> list:
    return suggest.suggest(
        request.user,
        vendor,
        f"{subject}\n{body}",
        product_id=product_id,
        language=(translation.get_language() or "cs")[:2],
    )


def suggestion_context(request, vendor, data, channel: str) -> dict:
    """What ``kb/suggestions.html`` needs, for a form's ``data`` (subject, body, product)."""
    product = data.get("product") or ""
    product_id = int(product) if str(product).isdigit() and len(str(product)) < 10 else None
    subject = (data.get("subject") or "")[:250]
    found = _suggested(request, vendor, subject, (data.get("body") or "")[:5000], product_id)
    return {
        "vendor": vendor,
        "suggestions": found,
        "suggest_subject": subject,
        "suggest_channel": channel,
        "suggest_asked": bool(subject or data.get("body")),
    }


def suggestions(request, vendor):
    """The fragment the new-request forms load while typing (``static/suggest.js``)."""
    vendor = get_object_or_404(Vendor, slug=vendor)
    channel = "webform" if request.GET.get("channel") == "webform" else "portal"
    return render(
        request, "kb/suggestions.html", suggestion_context(request, vendor, request.GET, channel)
    )


@require_POST
def helped(request, vendor):
    """ "Toto mi pomohlo": the person files nothing; the deflection is counted."""
    vendor = get_object_or_404(Vendor, slug=vendor)
    pk = request.POST.get("article", "")
    found = (
        selectors.readable(request.user, vendor).filter(pk=int(pk)).first()
        if pk.isdigit() and len(pk) < 10
        else None
    )
    if found is None:
        raise Http404("no such article")
    contact = access.contact_at(request.user, vendor.pk)
    over = request.user.is_anonymous and ratelimit.hit(
        "kb-helped:" + clientip.of(request), 30, 3600
    )
    if not over:
        Deflection.objects.create(
            vendor=vendor,
            article=found,
            contact=contact,
            channel="webform" if request.POST.get("channel") == "webform" else "portal",
            language=(translation.get_language() or "cs")[:2],
            subject=request.POST.get("subject", "")[:250],
            created_at=timezone.now(),
        )
    return render(
        request,
        "kb/helped.html",
        {"vendor": vendor, "article": found, "contact": contact},
    )


@require_POST
def draft_from_ticket(request, number):
    """An agent turns a resolved ticket's answer into a draft article (the console's button)."""
    if not access.is_staff(request.user):
        raise Http404("not staff")
    ticket = access.get_ticket(request.user, number)
    if not access.staff_of(request.user, ticket.vendor_id):
        raise Http404("not this vendor's staff")
    try:
        draft = drafts.draft_from_ticket(ticket)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("desk:detail", number=number)
    messages.success(
        request, _("Koncept článku je připraven; upravte ho a zveřejněte v nastavení.")
    )
    return redirect(
        "kb-article", vendor=ticket.vendor.slug, language=draft.language, slug=draft.slug
    )
