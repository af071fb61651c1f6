"""Agent console: the queue and a ticket's page with its actions. Thin: forms in, services out."""

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from podpora.accounts import access
from podpora.tickets import services

from . import forms


def staff_required(view):
    @login_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not access.is_staff(request.user):
            raise Http404("not staff")
        return view(request, *args, **kwargs)

    return wrapper


@staff_required
def detail(request, number):
    from .ticketpage import PAGE_RELATED, render_detail

    return render_detail(request, access.get_ticket(request.user, number, PAGE_RELATED))


def _action(form_class, apply, form_kwargs=lambda ticket: {}):
    """A POST on a ticket: validate the form, call one service, report, go back to the ticket.
    ``form_kwargs`` gives the form what it needs of the ticket (a vendor's people, a product's
    releases)."""

    @staff_required
    @require_POST
    def view(request, number):
        ticket = access.get_ticket(request.user, number)
        form = form_class(request.POST, request.FILES, **form_kwargs(ticket))
        if not form.is_valid():
            for errors in form.errors.values():
                messages.error(request, " ".join(errors))
            return redirect("desk:detail", number=number)
        try:
            apply(ticket, form.cleaned_data, request.user)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Uloženo."))
        return redirect("desk:detail", number=number)

    return view


note = _action(forms.NoteForm, lambda t, d, u: services.add_note(t, d["body"], actor=u))
state = _action(forms.StateForm, lambda t, d, u: services.change_state(t, d["state"], actor=u))
priority = _action(
    forms.PriorityForm,
    lambda t, d, u: services.set_priority(t, impact=d["impact"], urgency=d["urgency"], actor=u),
)
assign = _action(
    forms.AssignForm,
    lambda t, d, u: services.assign_ticket(t, assignee=d["assignee"], actor=u),
    lambda t: {"vendor": t.vendor},
)
escalate = _action(
    forms.EscalateForm, lambda t, d, u: services.escalate_ticket(t, actor=u, reason=d["reason"])
)
cause = _action(forms.CauseForm, lambda t, d, u: services.set_cause(t, d["cause"], actor=u))
confirm_bug = _action(
    forms.ConfirmBugForm, lambda t, d, u: services.confirm_bug(t, d["note"], actor=u)
)
fixed_in = _action(
    forms.FixedInForm,
    lambda t, d, u: services.mark_fixed_in_release(t, d["release"], actor=u),
    lambda t: {"ticket": t},
)
entitlement = _action(
    forms.EntitlementForm,
    lambda t, d, u: services.override_entitlement(t, status=d["status"], note=d["note"], actor=u),
)
reclassify = _action(
    forms.ReclassifyForm,
    lambda t, d, u: services.reclassify(t, scope=d["scope"], ticket_type=d["type"], actor=u),
    lambda t: {"ticket": t},
)
request_data = _action(
    forms.RequestDataForm, lambda t, d, u: services.request_data(t, d["body"], actor=u)
)
data_received = _action(
    forms.DataReceivedForm, lambda t, d, u: services.mark_data_received(t, actor=u)
)
send_quote = _action(
    forms.QuoteForm,
    lambda t, d, u: services.send_quote(
        t,
        analysis=d["analysis"],
        hours=d["hours"],
        rate=d["rate"],
        fixed_amount=d["fixed_amount"],
        delivery_on=d["delivery_on"],
        actor=u,
    ),
)


def _deliver(ticket, data, user):
    quote = ticket.quotes.filter(state="approved").first()
    if quote is None:
        raise ValidationError(_("Dodat lze jen schválenou nabídku."))
    services.deliver_quote(quote, actor=user, note=data["note"])


deliver_quote = _action(forms.DeliverQuoteForm, _deliver)
link_problem = _action(
    forms.ProblemLinkForm,
    lambda t, d, u: services.link_to_problem(t, d["problem"], actor=u),
)
root_cause = _action(
    forms.RootCauseForm, lambda t, d, u: services.set_root_cause(t, d["root_cause"], actor=u)
)
