"""The public question form ("Dotaz do Centra podpory"): anyone may ask; the answer goes by e-mail.

Protected by a honeypot field and a limit per client address: past LIMIT_PER_HOUR each
question from that address waits a little longer (people behind one address still get
through), past HARD_LIMIT_PER_HOUR they are refused. The author follows the answer through a
private link.
"""

from django import forms
from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from podpora.accounts import access
from podpora.core import clientip, ratelimit
from podpora.customers.channels import list_channels
from podpora.customers.models import PublicFormText, Vendor
from podpora.customers.scopes import add_scope_field
from podpora.kb.views import suggestion_context
from podpora.tickets import services

LIMIT_PER_HOUR, HARD_LIMIT_PER_HOUR = 5, 100


class QuestionForm(forms.Form):
    name = forms.CharField(label=_lazy("Jméno a příjmení"), max_length=160)
    email = forms.EmailField(label=_lazy("E-mail pro odpověď"))
    company = forms.CharField(label=_lazy("Společnost"), max_length=200, required=False)
    subject = forms.CharField(label=_lazy("Předmět"), max_length=250)
    body = forms.CharField(
        label=_lazy("Dotaz"), widget=forms.Textarea(attrs={"rows": 8}), max_length=20000
    )
    website = forms.CharField(
        required=False, widget=forms.HiddenInput
    )  # honeypot: people leave it empty


def _client_key(request) -> str:
    return "webform:" + clientip.of(request)


def question(request, vendor):
    vendor = get_object_or_404(Vendor, slug=vendor)
    # a logged-in customer of this vendor asks as who they are (HR Plus: a one-time order is
    # served online through this form), under their organisation's rules
    contact = access.contact_at(request.user, vendor.pk)
    if contact is not None and not access.may_file(contact):
        from .views import no_access

        return no_access(request, contact)
    initial = {}
    if contact is not None:
        initial = {
            "name": contact.full_name,
            "email": contact.email,
            "company": contact.organization.name,
        }
    texts = PublicFormText.objects.filter(vendor=vendor).first()
    suggesting = request.method == "POST" and "suggest" in request.POST
    if suggesting:  # "Najít odpověď" without script: the answers, nothing filed
        form = QuestionForm(initial=initial | request.POST.dict())
    else:
        form = QuestionForm(request.POST or None, initial=initial)
    add_scope_field(form, vendor, "webform", initial=request.POST.get("scope", ""))
    if "scope" in form.fields:
        form.order_fields(["name", "email", "company", "scope"])
    if request.method == "POST" and not suggesting and form.is_valid():
        key = _client_key(request)
        ratelimit.slow_down(key, LIMIT_PER_HOUR)
        if form.cleaned_data["website"] or ratelimit.hit(key, HARD_LIMIT_PER_HOUR, 3600):
            form.add_error(None, _("Příliš mnoho dotazů z této adresy. Zkuste to prosím později."))
        else:
            d = form.cleaned_data
            body = d["body"] + (f"\n\n{_('Společnost')}: {d['company']}" if d["company"] else "")
            known = {}
            if contact is not None:
                body = d["body"]
                known = {"organization": contact.organization, "contact": contact}
            ticket = services.create_ticket(
                services.NewTicket(
                    vendor=vendor,
                    subject=d["subject"],
                    body=body,
                    channel="webform",
                    requester_email=d["email"],
                    requester_name=d["name"],
                    sender_verified=contact is not None,
                    scope=d.get("scope", ""),
                    language=(contact.language if contact else "") or request.LANGUAGE_CODE or "cs",
                    **known,
                ),
                actor=request.user if contact is not None else None,
            )
            thanks = _(
                "Děkujeme, dotaz jsme přijali pod číslem %(number)s. Odpověď pošleme na %(email)s."
            ) % {"number": ticket.number, "email": d["email"]}
            if texts is not None and texts.thanks_text():
                thanks = f"{thanks} {texts.thanks_text()}"
            messages.success(request, thanks)
            return redirect("webform", vendor=vendor.slug)
    return render(
        request,
        "portal/webform.html",
        {
            "form": form,
            "vendor": vendor,
            "intro": texts.intro_text() if texts is not None else "",
            "channels": list_channels(vendor),
            **suggestion_context(request, vendor, request.POST if suggesting else {}, "webform"),
        },
    )
