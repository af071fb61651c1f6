"""Who reaches which page of the vendor's administration (/sprava/): every page of every model
× the managers of two vendors × an agent × a customer × an anonymous visitor."""

from __future__ import annotations

import pytest
from django.forms import ModelChoiceField

#: model label → the attribute of tests/vendoradmin/conftest.make_config holding its row
ROWS = {
    "customers.vendor": "vendor",
    "catalog.product": "product",
    "catalog.release": "release",
    "catalog.service": "service",
    "customers.plan": "plan",
    "customers.contract": "contract",
    "customers.licence": "licence",
    "customers.prepaidpackage": "package",
    "billing.subscription": "subscription",
    "sla.businesscalendar": "calendar",
    "customers.channelinfo": "channel",
    "sla.slapolicy": "policy",
    "customers.scopeitem": "scope",
    "accounts.user": "staff",
    "accounts.team": "team",
    "mail.mailbox": "mailbox",
    "kb.article": "article",
    "macros.macro": "macro",
    "vendoradmin.changerecord": "record",
}

#: shown, never changed here (subscriptions through their service, records never)
READ_ONLY = {"billing.subscription", "vendoradmin.changerecord"}


def _models():
    from podpora.vendoradmin.site import site

    return sorted(site._registry, key=lambda m: m._meta.label_lower)


def _url(model, page, pk=None):
    base = f"/sprava/{model._meta.app_label}/{model._meta.model_name}/"
    return {"list": base, "add": f"{base}add/"}.get(page) or f"{base}{pk}/{page}/"


def test_every_page_of_the_administration_has_a_row_in_the_matrix():
    assert {m._meta.label_lower for m in _models()} == set(ROWS)


def _row(config, model):
    return getattr(config, ROWS[model._meta.label_lower])


def _assert_choices_are_own(form, vendor_id):
    from podpora.vendoradmin.site import vendor_path

    pk_name = form._meta.model._meta.pk.name
    for name, field in form.fields.items():
        # an inline row's own id is looked up in its parent's rows (the last test below)
        if isinstance(field, ModelChoiceField) and name != pk_name:
            qs = field.queryset
            foreign = qs.exclude(**{vendor_path(qs.model): vendor_id})
            assert not foreign.exists(), (form, name, list(foreign))


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["a", "b"])
def test_a_manager_reaches_every_page_of_their_vendor_and_none_of_the_other(
    client, two_vendors, who
):
    own, other = (two_vendors.a, two_vendors.b) if who == "a" else (two_vendors.b, two_vendors.a)
    client.force_login(own.manager)
    assert client.get("/sprava/").status_code == 200
    for model in _models():
        mine, foreign = _row(own, model), _row(other, model)
        listing = client.get(_url(model, "list"))
        assert listing.status_code == 200, model
        body = listing.content.decode()
        assert _url(model, "change", mine.pk) in body, model
        assert _url(model, "change", foreign.pk) not in body, model
        for page in ("change", "history", "delete"):
            # 404 like a missing row; 403 where the page never deletes (the same for any id)
            for method in ("get", "post"):
                read_only = method == "post" and model._meta.label_lower in READ_ONLY
                expected = {403, 404} if page == "delete" or read_only else {404}
                status = getattr(client, method)(_url(model, page, foreign.pk)).status_code
                assert status in expected, (model, page, status)
        change = client.get(_url(model, "change", mine.pk))
        assert change.status_code == 200, model
        assert client.get(_url(model, "history", mine.pk)).status_code == 200, model
        forms = [change.context["adminform"].form]
        forms += [f.formset.empty_form for f in change.context["inline_admin_formsets"]]
        add = client.get(_url(model, "add"))
        if add.status_code == 200:
            forms.append(add.context["adminform"].form)
            forms += [f.formset.empty_form for f in add.context["inline_admin_formsets"]]
        else:
            assert add.status_code == 403, model  # a page that only shows (records, vendor)
        for form in forms:
            _assert_choices_are_own(form, own.vendor.pk)


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["agent", "solver", "customer", "superuser"])
def test_no_one_else_reaches_any_page(client, two_vendors, who):
    from podpora.accounts.models import User

    cast, a = two_vendors.cast, two_vendors.a
    user = {
        "agent": cast.agent,
        "solver": a.staff,
        "customer": cast.contact_a.user,
        "superuser": User.objects.create_superuser("root", "root@example.cz", "heslo-123"),
    }[who]
    client.force_login(user)
    denied = client.get("/sprava/")
    assert denied.status_code == 403
    assert "Nemáte oprávnění" in denied.content.decode()
    for model in _models():
        row = _row(a, model)
        for url in (_url(model, "list"), _url(model, "add"), _url(model, "change", row.pk)):
            assert client.get(url).status_code == 403, url
            assert client.post(url, {}).status_code == 403, url


@pytest.mark.django_db
def test_an_anonymous_visitor_is_sent_to_the_log_in(client, two_vendors):
    a = two_vendors.a
    for model in _models():
        for url in (_url(model, "list"), _url(model, "change", _row(a, model).pk)):
            response = client.get(url)
            assert response.status_code == 302, url
            assert response["Location"].startswith("/accounts/login/?next=/sprava/"), url


@pytest.mark.django_db
def test_the_menu_offers_the_settings_to_managers_only(client, two_vendors):
    cast, a = two_vendors.cast, two_vendors.a
    client.force_login(a.manager)
    assert 'href="/sprava/"' in client.get("/desk/").content.decode()
    client.force_login(cast.agent)
    assert 'href="/sprava/"' not in client.get("/desk/").content.decode()


def _post_refused(client, url, data, model, count_before):
    response = client.post(url, data)
    assert response.status_code == 200, (url, response.status_code)  # the form again
    assert response.context["adminform"].form.errors or any(
        f.errors for f in response.context["inline_admin_formsets"][0].formset.forms
    )
    assert model.objects.count() == count_before


@pytest.mark.django_db
@pytest.mark.parametrize(
    "case",
    ["contract-of-foreign-organisation", "release-of-foreign-product", "policy-on-foreign-calendar",
     "team-with-foreign-member", "mailbox-of-foreign-team", "plan-with-foreign-sla",
     "macro-for-foreign-team", "macro-assigning-foreign-staff"],
)  # fmt: skip
def test_a_post_naming_another_vendors_rows_is_refused(client, two_vendors, case):
    from podpora.accounts.models import Team
    from podpora.catalog.models import Release
    from podpora.customers.models import Contract, Plan
    from podpora.macros.models import Macro
    from podpora.mail.models import Mailbox
    from podpora.sla.models import SlaPolicy

    a, b = two_vendors.a, two_vendors.b
    client.force_login(a.manager)
    url, data, model = {
        "contract-of-foreign-organisation": (
            "/sprava/customers/contract/add/",
            {"organization": b.org.pk, "plan": a.plan.pk, "valid_from": "2026-01-01"},
            Contract,
        ),
        "release-of-foreign-product": (
            "/sprava/catalog/release/add/",
            {"product": b.product.pk, "version": b.version.pk, "official": "on",
             "files-TOTAL_FORMS": "0", "files-INITIAL_FORMS": "0"},
            Release,
        ),
        "policy-on-foreign-calendar": (
            "/sprava/sla/slapolicy/add/",
            {"name": "Nové", "calendar": b.calendar.pk, "warn_percent": "80",
             "targets-TOTAL_FORMS": "0", "targets-INITIAL_FORMS": "0"},
            SlaPolicy,
        ),
        "team-with-foreign-member": (
            "/sprava/accounts/team/add/",
            {"name": "Nový tým", "members": [b.staff.pk]},
            Team,
        ),
        "mailbox-of-foreign-team": (
            "/sprava/mail/mailbox/add/",
            {"name": "X", "address": "x@example.cz", "imap_port": "993", "imap_security": "tls",
             "imap_folder": "INBOX", "processed_flag": "\\Seen", "team": b.team.pk,
             "unknown_sender_policy": "ticket_unverified", "foreign_reply_policy": "new_ticket"},
            Mailbox,
        ),
        "plan-with-foreign-sla": (
            "/sprava/customers/plan/add/",
            {"code": "novy", "name": "Nový", "kind": "basic", "sla_policy": b.policy.pk,
             "billing_mode": "none", "free_call_period": "month"},
            Plan,
        ),
        "macro-for-foreign-team": (
            "/sprava/macros/macro/add/",
            {"name": "Cizí tým", "team": b.team.pk, "body_cs": "Dobrý den", "is_active": "on"},
            Macro,
        ),
        "macro-assigning-foreign-staff": (
            "/sprava/macros/macro/add/",
            {"name": "Cizí řešitel", "set_assignee": b.staff.pk, "body_cs": "Dobrý den"},
            Macro,
        ),
    }[case]  # fmt: skip
    _post_refused(client, url, data, model, model.objects.count())


@pytest.mark.django_db
def test_an_inline_row_of_another_vendor_cannot_be_edited_through_ones_own(client, two_vendors):
    from podpora.sla.models import SlaTarget

    a, b = two_vendors.a, two_vendors.b
    client.force_login(a.manager)
    response = client.post(
        f"/sprava/sla/slapolicy/{a.policy.pk}/change/",
        {
            "name": a.policy.name,
            "calendar": a.calendar.pk,
            "warn_percent": "80",
            "escalate_on_breach": "on",
            "targets-TOTAL_FORMS": "1",
            "targets-INITIAL_FORMS": "1",
            "targets-0-id": b.target.pk,
            "targets-0-policy": a.policy.pk,
            "targets-0-priority": "1",
            "targets-0-first_response": "1m",
            "targets-0-resolution": "1m",
        },
    )
    assert response.status_code in (200, 302)  # the foreign row is not one of the policy's
    assert SlaTarget.objects.get(pk=b.target.pk).first_response == "2h"
    assert SlaTarget.objects.get(pk=b.target.pk).policy_id == b.policy.pk
    assert not SlaTarget.objects.filter(first_response="1m").exists()
