"""Quarantine console: what e-mail could not be filed, and the two ways out (staff only)."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from podpora.accounts import access
from podpora.core import storage
from podpora.desk.views import staff_required
from podpora.tickets import history

from . import ingest
from .models import InboundMessage
from .parse import parse_message

STATES = ("quarantined", "ignored", "received", "processed", "released")
PREVIEW_CHARS = 20_000


def visible_messages(user):
    """Staff see their vendor's mailboxes' mail, and mail without a mailbox that was routed to
    their vendor (its support address, LMTP, the pipe) or reached its tickets."""
    qs = InboundMessage.objects.select_related("mailbox", "ticket")
    if not access.is_staff(user):
        return qs.none()
    if user.is_superuser or user.vendor_id is None:
        return qs
    return qs.filter(
        Q(mailbox__vendor_id=user.vendor_id)
        | Q(mailbox__isnull=True, vendor_id=user.vendor_id)
        | Q(mailbox__isnull=True, ticket__vendor_id=user.vendor_id)
    )


def _get(user, pk: int) -> InboundMessage:
    message = visible_messages(user).filter(pk=pk).first()
    if message is None:
        raise Http404("no such message")
    return message


@staff_required
def quarantine_list(request):
    state = request.GET.get("state", "quarantined")
    qs = visible_messages(request.user)
    if state in STATES:
        qs = qs.filter(state=state)
    page = Paginator(qs.order_by("-received_at", "-pk"), 50).get_page(request.GET.get("page"))
    return render(request, "mail/quarantine.html", {"page": page, "state": state, "states": STATES})


@staff_required
def quarantine_detail(request, pk):
    message = _get(request.user, pk)
    parsed = parse_message(storage.read(message.raw_sha256))
    return render(
        request,
        "mail/quarantine_detail.html",
        {
            "message": message,
            "parsed": parsed,
            "preview": parsed.text_body[:PREVIEW_CHARS],
            "truncated": len(parsed.text_body) > PREVIEW_CHARS,
            "actionable": message.state in ("quarantined", "ignored"),
        },
    )


@staff_required
def quarantine_raw(request, pk):
    message = _get(request.user, pk)
    response = FileResponse(
        storage.open_blob(message.raw_sha256),
        as_attachment=True,
        filename=f"message-{message.pk}.eml",
        content_type="application/octet-stream",
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _report(request, message: InboundMessage) -> None:
    if message.ticket_id and message.state in ("processed", "released"):
        messages.success(
            request,
            _("Zpráva byla zařazena k požadavku %(number)s.") % {"number": message.ticket.number},
        )
    elif message.state in ("processed", "released"):
        messages.success(request, _("Zpráva byla zpracována."))
    else:
        messages.warning(
            request,
            _("Zpráva zůstává ve stavu „%(state)s“ (%(reason)s).")
            % {
                "state": message.get_state_display(),
                "reason": history.reason_text(message.reason) if message.reason else "–",
            },
        )


@staff_required
@require_POST
def quarantine_reprocess(request, pk):
    message = ingest.reprocess(_get(request.user, pk))
    _report(request, message)
    return redirect("mail:quarantine_detail", pk=message.pk)


@staff_required
@require_POST
def quarantine_release(request, pk):
    message = ingest.release(_get(request.user, pk), request.user)
    _report(request, message)
    return redirect("mail:quarantine_detail", pk=message.pk)
