"""The console's queue with its overviews and saved views, bulk work and notifications.
Thin: forms in, ``desk.overviews`` / ``desk.bulk`` / ``desk.notifications`` out."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.http import Http404, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from podpora.accounts import access
from podpora.core.paging import bounded_page, page_corrected_message
from podpora.search import query as search

from . import bulk, notifications, overviews
from .models import Notification, SavedView
from .overview_forms import BulkForm, SaveViewForm, ViewFilterForm
from .views import staff_required

PER_PAGE = 50
#: the query-string keys of a queue page besides the filters
LIST_KEYS = ("ov", "view", "sort")

COLUMNS = [
    ("number", gettext_lazy("Číslo")),
    ("subject", gettext_lazy("Předmět")),
    ("organization", gettext_lazy("Organizace")),
    ("state", gettext_lazy("Stav")),
    ("priority", gettext_lazy("Priorita")),
    ("entitlement", gettext_lazy("Nárok")),
    ("assignee", gettext_lazy("Řešitel")),
    ("due", gettext_lazy("SLA")),
    ("updated", gettext_lazy("Změněno")),
]


def _count_label(count: int, more: bool) -> str:
    text = number_format(count, force_grouping=True)
    return _("více než %(n)s") % {"n": text} if more else text


def visible_views(user):
    """The user's own saved views and those their colleagues of the vendor share."""
    from django.db.models import Q

    shared = Q(shared=True, vendor_id=user.vendor_id) if user.vendor_id else Q(shared=True)
    return SavedView.objects.filter(Q(owner=user) | shared).select_related("owner")


def _query(get, user):
    """A query string's filters, overview and saved view: a saved view (``view``, one the
    user may see) gives its filters and overview, the query string's own filters override."""
    data = QueryDict(mutable=True)
    saved = None
    view_id = get.get("view", "")
    if view_id.isdigit() and len(view_id) < 19:
        saved = visible_views(user).filter(pk=int(view_id)).first()
        if saved is not None:
            for key, value in saved.params.items():
                if key in ViewFilterForm.FIELDS:
                    data[key] = str(value)
    for key in ViewFilterForm.FIELDS:
        if get.get(key, "") != "":
            data[key] = get[key]
    key = get.get("ov", "")
    if key not in overviews.BY_KEY:
        key = saved.params.get("ov", "") if saved is not None else ""
    if key not in overviews.BY_KEY and get.get("mine"):  # the old "my tickets" link
        key = "mine"
    return data, saved, key if key in overviews.BY_KEY else overviews.DEFAULT


def _tickets(user, data, key, sort_text, now, found=None):
    form = ViewFilterForm(data, vendor_id=user.vendor_id)
    tickets = overviews.listed(
        access.visible_tickets(user),
        user,
        key=key,
        filters=form.filters(),
        sort_text=sort_text,
        now=now,
        ranked=found.ids if found is not None else None,
    )
    return form, tickets


@staff_required
def queue(request):
    now = timezone.now()
    user = request.user
    sort_text = request.GET.get("sort", "")
    data, saved, key = _query(request.GET, user)
    text = data.get("q", "").strip()
    found = search.tickets_for(user, text) if text else None
    form, tickets = _tickets(user, data, key, sort_text, now, found)
    page, corrected = bounded_page(tickets, request.GET.get("page"), PER_PAGE)
    if corrected:
        messages.info(request, page_corrected_message(page))
    if found is not None:
        found.mark(page.object_list)

    from podpora.mail.views import visible_messages

    base = access.visible_tickets(user)
    quarantined = visible_messages(user).filter(state="quarantined")
    found = overviews.counts(base, user, now=now, extra={"quarantine": quarantined})
    keep = {k: v for k, v in request.GET.items() if k in ViewFilterForm.FIELDS and v}
    tabs = [
        {
            "key": o.key,
            "label": o.label,
            "count": _count_label(*found[o.key]),
            "url": "?" + urlencode({"ov": o.key}),
            "current": o.key == key and saved is None,
        }
        for o in overviews.OVERVIEWS
    ]

    column, descending = overviews.parse_sort(sort_text)
    here = {"ov": key, **({"view": saved.pk} if saved else {}), **keep}
    headers = []
    for name, label in COLUMNS:
        active = name == column
        target = f"-{name}" if active and not descending else name
        headers.append(
            {
                "name": name,
                "label": label,
                "url": "?" + urlencode({**here, "sort": target}),
                "aria": ("descending" if descending else "ascending") if active else "",
            }
        )
    macros = bulk.macros_for(user, user.vendor_id)
    return render(
        request,
        "desk/queue.html",
        {
            "page": page,
            "form": form,
            "tabs": tabs,
            "overview": overviews.overview(key),
            "quarantine": _count_label(*found["quarantine"]),
            "views": list(visible_views(user).order_by("name", "pk")),
            "saved": saved,
            "save_form": SaveViewForm(),
            "bulk_form": BulkForm(vendor_id=user.vendor_id, macros=macros),
            "headers": headers,
            "query": urlencode({**here, "sort": sort_text} if sort_text else here),
        },
    )


@staff_required
@require_POST
def save_view(request):
    form = SaveViewForm(request.POST)
    query = QueryDict(request.POST.get("query", ""))
    filters = ViewFilterForm(query, vendor_id=request.user.vendor_id)
    if not form.is_valid():
        for errors in form.errors.values():
            messages.error(request, " ".join(errors))
        return redirect(reverse("desk:queue") + "?" + query.urlencode())
    params = filters.stored()
    if query.get("ov") in overviews.BY_KEY and query.get("ov") != overviews.DEFAULT:
        params["ov"] = query["ov"]
    saved = SavedView.objects.create(
        owner=request.user,
        vendor_id=request.user.vendor_id,
        name=form.cleaned_data["name"].strip(),
        shared=form.cleaned_data["shared"],
        params=params,
    )
    messages.success(request, _("Pohled „%(name)s“ je uložen.") % {"name": saved.name})
    return redirect(reverse("desk:queue") + "?" + urlencode({"view": saved.pk}))


@staff_required
@require_POST
def delete_view(request, pk):
    saved = get_object_or_404(SavedView, pk=pk, owner=request.user)
    saved.delete()
    messages.success(request, _("Pohled „%(name)s“ je smazán.") % {"name": saved.name})
    return redirect("desk:queue")


@staff_required
@require_POST
def bulk_action(request):
    user = request.user
    query = QueryDict(request.POST.get("query", ""))
    back = reverse("desk:queue") + ("?" + query.urlencode() if query else "")
    macros = bulk.macros_for(user, user.vendor_id)
    form = BulkForm(request.POST, vendor_id=user.vendor_id, macros=macros)
    if not form.is_valid():
        for errors in form.errors.values():
            messages.error(request, " ".join(errors))
        return redirect(back)
    data = dict(form.cleaned_data, staff=form.staff, macros=form.macros)
    visible = access.visible_tickets(user)
    if data["all_matching"]:
        filters, _saved, key = _query(query, user)
        _form, tickets = _tickets(user, filters, key, query.get("sort", ""), timezone.now())
    else:
        tickets = overviews.sort(
            visible.filter(number__in=data["tickets"]).select_related(
                *overviews.selectors.LIST_RELATED
            ),
            query.get("sort", ""),
        )
    outcome = bulk.run(tickets, data["action"], data, actor=user)
    lines = outcome.summary()
    level = messages.warning if outcome.failed else messages.success
    for line in lines:
        level(request, line)
    return redirect(back)


@staff_required
def notification_list(request):
    items = notifications.recent(request.user)
    return render(request, "desk/notifications.html", {"items": items})


@staff_required
@require_POST
def notification_read(request):
    ids = [int(i) for i in request.POST.getlist("id") if i.isdigit() and len(i) < 19]
    n = notifications.mark_read(request.user, ids or None)
    messages.success(request, _("Označeno jako přečtené: %(n)s.") % {"n": n})
    return redirect("desk:notifications")


@staff_required
def notification_open(request, pk):
    """Open the ticket a notification is about, and mark it read."""
    item = Notification.objects.filter(pk=pk, recipient=request.user).select_related("ticket")
    item = item.first()
    if item is None:
        raise Http404("no such notification")
    notifications.mark_read(request.user, [item.pk])
    return redirect("desk:detail", number=item.ticket.number)
