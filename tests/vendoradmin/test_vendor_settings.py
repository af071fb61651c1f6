"""What a vendor's manager sets in /sprava/ besides products and contracts: the public form's
texts, the forum's moderators, the vendor's rules and macros; each reaches the people it is
for, and each travels in the vendor's profile."""

from __future__ import annotations

import pytest
from django.utils import timezone

from ..billing.conftest import staff


def form_data(response) -> dict:
    """The POST a browser would send for the change page as it was shown."""
    data = {}
    forms = [response.context["adminform"].form]
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        mgmt = formset.management_form
        for name in mgmt.fields:
            data[mgmt.add_prefix(name)] = mgmt[name].value()
        forms += list(formset.forms)
    for form in forms:
        for name in form.fields:
            value = form[name].value()
            key = form.add_prefix(name)
            if isinstance(value, bool):
                if value:
                    data[key] = "on"
            elif isinstance(value, (list, tuple)):
                data[key] = [str(v.pk if hasattr(v, "pk") else v) for v in value]
            elif value is not None:
                data[key] = str(value.pk if hasattr(value, "pk") else value)
    return data


@pytest.fixture
def hrplus(seed):
    return seed("hrplus", timezone.localdate())


def _manager(vendor):
    from podpora.accounts.models import User

    return User.objects.filter(vendor=vendor, role="manager").first()


@pytest.mark.django_db
def test_a_manager_writes_the_public_forms_texts_and_its_visitors_read_them(client, hrplus):
    from podpora.customers.models import PublicFormText
    from podpora.vendoradmin.models import ChangeRecord

    PublicFormText.objects.filter(vendor=hrplus).delete()
    client.force_login(_manager(hrplus))
    url = f"/sprava/customers/vendor/{hrplus.pk}/change/"
    data = form_data(client.get(url))
    data |= {
        "public_form-0-intro": "Dotazy <b>jen</b> k mzdám.\nOdpovídáme do dvou dnů.",
        "public_form-0-intro_en": "Questions about payroll only.",
        "public_form-0-thanks": "Odpovíme do dvou pracovních dnů.",
    }
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    texts = PublicFormText.objects.get(vendor=hrplus)
    assert texts.thanks == "Odpovíme do dvou pracovních dnů."
    record = ChangeRecord.objects.filter(vendor=hrplus, object_id=str(hrplus.pk)).latest("pk")
    assert record.after["public_form"][0]["intro_en"] == "Questions about payroll only."

    client.logout()
    page = client.get("/dotaz/hrplus/").content.decode()
    assert "Dotazy &lt;b&gt;jen&lt;/b&gt; k mzdám.<br>Odpovídáme do dvou dnů." in page
    english = client.get("/dotaz/hrplus/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Questions about payroll only." in english and "k mzdám" not in english

    sent = client.post(
        "/dotaz/hrplus/",
        {"name": "Jana Malá", "email": "jana@firma.example", "company": "Firma",
         "subject": "Cena licence", "body": "Kolik stojí licence pro 50 zaměstnanců?"},
        follow=True,
    )  # fmt: skip
    text = sent.content.decode()
    assert "Děkujeme, dotaz jsme přijali pod číslem" in text
    assert "Odpovíme do dvou pracovních dnů." in text


@pytest.mark.django_db
def test_without_texts_the_form_says_only_its_own_sentences(client, hrplus):
    from podpora.customers.models import PublicFormText

    PublicFormText.objects.filter(vendor=hrplus).delete()
    page = client.get("/dotaz/hrplus/").content.decode()
    assert "webform-intro" not in page
    assert "Odpověď vám pošleme na e-mail uvedený ve formuláři." in page


@pytest.mark.django_db
def test_the_hrplus_profile_brings_its_collector_texts(client, hrplus):
    page = client.get("/dotaz/hrplus/").content.decode()
    assert "Kolektor slouží k dotazům na informace o aplikačním software" in page


@pytest.fixture
def intouch(seed):
    return seed("intouch", timezone.localdate())


@pytest.mark.django_db
@pytest.mark.parametrize(
    "moderators, who, moderates",
    [
        (["intouch-agent"], "intouch-agent", True),
        (["intouch-agent"], "intouch-resitel", False),
        (["intouch-agent"], "intouch-manager", False),
        ([], "intouch-resitel", True),  # nobody named: all the vendor's staff
        ([], "intouch-prochazka", False),  # a customer never moderates
    ],
)
def test_only_the_named_moderators_moderate(client, intouch, moderators, who, moderates):
    from podpora.forum import services
    from podpora.forum.models import Post, Topic

    intouch.forum_moderators.set([staff(name) for name in moderators])
    topic = services.start_topic(intouch, staff("intouch-prochazka"), "Export", "Jak exportovat?")
    client.force_login(staff(who))
    r = client.post(f"/forum/intouch/{topic.pk}/moderate/", {"action": "locked:on"})
    assert r.status_code == (302 if moderates else 404)
    assert Topic.objects.get(pk=topic.pk).locked is moderates
    client.post(f"/forum/intouch/{topic.pk}/", {"body": "Přes menu Soubor."})
    post = Post.objects.filter(topic=topic).latest("pk")
    if not moderates and who.startswith("intouch-") and who != "intouch-prochazka":
        assert post.author == staff(who) and post.by_staff  # still answers as the vendor


@pytest.mark.django_db
def test_a_manager_names_the_forums_moderators_among_own_staff_only(client, intouch, seed):
    seed("hrplus", timezone.localdate())
    client.force_login(staff("intouch-manager"))
    url = f"/sprava/customers/vendor/{intouch.pk}/change/"
    response = client.get(url)
    choices = response.context["adminform"].form.fields["forum_moderators"].queryset
    assert set(choices.values_list("vendor__slug", flat=True)) == {"intouch"}
    data = form_data(response) | {"forum_moderators": [staff("hrplus-agent").pk]}
    refused = client.post(url, data)
    assert (
        refused.status_code == 200
        and "forum_moderators" in refused.context["adminform"].form.errors
    )
    data["forum_moderators"] = [staff("intouch-resitel").pk]
    assert client.post(url, data).status_code == 302
    assert list(intouch.forum_moderators.all()) == [staff("intouch-resitel")]


@pytest.mark.django_db
def test_a_macro_made_in_the_administration_is_offered_to_the_agents(client, intouch):
    from podpora.macros.models import Macro
    from podpora.macros.services import macros_for

    client.force_login(staff("intouch-manager"))
    response = client.post(
        "/sprava/macros/macro/add/",
        {"name": "Poděkování", "body_cs": "{osloveni},\n\nděkujeme.", "set_state": "resolved",
         "is_active": "on"},
    )  # fmt: skip
    assert response.status_code == 302
    macro = Macro.objects.get(vendor=intouch, name="Poděkování")
    assert macro in list(macros_for(staff("intouch-agent"), intouch.pk))
    bad = client.post(
        "/sprava/macros/macro/add/", {"name": "Překlep", "body_cs": "{oslovení}", "is_active": "on"}
    )
    assert bad.status_code == 200
    assert "Neznámé zástupné texty" in bad.content.decode()
    assert not Macro.objects.filter(name="Překlep").exists()


@pytest.mark.django_db
def test_the_vendors_rules_are_set_in_the_administration(client, intouch):
    client.force_login(staff("intouch-manager"))
    url = f"/sprava/customers/vendor/{intouch.pk}/change/"
    data = form_data(client.get(url)) | {
        "quotes_by_customer_admin": "on",
        "problem_resolves_incidents": "on",
    }
    assert client.post(url, data).status_code == 302
    intouch.refresh_from_db()
    assert intouch.quotes_by_customer_admin and intouch.problem_resolves_incidents
