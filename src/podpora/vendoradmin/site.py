"""The vendor's administration site and the base of its model pages.

Every page is for ``accounts.access.may_configure`` users only (a vendor's manager or
administrator); an agent or a customer gets a 403 page, an anonymous visitor the log-in.
Every queryset, every choice of a related row and every save is scoped to the user's vendor
through ``VENDOR_PATHS``: a model missing there cannot be offered at all (no choice is ever
unscoped by oversight). A row of another vendor is a 404 like a missing one."""

from __future__ import annotations

from functools import update_wrapper

from django import forms
from django.contrib import admin
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from django.http import Http404
from django.shortcuts import render
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _

from podpora.accounts import access

from . import audit
from .models import ChangeRecord


def _paths() -> dict:
    from django.apps import apps

    names = {
        "customers.Vendor": "pk",
        "customers.Organization": "vendor",
        "customers.Contact": "organization__vendor",
        "customers.Licence": "vendor",
        "customers.Plan": "vendor",
        "customers.Contract": "organization__vendor",
        "customers.PrepaidPackage": "organization__vendor",
        "customers.ScopeItem": "vendor",
        "customers.ChannelInfo": "vendor",
        "customers.PublicFormText": "vendor",
        "catalog.Product": "vendor",
        "catalog.Version": "product__vendor",
        "catalog.Release": "product__vendor",
        "catalog.ReleaseFile": "release__product__vendor",
        "catalog.Service": "vendor",
        "catalog.Specialist": "vendor",
        "sla.BusinessCalendar": "vendor",
        "sla.SlaPolicy": "vendor",
        "sla.SlaTarget": "policy__vendor",
        "accounts.User": "vendor",
        "accounts.Team": "vendor",
        "mail.Mailbox": "vendor",
        "billing.Subscription": "organization__vendor",
        "billing.VendorBilling": "vendor",
        "kb.Article": "vendor",
        "macros.Macro": "vendor",
        "vendoradmin.ChangeRecord": "vendor",
    }
    return {apps.get_model(name): path for name, path in names.items()}


_VENDOR_PATHS: dict | None = None


def vendor_path(model) -> str:
    global _VENDOR_PATHS
    if _VENDOR_PATHS is None:
        _VENDOR_PATHS = _paths()
    model = model._meta.concrete_model
    try:
        return _VENDOR_PATHS[model]
    except KeyError:
        raise ImproperlyConfigured(f"{model.__name__} has no vendor path") from None


def scoped(queryset, vendor_id: int):
    """Only the rows of ``vendor_id``; of the users only the vendor's staff, never an operator
    (a superuser is managed in /admin/ only: a manager who changed its e-mail could reset its
    password)."""
    from podpora.accounts.models import User

    queryset = queryset.filter(**{vendor_path(queryset.model): vendor_id})
    if queryset.model is User:
        queryset = queryset.filter(kind=User.Kind.STAFF, is_superuser=False)
    return queryset


class VendorAdminSite(admin.AdminSite):
    site_header = _("Nastavení dodavatele")
    site_title = _("Nastavení dodavatele")
    index_title = _("Nastavení dodavatele")
    site_url = "/"
    enable_nav_sidebar = False

    def has_permission(self, request):
        return access.may_configure(request.user)

    def admin_view(self, view, cacheable=False):
        inner = super().admin_view(view, cacheable)

        def wrapper(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not self.has_permission(request):
                return render(request, "vendoradmin/denied.html", status=403)
            return inner(request, *args, **kwargs)

        return update_wrapper(wrapper, view)

    def login(self, request, extra_context=None):
        """The one log-in page of Podpora (limits, two steps), then back here."""
        return redirect_to_login(request.GET.get("next") or request.get_full_path())

    def each_context(self, request):
        context = super().each_context(request)
        context["vendor"] = getattr(request.user, "vendor", None)
        return context


site = VendorAdminSite(name="vendoradmin")


class ScopedFormMixin:
    """The form's row belongs to the user's vendor before it is validated, so the vendor's
    unique codes are checked as form errors (not a database error on save)."""

    vendor_id: int | None = None
    vendor_field: str | None = None

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.vendor_field and self.vendor_id:
            setattr(self.instance, f"{self.vendor_field}_id", self.vendor_id)

    def _get_validation_exclusions(self):
        exclusions = super()._get_validation_exclusions()
        if self.vendor_field:
            exclusions.discard(self.vendor_field)
        return exclusions


def _own_vendor_field(model) -> str | None:
    """``vendor`` when the model points at its vendor directly (set on save, never in a form)."""
    try:
        field = model._meta.get_field("vendor")
    except Exception:
        return None
    return "vendor" if field.is_relation else None


class _Scoping:
    """Shared by the pages and their inlines: permissions and related choices."""

    def has_module_permission(self, request):
        return access.may_configure(request.user)

    def has_view_permission(self, request, obj=None):
        return access.may_configure(request.user)

    def has_add_permission(self, request, *args):
        return access.may_configure(request.user)

    def has_change_permission(self, request, obj=None):
        return access.may_configure(request.user)

    def has_delete_permission(self, request, obj=None):
        return access.may_configure(request.user)

    def get_queryset(self, request):
        return scoped(super().get_queryset(request), request.user.vendor_id)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        model = db_field.related_model
        kwargs["queryset"] = scoped(model._default_manager.all(), request.user.vendor_id)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        model = db_field.related_model
        kwargs["queryset"] = scoped(model._default_manager.all(), request.user.vendor_id)
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def get_exclude(self, request, obj=None):
        exclude = list(super().get_exclude(request, obj) or ())
        if _own_vendor_field(self.model):
            exclude.append("vendor")
        return exclude

    def _scoped_form(self, request, form):
        return type(
            form.__name__,
            (ScopedFormMixin, form),
            {
                "vendor_id": request.user.vendor_id,
                "vendor_field": _own_vendor_field(self.model),
                "__module__": form.__module__,
            },
        )


class VendorInline(_Scoping, admin.TabularInline):
    extra = 0

    def get_formset(self, request, obj=None, **kwargs):
        kwargs["form"] = self._scoped_form(request, kwargs.get("form", self.form))
        return super().get_formset(request, obj, **kwargs)


class VendorStackedInline(VendorInline):
    template = "admin/edit_inline/stacked.html"


class VendorModelAdmin(_Scoping, admin.ModelAdmin):
    """A page of the vendor's administration: scoped, audited, atomic (Django runs the change
    form in one transaction: a refused inline or a service's error saves nothing)."""

    #: fields of another app's form that do not apply here
    history_template = "vendoradmin/history.html"

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        return self._scoped_form(request, form)

    def _get_obj_does_not_exist_redirect(self, request, opts, object_id):
        raise Http404  # another vendor's row is a 404, like a missing one

    def audit_children(self):
        from django.forms.models import _get_foreign_key

        out = []
        for inline in self.inlines:
            fk = _get_foreign_key(self.model, inline.model, fk_name=inline.fk_name)
            accessor = fk.remote_field.get_accessor_name()
            out.append((accessor, inline.model, fk.name))
        return out

    def snapshot(self, obj) -> dict:
        return audit.snapshot(obj, self.audit_children())

    def get_object(self, request, object_id, from_field=None):
        obj = super().get_object(request, object_id, from_field)
        if obj is not None and request.method == "POST":
            fresh = type(obj)._default_manager.get(pk=obj.pk)
            request._audit_before = self.snapshot(fresh)
        return obj

    def save_model(self, request, obj, form, change):
        if _own_vendor_field(self.model):
            obj.vendor_id = request.user.vendor_id
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        obj = form.instance
        fresh = type(obj)._default_manager.get(pk=obj.pk)
        audit.record(
            request.user,
            request.user.vendor_id,
            fresh,
            ChangeRecord.Action.CHANGE if change else ChangeRecord.Action.ADD,
            getattr(request, "_audit_before", None) if change else None,
            self.snapshot(fresh),
        )

    def delete_model(self, request, obj):
        before = self.snapshot(obj)
        pk = obj.pk
        super().delete_model(request, obj)
        obj.pk = pk
        audit.record(
            request.user, request.user.vendor_id, obj, ChangeRecord.Action.DELETE, before, None
        )

    def delete_queryset(self, request, queryset):
        with transaction.atomic():
            for obj in queryset:
                self.delete_model(request, obj)

    def history_view(self, request, object_id, extra_context=None):
        obj = self.get_object(request, object_id)
        if obj is None:
            raise Http404
        from django.contrib.contenttypes.models import ContentType

        records = (
            ChangeRecord.objects.filter(
                vendor_id=request.user.vendor_id,
                content_type=ContentType.objects.get_for_model(self.model),
                object_id=str(obj.pk),
            )
            .select_related("user", "content_type")
            .order_by("-at", "-pk")[:200]
        )
        context = {
            **self.admin_site.each_context(request),
            "title": _("Záznam změn: %(object)s") % {"object": obj},
            "subtitle": None,
            "object": obj,
            "opts": self.model._meta,
            "records": [(r, audit.rows(r)) for r in records],
            **(extra_context or {}),
        }
        request.current_app = self.admin_site.name
        return TemplateResponse(request, self.history_template, context)


class ChoicesField(forms.MultipleChoiceField):
    """A JSON list of codes as ticked boxes (channels, languages): words shown, codes stored."""

    widget = forms.CheckboxSelectMultiple

    def __init__(self, *, choices, label, **kwargs):
        super().__init__(choices=choices, label=label, required=False, **kwargs)
