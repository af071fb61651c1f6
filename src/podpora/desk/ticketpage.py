"""The agent's ticket page: conversation, facts and SLA, grouped actions, macros, links,
merge and split, who else is on the ticket, and opening a request for a customer.

Thin: forms in, services out (``tickets.services``, ``macros.services``)."""

from __future__ import annotations

import time

from django.conf import settings
from django.contrib import messages
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from podpora.accounts import access
from podpora.billing.forms import TimeForm
from podpora.billing.selectors import ticket_work
from podpora.core.forms import uploaded_files
from podpora.customers.scopes import scope_label
from podpora.kb.models import Article as KbArticle
from podpora.macros import services as macro_services
from podpora.tickets import selectors, services
from podpora.tickets.models import Article, Ticket, TicketLink
from podpora.tickets.rules import OPEN_STATES

from . import forms
from .views import staff_required

#: seconds a page's heartbeat counts as "on the ticket now"
PRESENCE_SECONDS = 45

#: what the page shows of the ticket's own rows, joined into the query that loads it
PAGE_RELATED = (
    "vendor",
    "organization",
    "contact__organization",
    "product",
    "version",
    "licence",
    "contract__plan",
    "contract__organization",
    "team",
    "assignee",
    "plan",
    "sla_policy",
)


def _kb_articles(ticket):
    return KbArticle.objects.filter(
        vendor_id=ticket.vendor_id, published_at__isnull=False
    ).order_by("title")


def _macro_form(request, ticket, data=None):
    return forms.MacroForm(
        data,
        macros=macro_services.macros_for(request.user, ticket.vendor_id).order_by("name"),
        articles=_kb_articles(ticket),
        auto_id="macro_%s",
    )


def next_in_queue(user, ticket):
    """The next open ticket of the agent's queue after this one (newest first, as the queue)."""
    return (
        access.visible_tickets(user)
        .filter(state__in=[s.value for s in OPEN_STATES])
        .filter(
            Q(created_at__lt=ticket.created_at) | Q(created_at=ticket.created_at, pk__lt=ticket.pk)
        )
        .order_by("-created_at", "-id")
        .only("number")
        .first()
    )


def links_of(ticket):
    """Both directions of the ticket's links, each as (label, other ticket)."""
    out_labels = dict(forms.LINK_KIND_CHOICES)
    in_labels = {
        "related": _("souvisí s požadavkem"),
        "caused_by": _("způsobil požadavek"),
        "duplicate": _("má duplicitu"),
        "fixed_in": _("opravou řeší i požadavek"),
    }
    rows = [
        (out_labels.get(link.kind, link.kind), link.target)
        for link in TicketLink.objects.filter(source=ticket).select_related(
            "target__fixed_in_release__version"
        )
    ] + [
        (in_labels.get(link.kind, link.kind), link.source)
        for link in TicketLink.objects.filter(target=ticket).select_related(
            "source__fixed_in_release__version"
        )
    ]
    return rows


def render_detail(request, ticket, *, reply_form=None, guard=None, collision=None, status=200):
    from .facts import facts_form

    items = selectors.timeline(ticket, internal=True)
    last_article = max((i[2].pk for i in items if i[0] == "article"), default=0)
    macro_form = _macro_form(request, ticket)
    if reply_form is None:
        reply_form = forms.ReplyForm(
            initial={"body": compose_body(request, ticket)}, auto_id="reply_%s"
        )
    if guard is None:
        guard = forms.ReplyGuard(initial={"seen": last_article}, auto_id="reply_%s")
    following = next_in_queue(request.user, ticket)
    return render(
        request,
        "desk/detail.html",
        {
            "ticket": ticket,
            "items": items,
            "staff_actions": True,
            "sla_history": selectors.sla_events(items),
            "reply_form": reply_form,
            "guard": guard,
            "collision": collision,
            "macro_form": macro_form,
            "note_form": forms.NoteForm(auto_id="note_%s"),
            "state_form": forms.StateForm(initial={"state": ticket.state}, auto_id="state_%s"),
            "priority_form": forms.PriorityForm(
                initial={"impact": ticket.impact, "urgency": ticket.urgency}, auto_id="priority_%s"
            ),
            "assign_form": forms.AssignForm(
                vendor=ticket.vendor, initial={"assignee": ticket.assignee_id}, auto_id="assign_%s"
            ),
            "escalate_form": forms.EscalateForm(auto_id="escalate_%s"),
            "facts_form": facts_form(ticket),
            "entitlement_form": forms.EntitlementForm(
                initial={"status": ticket.entitlement_status}, auto_id="entitlement_%s"
            ),
            "cause_form": forms.CauseForm(initial={"cause": ticket.cause}, auto_id="cause_%s"),
            "scope_label": scope_label(ticket),
            "request_data_form": forms.RequestDataForm(auto_id="data_%s"),
            "reclassify_form": forms.ReclassifyForm(
                ticket=ticket,
                initial={"scope": ticket.scope, "type": ticket.type},
                auto_id="reclassify_%s",
            ),
            "confirm_form": forms.ConfirmBugForm(auto_id="confirm_%s"),
            "fixed_form": forms.FixedInForm(ticket=ticket, auto_id="fixed_%s"),
            "confirmable": ticket.type in services.CONFIRMABLE_TYPES,
            "time_form": TimeForm(auto_id="time_%s"),
            "quotes": list(ticket.quotes.select_related("decided_by")),
            "quote_form": forms.QuoteForm(auto_id="quote_%s"),
            "deliver_form": forms.DeliverQuoteForm(auto_id="deliver_%s"),
            "problem": services.problem_of(ticket),
            "incidents": list(services.incidents_of(ticket)) if ticket.type == "problem" else [],
            "problem_form": forms.ProblemLinkForm(auto_id="problem_%s"),
            "root_cause_form": forms.RootCauseForm(
                initial={"root_cause": ticket.root_cause}, auto_id="rootcause_%s"
            ),
            "incident_types": services.INCIDENT_TYPES,
            "work": ticket_work(ticket, timezone.localdate()),
            "link_form": forms.LinkForm(auto_id="link_%s"),
            "merge_form": forms.MergeForm(auto_id="merge_%s"),
            "links": links_of(ticket),
            "next_ticket": following,
            "others": others_on(ticket, request.user),
        },
        status=status,
    )


def compose_body(request, ticket, body: str | None = None) -> str:
    """The reply's text with what the agent asked to insert: a macro's text (placeholders
    filled) or a link to a knowledge-base article."""
    params = request.GET
    body = params.get("body", "") if body is None else body
    form = _macro_form(request, ticket, params)
    if not (params.get("macro") or params.get("kb")) or not form.is_valid():
        return body
    parts = [body.rstrip()] if body.strip() else []
    macro = form.cleaned_data.get("macro")
    if macro is not None:
        parts.append(macro_services.render_macro(ticket, macro, request.user))
    article = form.cleaned_data.get("kb")
    if article is not None:
        url = settings.BASE_URL + reverse(
            "kb-article", args=[ticket.vendor.slug, article.language, article.slug]
        )
        parts.append(f"{article.title}: {url}")
    return "\n\n".join(parts)


@staff_required
def compose(request, number):
    """htmx: the reply box again, with the macro's text or the article's link inserted."""
    ticket = access.get_ticket(request.user, number)
    form = forms.ReplyForm(initial={"body": compose_body(request, ticket)}, auto_id="reply_%s")
    return render(request, "desk/includes/reply_body.html", {"reply_form": form})


@staff_required
@require_POST
def reply(request, number):
    """Send the reply, unless someone added a message since the agent loaded the page: then
    the page comes back with the new message, the text kept, and a box to send it anyway."""
    ticket = access.get_ticket(request.user, number)
    form = forms.ReplyForm(request.POST, request.FILES, auto_id="reply_%s")
    guard = forms.ReplyGuard(request.POST, auto_id="reply_%s")
    if not form.is_valid() or not guard.is_valid():
        return render_detail(request, ticket, reply_form=form, guard=guard, status=422)
    seen = guard.cleaned_data["seen"]
    if seen is not None and not guard.cleaned_data["send_anyway"]:
        newer = list(
            Article.objects.filter(ticket=ticket, pk__gt=seen)
            .exclude(author=request.user)
            .order_by("pk")
        )
        if newer:
            fresh = forms.ReplyGuard(initial={"seen": seen}, auto_id="reply_%s")
            messages.warning(
                request,
                _(
                    "Mezitím přibyla na požadavku nová zpráva. Odpověď nebyla odeslána: přečtěte si ji a odešlete znovu."
                ),
            )
            return render_detail(
                request, ticket, reply_form=form, guard=fresh, collision=newer, status=409
            )
    d = form.cleaned_data
    try:
        services.reply(
            ticket,
            d["body"],
            actor=request.user,
            new_state=d["state"] or None,
            files=uploaded_files(d["files"]),
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return render_detail(request, ticket, reply_form=form, guard=guard, status=422)
    _replied(ticket, request.user)
    messages.success(request, _("Uloženo.") + " " + _("Odpověď byla odeslána."))
    return redirect("desk:detail", number=number)


def _done(request, number, action):
    try:
        result = action()
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("desk:detail", number=number)
    return result


@staff_required
@require_POST
def assign_me(request, number):
    ticket = access.get_ticket(request.user, number)

    def act():
        services.assign_ticket(ticket, assignee=request.user, actor=request.user)
        messages.success(request, _("Požadavek je přidělen vám."))
        return redirect("desk:detail", number=number)

    return _done(request, number, act)


def _other(request, number_field: str) -> Ticket:
    try:
        return access.get_ticket(request.user, number_field.strip().upper())
    except Http404:
        raise ValidationError(_("Požadavek %(number)s nenalezen.") % {"number": number_field})


@staff_required
@require_POST
def link(request, number):
    ticket = access.get_ticket(request.user, number)
    form = forms.LinkForm(request.POST)

    def act():
        if not form.is_valid():
            raise ValidationError(_("Vyberte vazbu a zadejte číslo požadavku."))
        other = _other(request, form.cleaned_data["number"])
        services.link_tickets(ticket, other, form.cleaned_data["kind"], actor=request.user)
        messages.success(request, _("Požadavky jsou propojeny."))
        return redirect("desk:detail", number=number)

    return _done(request, number, act)


@staff_required
@require_POST
def merge(request, number):
    ticket = access.get_ticket(request.user, number)
    form = forms.MergeForm(request.POST)

    def act():
        if not form.is_valid():
            raise ValidationError(_("Zadejte číslo požadavku."))
        into = _other(request, form.cleaned_data["number"])
        services.merge_tickets(ticket, into, actor=request.user)
        messages.success(
            request,
            _("Požadavek %(source)s je sloučen do %(into)s; zákazník dostal zprávu.")
            % {"source": ticket.number, "into": into.number},
        )
        return redirect("desk:detail", number=into.number)

    return _done(request, number, act)


@staff_required
@require_POST
def split(request, number):
    ticket = access.get_ticket(request.user, number)
    form = forms.SplitForm(request.POST)

    def act():
        if not form.is_valid():
            raise ValidationError(_("Zpráva nenalezena."))
        article = Article.objects.filter(ticket=ticket, pk=form.cleaned_data["article"]).first()
        if article is None:
            raise ValidationError(_("Zpráva nenalezena."))
        new = services.split_article(article, actor=request.user)
        messages.success(
            request,
            _("Zpráva je oddělena do nového požadavku %(number)s.") % {"number": new.number},
        )
        return redirect("desk:detail", number=new.number)

    return _done(request, number, act)


@staff_required
@require_POST
def apply_macro(request, number):
    ticket = access.get_ticket(request.user, number)
    form = _macro_form(request, ticket, request.POST)

    def act():
        if not form.is_valid() or form.cleaned_data.get("macro") is None:
            raise ValidationError(_("Vyberte makro."))
        macro_services.apply_macro(ticket, form.cleaned_data["macro"], request.user)
        messages.success(
            request, _("Makro „%(name)s“ bylo použito.") % {"name": form.cleaned_data["macro"].name}
        )
        return redirect("desk:detail", number=number)

    return _done(request, number, act)


# --- who else is on the ticket ------------------------------------------------------------


def _presence_key(ticket) -> str:
    return f"presence:ticket:{ticket.pk}"


def others_on(ticket, user) -> list[dict]:
    """The other people who have the ticket open now, and whether they are writing a reply."""
    now = time.time()
    seen = cache.get(_presence_key(ticket)) or {}
    return sorted(
        (v for k, v in seen.items() if k != user.pk and now - v["at"] < PRESENCE_SECONDS),
        key=lambda v: v["name"],
    )


def _replied(ticket, user) -> None:
    """The agent's reply is out: still on the ticket, no longer writing."""
    seen = cache.get(_presence_key(ticket)) or {}
    if user.pk in seen:
        seen[user.pk] = {**seen[user.pk], "replying": False}
        cache.set(_presence_key(ticket), seen, PRESENCE_SECONDS * 2)


@staff_required
@require_POST
def presence(request, number):
    """The page's heartbeat (every 15 s): "I am here" and whether the agent is typing a
    reply; answers with who else is."""
    ticket = access.get_ticket(request.user, number)
    now = time.time()
    key = _presence_key(ticket)
    seen = {k: v for k, v in (cache.get(key) or {}).items() if now - v["at"] < PRESENCE_SECONDS}
    seen[request.user.pk] = {
        "name": request.user.get_full_name() or request.user.get_username(),
        "replying": request.POST.get("mode") == "replying",
        "at": now,
    }
    cache.set(key, seen, PRESENCE_SECONDS * 2)
    return render(
        request, "desk/includes/presence.html", {"others": others_on(ticket, request.user)}
    )


# --- a request opened by an agent -----------------------------------------------------------


@staff_required
def new_ticket(request):
    vendor = access.own_vendor(request.user)
    if vendor is None:
        messages.error(request, _("Požadavek za zákazníka zakládá pracovník dodavatele."))
        return redirect("desk:queue")
    form = forms.AgentTicketForm(request.POST or None, vendor=vendor, auto_id="new_%s")
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        contact = d["contact"]
        try:
            ticket = services.create_ticket(
                services.NewTicket(
                    vendor=vendor,
                    subject=d["subject"],
                    body=d["body"],
                    channel=d["channel"],
                    type=d["type"],
                    organization=d["organization"],
                    contact=contact,
                    product=d["product"],
                    version=d["version"],
                    language=(contact.language if contact is not None else "") or "cs",
                ),
                actor=request.user,
            )
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(
                request, _("Požadavek %(number)s byl založen.") % {"number": ticket.number}
            )
            return redirect("desk:detail", number=ticket.number)
    return render(request, "desk/new.html", {"form": form})
