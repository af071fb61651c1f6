"""Customer portal: list, file, follow and answer requests. Thin: forms in, services out."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from podpora.accounts import access
from podpora.core.forms import apply_validation_error, uploaded_files
from podpora.core.paging import bounded_page, page_corrected_message
from podpora.customers.channels import list_channels
from podpora.customers.scopes import scope_label
from podpora.kb.views import suggestion_context
from podpora.search import query as search
from podpora.tickets import rules, selectors, services
from podpora.tickets.models import Ticket

from . import collector
from .forms import MessageForm, NewTicketForm


def _contact_or_404(request):
    contact = access.contact_of(request.user)
    if contact is None:
        raise Http404("no contact")
    return contact


@login_required
def ticket_list(request):
    if access.is_staff(request.user):
        return redirect("desk:queue")
    contact = access.contact_of(request.user)
    q = request.GET.get("q", "")
    found = search.tickets_for(request.user, q) if q.strip() else None
    tickets = selectors.list_tickets(
        access.visible_tickets(request.user),
        state=request.GET.get("state", ""),
        ranked=found.ids if found is not None else None,
    )
    page, corrected = bounded_page(tickets, request.GET.get("page"), 25)
    if corrected:
        messages.info(request, page_corrected_message(page))
    if found is not None:
        found.mark(page.object_list)
    return render(
        request,
        "portal/list.html",
        {
            "page": page,
            "contact": contact,
            "q": q,
            "channels": list_channels(contact.organization.vendor if contact else None),
        },
    )


@login_required
def ticket_new(request):
    contact = _contact_or_404(request)
    if not access.may_file(contact):
        return no_access(request, contact)
    route = collector.portal_refused_for_collector(contact)
    if route is not None:
        return collector.collector_page(request, contact, route)
    vendor = contact.organization.vendor
    suggesting = request.method == "POST" and "suggest" in request.POST
    org = contact.organization
    if suggesting:  # "Najít odpověď" without script: the answers, nothing filed
        form = NewTicketForm(initial=request.POST.dict(), vendor=vendor, organization=org)
    else:
        form = NewTicketForm(
            request.POST or None, request.FILES or None, vendor=vendor, organization=org
        )
    if request.method == "POST" and not suggesting and form.is_valid():
        d = form.cleaned_data
        try:
            ticket = services.create_ticket(
                services.NewTicket(
                    vendor=vendor,
                    subject=d["subject"],
                    body=d["body"],
                    channel="portal",
                    type=d["type"],
                    impact=d["impact"],
                    urgency=d["urgency"],
                    organization=contact.organization,
                    contact=contact,
                    product=d["product"],
                    version=d["version"],
                    scope=d.get("scope", ""),
                    implemented_function=d.get("implemented_function"),
                    language=contact.language,
                    files=uploaded_files(d["files"]),
                ),
                actor=request.user,
            )
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(
                request, _("Požadavek %(number)s byl založen.") % {"number": ticket.number}
            )
            return redirect("portal:detail", number=ticket.number)
    return render(
        request,
        "portal/new.html",
        {
            "form": form,
            "channels": list_channels(vendor),
            **suggestion_context(request, vendor, request.POST if suggesting else {}, "portal"),
        },
    )


def no_access(request, contact):
    """An end user of the customer: whom to ask instead; nothing is stored."""
    people = access.authorised_people(contact.organization)
    return render(
        request, "portal/no_access.html", {"contact": contact, "people": people}, status=403
    )


@login_required
def ticket_detail(request, number):
    ticket = access.get_ticket(request.user, number)
    if access.is_staff(request.user):
        return redirect("desk:detail", number=number)
    return _render_detail(request, ticket, MessageForm())


def _state_buttons(request, ticket, token) -> dict:
    """Which of "Uzavřít" / "Znovu otevřít" this reader gets (the author or a customer admin)."""
    contact = None if token else access.contact_of(request.user)
    may = contact is not None and rules.customer_may_change(
        is_author=ticket.contact_id == contact.pk,
        is_customer_admin=contact.role == "customer_admin",
        same_organization=ticket.organization_id == contact.organization_id,
    )
    return {
        "may_close": may and rules.customer_may_set(ticket.state, rules.State.CLOSED),
        "may_reopen": may and rules.customer_may_set(ticket.state, rules.State.OPEN),
    }


def _render_detail(request, ticket, form, token=None):
    from podpora.satisfaction import selectors as ratings

    return render(
        request,
        "portal/detail.html",
        {
            "ticket": ticket,
            "items": selectors.timeline(ticket, internal=False),
            "form": form,
            "token": token,
            "now": timezone.now(),
            "scope_label": scope_label(ticket),
            "rating": ratings.rating_box(ticket, token),
            **_state_buttons(request, ticket, token),
        },
    )


@login_required
@require_POST
def ticket_message(request, number):
    ticket = access.get_ticket(request.user, number)
    contact = _contact_or_404(request)
    form = MessageForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.add_customer_message(
                ticket,
                form.cleaned_data["body"],
                actor=request.user,
                contact=contact,
                files=uploaded_files(form.cleaned_data["files"]),
            )
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, _("Zpráva byla odeslána."))
            return redirect("portal:detail", number=number)
    return _render_detail(request, ticket, form)


@login_required
@require_POST
def ticket_state(request, number):
    ticket = access.get_ticket(request.user, number)
    _contact_or_404(request)
    try:
        services.change_state(
            ticket,
            request.POST.get("state", ""),
            actor=request.user,
            channel="portal",
            as_customer=True,
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        if request.POST.get("state") == rules.State.CLOSED:
            messages.success(request, _("Požadavek byl uzavřen."))
        elif request.POST.get("state") == rules.State.OPEN:
            messages.success(request, _("Požadavek byl znovu otevřen."))
    return redirect("portal:detail", number=number)


def public_ticket(request, token):
    """A web-form author follows the answer through the private link from the e-mail."""
    if not token or len(token) < 20:
        raise Http404("no ticket")
    ticket = get_object_or_404(Ticket, public_token=token)
    form = MessageForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        services.add_customer_message(
            ticket,
            form.cleaned_data["body"],
            channel="webform",
            sender=ticket.requester_email,
            files=uploaded_files(form.cleaned_data["files"]),
        )
        messages.success(request, _("Zpráva byla odeslána."))
        return redirect("portal:public", token=token)
    return _render_detail(request, ticket, form, token=token)
