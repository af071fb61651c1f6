"""The pages of the vendor's administration (/sprava/), each scoped by site.VendorModelAdmin."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from podpora.accounts.forms import StaffChangesAdmin
from podpora.accounts.models import Team, User
from podpora.billing.admin import SubscriptionWrites
from podpora.billing.models import Subscription
from podpora.catalog.admin import ReleaseFileForm
from podpora.catalog.models import Product, Release, ReleaseFile, Service, Version
from podpora.customers import cards
from podpora.customers.admin import PackageWrites, ScopeItemForm, licence_cards_page
from podpora.customers.models import (
    CHANNEL_CHOICES,
    ChannelInfo,
    Contract,
    Licence,
    Plan,
    PrepaidPackage,
    PublicFormText,
    ScopeItem,
    Vendor,
)
from podpora.kb.models import Article
from podpora.macros.forms import MacroForm
from podpora.macros.models import Macro
from podpora.mail.admin import MailboxForm
from podpora.mail.models import Mailbox
from podpora.profiles.check import clash, parse_shift
from podpora.sla import clock, hours
from podpora.sla.admin import _recompute_after_commit
from podpora.sla.models import BusinessCalendar, SlaPolicy, SlaTarget
from podpora.tickets.models import TYPE_CHOICES

from . import audit, mailtest, previews
from .models import ChangeRecord
from .site import ChoicesField, VendorInline, VendorModelAdmin, VendorStackedInline, site

LANGUAGE_CHOICES = [("cs", _("čeština")), ("sk", _("slovenština")), ("en", _("angličtina"))]


# ---- the vendor itself ---------------------------------------------------------------------


class VendorForm(forms.ModelForm):
    languages = ChoicesField(choices=LANGUAGE_CHOICES, label=_("obsluhované jazyky"))

    class Meta:
        model = Vendor
        fields = (
            "name",
            "support_email",
            "support_phone",
            "languages",
            "calendar",
            "forum_enabled",
            "forum_moderators",
            "configuration_not_emergency",
            "quotes_by_customer_admin",
            "problem_resolves_incidents",
            "price_list_rate",
            "start_plan",
            "warranty_plan",
            "public_plan",
        )


class PublicFormTextInline(VendorStackedInline):
    model = PublicFormText
    fields = ("intro", "intro_sk", "intro_en", "thanks", "thanks_sk", "thanks_en")
    extra = 1  # the page shows the empty texts to fill in; left empty, nothing is saved
    max_num = 1
    can_delete = False
    verbose_name_plural = _("Veřejný formulář „Dotaz do Centra podpory“")


@admin.register(Vendor, site=site)
class VendorAdmin(VendorModelAdmin):
    """The manager's own vendor: contacts, calendar, rules, the public form's texts; never
    another's, never added."""

    form = VendorForm
    inlines = [PublicFormTextInline]
    filter_horizontal = ("forum_moderators",)
    list_display = ("name", "support_email", "support_phone")
    fieldsets = (
        (None, {"fields": ("name", "support_email", "support_phone", "languages", "calendar")}),
        (
            _("Pravidla podpory"),
            {
                "fields": (
                    "forum_enabled",
                    "forum_moderators",
                    "configuration_not_emergency",
                    "quotes_by_customer_admin",
                    "problem_resolves_incidents",
                    "price_list_rate",
                    "start_plan",
                    "warranty_plan",
                    "public_plan",
                )
            },
        ),
    )

    def has_add_permission(self, request, *args):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


# ---- products, versions, releases --------------------------------------------------------


class VersionInline(VendorInline):
    model = Version
    fields = ("name", "released_on", "supported_until")


@admin.register(Product, site=site)
class ProductAdmin(VendorModelAdmin):
    list_display = ("name", "code")
    fields = ("code", "name")
    inlines = [VersionInline]


class ReleaseForm(forms.ModelForm):
    class Meta:
        model = Release
        fields = ("product", "version", "official", "published_at", "notes")

    def clean(self):
        data = super().clean()
        product, version = data.get("product"), data.get("version")
        if product and version and version.product_id != product.pk:
            self.add_error("version", _("Verze patří k jinému produktu."))
        return data


class ReleaseFileInline(VendorInline):
    model = ReleaseFile
    form = ReleaseFileForm
    extra = 1


@admin.register(Release, site=site)
class ReleaseAdmin(VendorModelAdmin):
    form = ReleaseForm
    list_display = ("version", "product", "official", "published_at")
    inlines = [ReleaseFileInline]


class ServiceForm(forms.ModelForm):
    opens_channels = ChoicesField(choices=CHANNEL_CHOICES, label=_("otevírá kanály"))

    class Meta:
        model = Service
        fields = ("code", "name", "description", "unit", "price", "vat_rate", "opens_channels")


@admin.register(Service, site=site)
class ServiceAdmin(VendorModelAdmin):
    """The service catalogue and price list."""

    form = ServiceForm
    list_display = ("name", "code", "unit", "price", "vat_rate")


# ---- plans, contracts, licences, packages, subscriptions ---------------------------------


class PlanForm(forms.ModelForm):
    channels = ChoicesField(choices=CHANNEL_CHOICES, label=_("kanály zahrnuté ve smlouvě"))
    billable_channels = ChoicesField(choices=CHANNEL_CHOICES, label=_("placené kanály"))
    covered_types = ChoicesField(
        choices=TYPE_CHOICES, label=_("kryté typy požadavků (prázdné = všechny)")
    )
    languages = ChoicesField(choices=LANGUAGE_CHOICES, label=_("jazyky (prázdné = všechny)"))

    class Meta:
        model = Plan
        fields = (
            *("code", "name", "kind", "description", "duration_months", "sla_policy"),
            *("channels", "billable_channels", "covered_types", "excluded_scopes"),
            *("billable_scopes", "languages", "require_supported_version"),
            *("require_identification", "require_version_stated", "serves_end_users"),
            *("billing_mode", "hourly_rate", "free_call_minutes", "free_call_period"),
        )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        scopes = [
            (s.code, s.label())
            for s in ScopeItem.objects.filter(vendor_id=self.vendor_id).order_by("order", "pk")
        ]
        for name, label in (
            ("excluded_scopes", _("nepokrývá")),
            ("billable_scopes", _("za úplatu")),
        ):
            known = {code for code, _label in scopes}
            extra = [(c, c) for c in (self.initial.get(name) or []) if c not in known]
            self.fields[name] = ChoicesField(choices=scopes + extra, label=label)


@admin.register(Plan, site=site)
class PlanAdmin(VendorModelAdmin):
    form = PlanForm
    list_display = ("name", "code", "kind", "billing_mode", "sla_policy")
    fieldsets = (
        (
            None,
            {"fields": ("code", "name", "kind", "description", "duration_months", "sla_policy")},
        ),
        (
            _("Co smlouva pokrývá"),
            {
                "fields": (
                    "channels",
                    "billable_channels",
                    "covered_types",
                    "excluded_scopes",
                    "billable_scopes",
                    "languages",
                    "require_supported_version",
                    "require_identification",
                    "require_version_stated",
                    "serves_end_users",
                )
            },
        ),
        (
            _("Fakturace"),
            {"fields": ("billing_mode", "hourly_rate", "free_call_minutes", "free_call_period")},
        ),
    )


class ContractForm(forms.ModelForm):
    class Meta:
        model = Contract
        fields = ("organization", "plan", "number", "valid_from", "valid_to", "sla_policy")

    def clean(self):
        data = super().clean()
        start, end = data.get("valid_from"), data.get("valid_to")
        if start and end and end < start:
            self.add_error("valid_to", _("Platnost nemůže skončit dřív, než začne."))
        return data

    def validate_constraints(self):
        pass  # the range is checked above, with a message in words


@admin.register(Contract, site=site)
class ContractAdmin(VendorModelAdmin):
    form = ContractForm
    list_display = ("organization", "plan", "number", "valid_from", "valid_to")
    list_select_related = ("organization", "plan")


@admin.register(Licence, site=site)
class LicenceAdmin(VendorModelAdmin):
    """A new licence gets its activation card (the one-time code is shown once, on the card)."""

    list_display = ("number", "organization", "product", "activated_on", "max_version_date")
    list_select_related = ("organization", "product")
    fields = ("organization", "product", "number", "activated_on", "max_version_date")
    search_fields = ("number",)
    actions = ["issue_cards"]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if not change:
            request._licence_cards = [(obj, cards.issue_card(obj))]

    def response_add(self, request, obj, post_url_continue=None):
        issued = getattr(request, "_licence_cards", None)
        if issued:
            return licence_cards_page(
                request, issued, back=reverse("vendoradmin:customers_licence_changelist")
            )
        return super().response_add(request, obj, post_url_continue)

    @admin.action(description=_("Vydat nové licenční kartičky (dosavadní kódy přestanou platit)"))
    def issue_cards(self, request, queryset):
        licences = queryset.select_related("organization", "product", "vendor").order_by("number")
        issued = [(lic, cards.issue_card(lic)) for lic in licences]
        for lic, _code in issued:
            audit.record(
                request.user,
                request.user.vendor_id,
                lic,
                ChangeRecord.Action.CHANGE,
                {"activation_card": gettext("dosavadní kód")},
                {"activation_card": gettext("nový kód vydán")},
            )
        return licence_cards_page(
            request, issued, back=reverse("vendoradmin:customers_licence_changelist")
        )


@admin.register(PrepaidPackage, site=site)
class PrepaidPackageAdmin(PackageWrites, VendorModelAdmin):
    pass


@admin.register(Subscription, site=site)
class SubscriptionAdmin(SubscriptionWrites, VendorModelAdmin):
    list_select_related = ("organization", "service")


# ---- calendars, channels, SLA, scope ------------------------------------------------------


def _day_field(label, help_text=""):
    return forms.CharField(label=label, required=False, max_length=200, help_text=help_text)


class CalendarForm(forms.ModelForm):
    """The week as one line of shifts per day ("8:00–12:00, 13:00–16:30"), not as JSON."""

    day_mon = _day_field(
        _("pondělí"), _("Např. 8:00–16:30 nebo 8:00–12:00, 13:00–17:00; prázdné = volno.")
    )
    day_tue = _day_field(_("úterý"))
    day_wed = _day_field(_("středa"))
    day_thu = _day_field(_("čtvrtek"))
    day_fri = _day_field(_("pátek"))
    day_sat = _day_field(_("sobota"))
    day_sun = _day_field(_("neděle"))
    holiday_countries = forms.CharField(
        label=_("svátky států"),
        required=False,
        help_text=_("Kódy států oddělené čárkou, např. CZ, SK."),
    )
    holiday_dates = forms.CharField(
        label=_("vlastní volné dny"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Jeden den na řádek: RRRR-MM-DD jednou, MM-DD každý rok."),
    )

    class Meta:
        model = BusinessCalendar
        fields = ("name", "timezone", "holiday_countries", "holiday_dates")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        week = (self.instance.week if self.instance.pk else None) or {}
        for day in hours.DAYS:
            self.initial.setdefault(f"day_{day}", hours.day_text(week.get(day)))
        if self.instance.pk:
            self.initial["holiday_countries"] = ", ".join(self.instance.holiday_countries or [])
            self.initial["holiday_dates"] = "\n".join(self.instance.holiday_dates or [])

    def _clean_day(self, day):
        raw = self.cleaned_data.get(f"day_{day}") or ""
        try:
            shifts = hours.parse_day(raw)
        except ValueError as exc:
            raise ValidationError(
                _("„%(part)s“ není směna; napište např. 8:00–16:30."), params={"part": str(exc)}
            ) from None
        for shift in shifts:
            if parse_shift(shift) is None:
                raise ValidationError(
                    _("Směna %(shift)s nejde: časy od 0:00 do 24:00, konec jiný než začátek."),
                    params={"shift": hours.day_text([shift])},
                )
        return shifts

    def _post_clean(self):
        self.instance.week = self.cleaned_data.get("week", self.instance.week)
        super()._post_clean()

    def clean_holiday_countries(self):
        raw = self.cleaned_data.get("holiday_countries") or ""
        return [c.strip().upper() for c in raw.replace(";", ",").split(",") if c.strip()]

    def clean_holiday_dates(self):
        raw = self.cleaned_data.get("holiday_dates") or ""
        return [d.strip() for d in raw.split() if d.strip()]

    def clean(self):
        data = super().clean()
        week = {}
        for day in hours.DAYS:
            try:
                week[day] = self._clean_day(day)
            except ValidationError as exc:
                self.add_error(f"day_{day}", exc)
        if self.errors:
            return data
        found = clash(week)
        if found is not None:
            day, i = found
            self.add_error(
                f"day_{day}",
                _("Směna %(shift)s se překrývá s jinou.")
                % {"shift": hours.day_text([week[day][i]])},
            )
            return data
        data["week"] = week
        try:
            clock.Calendar.from_dict(
                {
                    "timezone": data.get("timezone"),
                    "week": data.get("week"),
                    "holidays": {
                        "countries": data.get("holiday_countries") or [],
                        "dates": data.get("holiday_dates") or [],
                    },
                }
            )
        except clock.CalendarError as exc:
            raise ValidationError(
                _("Kalendář nelze použít: %(problem)s"), params={"problem": str(exc)}
            ) from None
        return data


@admin.register(BusinessCalendar, site=site)
class BusinessCalendarAdmin(VendorModelAdmin):
    """Saving a calendar recomputes the due instants of its open tickets in the background."""

    form = CalendarForm
    list_display = ("name", "timezone", "hours")
    fields = (
        "name",
        "timezone",
        *(f"day_{day}" for day in hours.DAYS),
        "holiday_countries",
        "holiday_dates",
    )

    @admin.display(description=_("pracovní doba"))
    def hours(self, obj):
        from podpora.customers.channels import hours_in_words

        return hours_in_words(obj)

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if change:
            _recompute_after_commit(obj.pk)


class ChannelInfoForm(forms.ModelForm):
    class Meta:
        model = ChannelInfo
        fields = (
            "channel",
            "contact",
            "calendar",
            "always_open",
            "note",
            "note_sk",
            "note_en",
            "order",
        )


@admin.register(ChannelInfo, site=site)
class ChannelInfoAdmin(VendorModelAdmin):
    form = ChannelInfoForm
    list_display = ("channel", "contact", "calendar", "always_open", "order")


class SlaTargetForm(forms.ModelForm):
    ticket_type = forms.ChoiceField(
        label=_("typ požadavku"),
        choices=[("", _("všechny"))] + list(TYPE_CHOICES),
        required=False,
    )

    class Meta:
        model = SlaTarget
        fields = ("priority", "ticket_type", "first_response", "resolution")
        help_texts = {
            "resolution": _("90m, 8h, 2wd (pracovní dny), 7d (kalendářní dny) nebo release"),
        }

    def _spec(self, name):
        spec = (self.cleaned_data.get(name) or "").strip()
        if spec and spec != "release":
            try:
                clock.parse_target(spec)
            except ValueError:
                raise ValidationError(
                    _("„%(spec)s“ není cíl SLA: pište např. 90m, 8h, 2wd, 7d nebo release."),
                    params={"spec": spec},
                ) from None
        return spec

    def clean_first_response(self):
        return self._spec("first_response")

    def clean_resolution(self):
        return self._spec("resolution")

    def clean_priority(self):
        value = self.cleaned_data.get("priority")
        if value is not None and not 1 <= value <= 5:
            raise ValidationError(_("Priorita je 1 (kritická) až 5 (nízká)."))
        return value


class SlaTargetInline(VendorInline):
    model = SlaTarget
    form = SlaTargetForm


@admin.register(SlaPolicy, site=site)
class SlaPolicyAdmin(VendorModelAdmin):
    list_display = ("name", "calendar", "warn_percent")
    fields = ("name", "calendar", "warn_percent", "escalate_on_breach", "due_preview")
    readonly_fields = ("due_preview",)
    inlines = [SlaTargetInline]

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        if change:
            _recompute_after_commit(form.instance.calendar_id)

    @admin.display(description=_("náhled termínů"))
    def due_preview(self, obj):
        if obj is None or obj.pk is None:
            return _("Po uložení zde uvidíte termíny pro vzorový požadavek.")
        start = getattr(self, "_preview_start", None) or timezone.localtime().replace(
            second=0, microsecond=0
        )
        rows = previews.sla_due(obj, start)
        head = format_html(
            '<p class="sla-preview-start">{} <strong>{}</strong> · <a href="{}">{}</a></p>',
            gettext("Vzorový požadavek přijatý"),
            previews.when(start),
            reverse("vendoradmin:sla_slapolicy_preview", args=[obj.pk]),
            gettext("jiný okamžik přijetí"),
        )
        table = format_html_join(
            "",
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            ((r["priority"], r["type"], r["first_response"], r["resolution"]) for r in rows),
        )
        return format_html(
            '{}<table class="sla-preview"><thead><tr><th>{}</th><th>{}</th><th>{}</th>'
            "<th>{}</th></tr></thead><tbody>{}</tbody></table>",
            head,
            gettext("Priorita"),
            gettext("Typ"),
            gettext("První reakce do"),
            gettext("Vyřešení do"),
            table,
        )

    def get_urls(self):
        return [
            path(
                "<path:object_id>/preview/",
                self.admin_site.admin_view(self.preview_view),
                name="sla_slapolicy_preview",
            ),
            *super().get_urls(),
        ]

    def preview_view(self, request, object_id):
        policy = self.get_object(request, object_id)
        if policy is None:
            raise Http404
        raw = request.GET.get("start", "")
        start = parse_datetime(raw) if raw else None
        error = ""
        if raw and start is None:
            error = gettext("Zadejte datum a čas, např. 2026-12-24T15:30.")
        if start is not None and timezone.is_naive(start):
            start = timezone.make_aware(start)
        start = start or timezone.localtime().replace(second=0, microsecond=0)
        return render(
            request,
            "vendoradmin/sla_preview.html",
            {
                **self.admin_site.each_context(request),
                "title": gettext("Náhled termínů: %(policy)s") % {"policy": policy},
                "opts": self.model._meta,
                "policy": policy,
                "start": timezone.localtime(start),
                "start_value": timezone.localtime(start).strftime("%Y-%m-%dT%H:%M"),
                "start_words": previews.when(start),
                "rows": previews.sla_due(policy, start),
                "error": error,
            },
        )


@admin.register(ScopeItem, site=site)
class ScopeItemAdmin(VendorModelAdmin):
    form = ScopeItemForm
    fields = ("code", "name", "name_sk", "name_en", "outcome", "channels", "order")
    list_display = ("name", "code", "outcome", "order")


# ---- staff, teams ---------------------------------------------------------------------------


class StaffForm(forms.ModelForm):
    role = forms.ChoiceField(label=_("role"), choices=User.Role.choices)
    language = forms.ChoiceField(label=_("jazyk"), choices=LANGUAGE_CHOICES)

    class Meta:
        model = User
        fields = (
            "username",
            "first_name",
            "last_name",
            "email",
            "role",
            "solver_level",
            "language",
            "is_active",
        )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["email"].required = True
        self.fields["solver_level"].help_text = _("1 = hotline, 2 = řešitel, 3 = vývoj")

    def clean_solver_level(self):
        level = self.cleaned_data.get("solver_level")
        if level is not None and not 1 <= level <= 3:
            raise ValidationError(_("Úroveň řešitele je 1 až 3."))
        return level


@admin.register(User, site=site)
class StaffAdmin(StaffChangesAdmin, VendorModelAdmin):
    """The vendor's staff; a new member gets an e-mailed invitation to set a password."""

    form = StaffForm
    list_display = ("username", "first_name", "last_name", "email", "role", "solver_level")
    list_filter = ("role", "is_active")
    search_fields = ("username", "last_name", "email")

    def add_user(self, request, obj, form):
        from podpora.accounts import services

        services.add_staff(request.user.vendor_id, obj)
        messages.info(
            request, gettext("Pozvánka byla odeslána na %(email)s.") % {"email": obj.email}
        )

    def has_delete_permission(self, request, obj=None):
        return False  # history points at people: deactivate instead


@admin.register(Team, site=site)
class TeamAdmin(VendorModelAdmin):
    list_display = ("name", "email", "lead")
    fields = ("name", "email", "lead", "members")
    filter_horizontal = ("members",)


# ---- macros ---------------------------------------------------------------------------------


@admin.register(Macro, site=site)
class MacroAdmin(VendorModelAdmin):
    """Canned answers of the vendor or one of its teams, checked as on the console's page."""

    form = MacroForm
    list_display = ("name", "team", "set_state", "is_active", "updated_at")
    list_filter = ("is_active", "team")
    search_fields = ("name", "body_cs")

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        vendor = request.user.vendor

        class Form(form):
            def __init__(self, *args, **kwargs):
                super().__init__(*args, vendor=vendor, **kwargs)

        Form.__name__ = form.__name__
        return Form


# ---- mailboxes ------------------------------------------------------------------------------


@admin.register(Mailbox, site=site)
class MailboxAdmin(VendorModelAdmin):
    form = MailboxForm
    list_display = ("address", "name", "imap_host", "is_active", "last_polled_at")
    readonly_fields = ("pipe_command", "last_polled_at", "last_error")
    change_form_template = "vendoradmin/mailbox_change_form.html"

    @admin.display(description=_("pro poštovní server (roura)"))
    def pipe_command(self, obj):
        if obj is None or not obj.address:
            return "–"
        return format_html("<code>podpora ingest-email --mailbox {}</code>", obj.address)

    def get_urls(self):
        return [
            path(
                "<path:object_id>/test/",
                self.admin_site.admin_view(self.test_view),
                name="mail_mailbox_test",
            ),
            *super().get_urls(),
        ]

    def test_view(self, request, object_id):
        mailbox = self.get_object(request, object_id)
        if mailbox is None:
            raise Http404
        if request.method != "POST":
            return HttpResponseRedirect(
                reverse("vendoradmin:mail_mailbox_change", args=[mailbox.pk])
            )
        ok, text = mailtest.try_login(mailbox)
        self.message_user(request, text, messages.SUCCESS if ok else messages.ERROR)
        return HttpResponseRedirect(reverse("vendoradmin:mail_mailbox_change", args=[mailbox.pk]))


# ---- knowledge base and news --------------------------------------------------------------


@admin.register(Article, site=site)
class ArticleAdmin(VendorModelAdmin):
    """Guides, frequent questions, documentation and news, in Markdown, with a preview."""

    list_display = ("title", "kind", "language", "audience", "published_at")
    list_filter = ("kind", "language", "audience")
    search_fields = ("title",)
    prepopulated_fields = {"slug": ("title",)}
    fields = (
        "kind",
        "language",
        "audience",
        "product",
        "title",
        "slug",
        "body",
        "published_at",
        "preview",
    )
    readonly_fields = ("preview",)

    @admin.display(description=_("náhled"))
    def preview(self, obj):
        if obj is None or not obj.body:
            return _("Po uložení zde uvidíte text tak, jak ho čtou zákazníci.")
        return mark_safe(f'<div class="kb-preview">{previews.markdown(obj.body)}</div>')  # noqa: S308 — sanitised by kb.render


# ---- the record of changes ----------------------------------------------------------------


@admin.register(ChangeRecord, site=site)
class ChangeRecordAdmin(VendorModelAdmin):
    list_display = ("at", "user", "action", "kind", "object_repr")
    list_filter = ("action",)
    list_select_related = ("user", "content_type")
    search_fields = ("object_repr",)
    fields = ("at", "user", "action", "kind", "object_repr", "changes")
    readonly_fields = fields

    @admin.display(description=_("druh záznamu"))
    def kind(self, record):
        model = record.content_type.model_class()
        return model._meta.verbose_name if model else "–"

    @admin.display(description=_("co se změnilo"))
    def changes(self, record):
        rows = audit.rows(record)
        return format_html(
            '<table class="change-record"><thead><tr><th>{}</th><th>{}</th><th>{}</th></tr>'
            "</thead><tbody>{}</tbody></table>",
            gettext("Údaj"),
            gettext("Předtím"),
            gettext("Potom"),
            format_html_join("", "<tr><td>{}</td><td>{}</td><td>{}</td></tr>", rows),
        )

    def has_add_permission(self, request, *args):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
