"""Rating a resolved request: from the e-mail's signed link (no log-in) or in the portal."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_POST

from podpora.accounts import access
from podpora.core.forms import apply_validation_error
from podpora.tickets import rules
from podpora.tickets.models import Ticket

from . import services, tokens
from .models import SCORES, Rating


class RatingForm(forms.Form):
    score = forms.TypedChoiceField(
        label=_lazy("Jak jste spokojeni s vyřešením?"),
        choices=SCORES,
        coerce=int,
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_lazy("Komentář (nepovinný)"),
        required=False,
        max_length=services.MAX_COMMENT,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


def rate_by_link(request, token):
    """The e-mail's link: the score chosen in the mail, confirmed here with a comment."""
    read = tokens.read(token)
    if read is None:
        raise Http404("bad rating link")
    ticket = Ticket.objects.filter(pk=read[0]).select_related("contact").first()
    if ticket is None:
        raise Http404("no ticket")
    rating = Rating.objects.filter(ticket=ticket).first()
    initial = {"score": read[1], "comment": rating.comment if rating else ""}
    form = RatingForm(request.POST or None, initial=initial)
    done = low = False
    if request.method == "POST" and form.is_valid():
        try:
            services.rate(
                ticket,
                form.cleaned_data["score"],
                form.cleaned_data["comment"],
                contact=ticket.contact,
                channel="email",
            )
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            done, low = True, form.cleaned_data["score"] <= services.LOW
    return render(
        request,
        "satisfaction/rate.html",
        {"ticket": ticket, "form": form, "rating": rating, "done": done, "low": low},
    )


@login_required
@require_POST
def portal_rate(request, number):
    ticket = access.get_ticket(request.user, number)
    contact = access.contact_of(request.user)
    if contact is None:
        raise Http404("no contact")
    if not rules.customer_may_change(
        is_author=ticket.contact_id == contact.pk,
        is_customer_admin=contact.role == "customer_admin",
        same_organization=ticket.organization_id == contact.organization_id,
    ):
        messages.error(request, _("Hodnotit může jen autor požadavku nebo správce zákazníka."))
        return redirect("portal:detail", number=number)
    _rate_posted(request, ticket, contact, "portal")
    return redirect("portal:detail", number=number)


def _rate_posted(request, ticket, contact, channel: str) -> None:
    """The rating form's POST stored, and the person told how it went."""
    form = RatingForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Zvolte hodnocení od 1 do 5."))
        return
    d = form.cleaned_data
    try:
        services.rate(ticket, d["score"], d["comment"], contact=contact, channel=channel)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Děkujeme za hodnocení."))


@require_POST
def public_rate(request, token):
    """A web-form author rates on the private page of the request (the link is the key)."""
    if not token or len(token) < 20:
        raise Http404("no ticket")
    ticket = Ticket.objects.filter(public_token=token).select_related("contact").first()
    if ticket is None:
        raise Http404("no ticket")
    _rate_posted(request, ticket, ticket.contact, "webform")
    return redirect("portal:public", token=token)
