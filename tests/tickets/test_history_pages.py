"""The history on the pages: customers see only what concerns them, in their language."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from podpora.tickets import services
from podpora.tickets.models import Event
from tests.conftest import new_ticket
from tests.test_i18n import compiled_catalogues  # noqa: F401  (the .mo files compiled)

pytestmark = pytest.mark.usefixtures("compiled_catalogues")


def _internal_history(cast):
    t = new_ticket(cast, impact=1)
    services.add_note(t, actor=cast.agent, body="Zákazník volal třikrát.")
    services.assign_ticket(t, assignee=cast.agent, actor=cast.agent)
    services.escalate_ticket(t, actor=cast.agent, reason="potřebuje vývojáře")
    # a row written before escalations were internal
    Event.objects.create(
        ticket=t,
        kind="escalated",
        data={"old": 2, "new": 3, "reason": "staré"},
        customer_visible=True,
        created_at=timezone.now(),
    )
    return t


def test_customer_does_not_see_internal_events(cast, client):
    t = _internal_history(cast)
    client.force_login(cast.contact_a.user)
    page = client.get(reverse("portal:detail", args=[t.number])).content.decode()
    assert "založil(a) požadavek." in page
    for internal in (
        "Předáno z úrovně",
        "přidělil(a)",
        "interní poznámku",
        "Zákazník volal",
        "SLA Standard",
        "Nárok:",
    ):
        assert internal not in page, internal


def test_staff_sees_the_whole_history_as_sentences(cast, client):
    t = _internal_history(cast)
    client.force_login(cast.agent)
    page = client.get(reverse("desk:detail", args=[t.number])).content.decode()
    assert "Předáno z úrovně řešení 1 na úroveň 2: potřebuje vývojáře." in page
    assert "Petr Operátor přidělil(a) požadavek: Petr Operátor (tým Hotline)." in page
    assert "přidal(a) interní poznámku." in page
    assert "(dopad vysoký, naléhavost střední)" in page  # impact agrees with "dopad"
    assert "SLA Standard: první reakce 2 hodiny pracovní doby" in page
    history = page.split('<ol class="timeline">')[1].split("</ol>")[0]
    assert "→" not in history and "covered" not in history and "None" not in history


def test_refusal_reason_reads_in_the_readers_language(cast, client):
    t = new_ticket(cast, scope="training")  # filed while Czech was active
    assert t.entitlement_status == "rejected"
    url = reverse("portal:detail", args=[t.number])
    client.force_login(cast.contact_a2.user)
    cs = client.get(url).content.decode()
    assert "Požadavky druhu „školení“ nejsou součástí smlouvy „Údržba“." in cs
    user = cast.contact_a.user
    user.language = "sk"
    user.save()
    client.force_login(user)
    sk = client.get(url, HTTP_ACCEPT_LANGUAGE="cs").content.decode()  # their own language wins
    assert "Požiadavky druhu „školenie“ nie sú súčasťou zmluvy „Údržba“." in sk
    assert 'lang="sk"' in sk


def test_a_language_picked_on_the_page_wins(cast, client):
    user = cast.contact_a.user
    user.language = "sk"
    user.save()
    client.force_login(user)
    client.post(reverse("set_language"), {"language": "en", "next": "/portal/"})
    page = client.get(reverse("portal:list")).content.decode()
    assert 'lang="en"' in page


def test_old_free_text_reason_is_still_shown(cast, client):
    t = new_ticket(cast)
    type(t).objects.filter(pk=t.pk).update(
        entitlement_status="rejected",
        entitlement_reason="no_contract_old",
        entitlement_detail="Neexistuje platná smlouva",
        entitlement_params={},
    )
    client.force_login(cast.contact_a.user)
    page = client.get(reverse("portal:detail", args=[t.number])).content.decode()
    assert "Neexistuje platná smlouva" in page


def test_refusal_reason_reaches_the_customer_by_e_mail_in_their_language(
    cast, django_capture_on_commit_callbacks
):
    from django.core import mail

    contact = cast.contact_b
    contact.language = "sk"
    contact.save()
    with django_capture_on_commit_callbacks(execute=True):
        t = new_ticket(cast, contact=contact, scope="training")
    [ack] = mail.outbox
    assert "Požiadavky druhu „školenie“ nie sú súčasťou zmluvy „Údržba“." in ack.body
    with django_capture_on_commit_callbacks(execute=True):
        services.change_state(t, "rejected", actor=cast.agent)
    assert "Dôvod: Požiadavky druhu „školenie“" in mail.outbox[-1].body
