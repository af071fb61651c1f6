"""The console's list of a vendor's macros and their edit page (the vendor's own agents)."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from podpora.accounts import access
from podpora.desk.views import staff_required

from .forms import MacroForm
from .models import Macro
from .placeholders import PLACEHOLDERS


def _vendor(request):
    vendor = access.own_vendor(request.user)
    if vendor is None:
        raise Http404("no vendor")
    return vendor


@staff_required
def macro_list(request):
    vendor = _vendor(request)
    macros = Macro.objects.filter(vendor=vendor).select_related("team").order_by("name")
    return render(request, "macros/list.html", {"macros": macros})


@staff_required
def macro_edit(request, pk=None):
    vendor = _vendor(request)
    macro = get_object_or_404(Macro, pk=pk, vendor=vendor) if pk else None
    form = MacroForm(request.POST or None, instance=macro, vendor=vendor, auto_id="macro_%s")
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Makro „%(name)s“ je uloženo.") % {"name": form.instance.name})
        return redirect("macros:list")
    return render(
        request,
        "macros/edit.html",
        {"form": form, "macro": macro, "placeholders": PLACEHOLDERS.items()},
    )
