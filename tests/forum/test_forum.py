"""InTouch's users' forum: customers of the vendor ask one another, staff answer and moderate."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from podpora.forum import services
from podpora.forum.models import Post, Topic

from ..billing.conftest import staff


@pytest.fixture
def forum(seed):
    seed("hrplus", timezone.localdate())
    return seed("intouch", timezone.localdate())


@pytest.fixture
def topic(forum):
    return services.start_topic(
        forum, staff("intouch-prochazka"), "Hromadný e-mail a přílohy", "Jak poslat přílohu?"
    )


WHO = {
    # who: (reads and writes, moderates)
    "intouch-prochazka": (True, False),
    "intouch-cerna": (True, False),  # another customer of the same vendor
    "intouch-agent": (True, True),
    "hrplus-novak": (False, False),  # a customer of another vendor
    "hrplus-agent": (False, False),  # another vendor's staff
    "hrplus-uzivatel": (False, False),  # an end user
}


@pytest.mark.parametrize("who, rights", WHO.items(), ids=WHO.keys())
def test_who_takes_part(client, topic, who, rights):
    takes_part, moderates = rights
    client.force_login(staff(who))
    ok = 200 if takes_part else 404
    assert client.get("/forum/intouch/").status_code == ok
    assert client.get(f"/forum/intouch/{topic.pk}/").status_code == ok
    r = client.post(f"/forum/intouch/{topic.pk}/", {"body": "Zkusím to."})
    assert r.status_code == (302 if takes_part else 404)
    assert Post.objects.filter(topic=topic).count() == (2 if takes_part else 1)
    r = client.post(f"/forum/intouch/{topic.pk}/moderate/", {"action": "locked:on"})
    assert r.status_code == (302 if moderates else 404)
    assert Topic.objects.get(pk=topic.pk).locked is moderates


def test_nobody_logged_in_is_sent_to_log_in(client, topic):
    assert client.get("/forum/intouch/")["Location"].startswith("/accounts/login/")


def test_a_conversation_with_staff_marked(client, forum, topic):
    client.force_login(staff("intouch-agent"))
    client.post(f"/forum/intouch/{topic.pk}/", {"body": "Přílohu přidáte v kroku 2."})
    client.force_login(staff("intouch-cerna"))
    client.post(
        f"/forum/intouch/{topic.pk}/", {"body": "Díky, funguje.\nhttps://example.com/navod"}
    )
    topic.refresh_from_db()
    assert topic.posts == 3
    page = client.get(f"/forum/intouch/{topic.pk}/").content.decode()
    assert page.count('class="article post staff"') == 1
    assert "Lukáš Procházka (Autodíly Ústí s.r.o.)" in page
    assert '<a href="https://example.com/navod" rel="nofollow">' in page and "funguje.<br>" in page


def test_what_users_write_is_never_html(client, forum):
    client.force_login(staff("intouch-cerna"))
    r = client.post(
        "/forum/intouch/new/",
        {"title": "<b>Pozor</b>", "body": '<script>alert(1)</script><img src=x onerror="x">'},
    )
    page = client.get(r["Location"]).content.decode()
    assert "<script>alert(1)" not in page and "&lt;script&gt;" in page
    assert "<img src=x" not in page and "&lt;b&gt;Pozor&lt;/b&gt;" in page


@pytest.mark.parametrize(
    "title, body, error",
    [
        ("", "Text", "title"),
        ("Název", "   ", "body"),
        ("Název", "x" * 10_001, "body"),
    ],
)
def test_bad_input_is_refused(forum, title, body, error):
    with pytest.raises(ValidationError) as exc:
        services.start_topic(forum, staff("intouch-cerna"), title, body)
    assert error in exc.value.message_dict
    assert not Topic.objects.exists()


def test_locked_and_hidden(client, forum, topic):
    agent, cerna = staff("intouch-agent"), staff("intouch-cerna")
    services.set_flag(topic, agent, "locked", True)
    with pytest.raises(ValidationError):
        services.add_post(topic, cerna, "Ještě dotaz.")
    services.add_post(topic, agent, "Uzavírám, odpověď je v návodu.")  # staff still may
    services.set_flag(topic, agent, "hidden", True)
    client.force_login(cerna)
    assert client.get(f"/forum/intouch/{topic.pk}/").status_code == 404
    assert "Hromadný" not in client.get("/forum/intouch/").content.decode()
    client.force_login(agent)
    assert "Hromadný" in client.get("/forum/intouch/").content.decode()
    with pytest.raises(PermissionDenied):
        services.set_flag(topic, cerna, "pinned", True)


def test_a_moderator_hides_a_post_with_the_reason(client, forum, topic):
    spam = services.add_post(topic, staff("intouch-cerna"), "Levné hodinky!")
    client.force_login(staff("intouch-agent"))
    client.post(
        f"/forum/intouch/{topic.pk}/moderate/",
        {"action": "hide-post", "post": spam.pk, "reason": "reklama"},
    )
    assert "skryto: reklama" in client.get(f"/forum/intouch/{topic.pk}/").content.decode()
    client.force_login(staff("intouch-prochazka"))
    assert "Levné hodinky" not in client.get(f"/forum/intouch/{topic.pk}/").content.decode()


@pytest.mark.parametrize(
    "q, found",
    [("prilohu", True), ("HROMADNÝ", True), ("kroku", True), ("faktura", False)],
)
def test_search_ignores_diacritics_in_titles_and_posts(client, forum, topic, q, found):
    services.add_post(topic, staff("intouch-agent"), "Přílohu přidáte v kroku 2.")
    client.force_login(staff("intouch-cerna"))
    page = client.get(f"/forum/intouch/?q={q}")
    assert (topic in page.context["page"].object_list) is found


def test_posting_is_rate_limited(forum, topic, monkeypatch):
    monkeypatch.setattr(services, "POST_LIMIT", 3)
    user = staff("intouch-cerna")
    for n in range(3):
        services.add_post(topic, user, f"Příspěvek {n}")
    with pytest.raises(ValidationError):
        services.add_post(topic, user, "Čtvrtý")
    services.add_post(topic, staff("intouch-prochazka"), "Jiný uživatel může.")


def test_pages_cost_the_same_queries_for_many_topics_and_posts(client, forum, topic):
    client.force_login(staff("intouch-cerna"))
    url = f"/forum/intouch/{topic.pk}/"
    with CaptureQueriesContext(connection) as few_topics:
        client.get("/forum/intouch/")
    with CaptureQueriesContext(connection) as few_posts:
        client.get(url)
    user = staff("intouch-prochazka")
    for n in range(12):
        services.start_topic(forum, user, f"Téma {n}", "Text")
        services.add_post(topic, staff("intouch-agent"), f"Odpověď {n}")
    with CaptureQueriesContext(connection) as many_topics:
        assert client.get("/forum/intouch/").content.decode().count('class="topic') == 13
    with CaptureQueriesContext(connection) as many_posts:
        assert client.get(url).content.decode().count('class="article post') == 13
    assert len(many_topics.captured_queries) == len(few_topics.captured_queries)
    assert len(many_posts.captured_queries) == len(few_posts.captured_queries)


def test_my_forum_leads_to_my_vendor(client, forum):
    client.force_login(staff("intouch-cerna"))
    assert client.get("/forum/")["Location"] == "/forum/intouch/"


def test_those_who_wrote_hear_of_a_new_post(forum, topic, django_capture_on_commit_callbacks):
    from django.core import mail

    from podpora.customers.models import Contact

    with django_capture_on_commit_callbacks(execute=True):
        services.add_post(topic, staff("intouch-agent"), "Přílohu přidáte v kroku 2.")
    assert [m.to for m in mail.outbox] == [["intouch-prochazka@zakaznik.example"]]
    message = mail.outbox[0]
    assert message.subject == "Nový příspěvek ve fóru: Hromadný e-mail a přílohy"
    assert (
        "Přílohu přidáte v kroku 2." in message.body
        and f"/forum/intouch/{topic.pk}/" in message.body
    )
    mail.outbox.clear()

    Contact.objects.filter(user__username="intouch-prochazka").update(is_active=False)
    with django_capture_on_commit_callbacks(execute=True):
        services.add_post(topic, staff("intouch-cerna"), "Taky mě to zajímá <díky>.")
    assert [m.to for m in mail.outbox] == [["agent@intouch.example"]]  # not the inactive one
    assert "<díky>" in mail.outbox[0].body


def test_a_participant_stops_the_e_mails_of_a_topic(
    client, forum, topic, django_capture_on_commit_callbacks
):
    from django.core import mail

    client.force_login(staff("intouch-prochazka"))
    r = client.post(f"/forum/intouch/{topic.pk}/mute/", {"muted": "on"}, follow=True)
    assert "E-maily z tohoto tématu nedostáváte." in r.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        services.add_post(topic, staff("intouch-agent"), "Odpověď.")
    assert mail.outbox == []
    client.post(f"/forum/intouch/{topic.pk}/mute/", {"muted": "off"})
    with django_capture_on_commit_callbacks(execute=True):
        services.add_post(topic, staff("intouch-agent"), "Ještě jedna.")
    assert [m.to for m in mail.outbox] == [["intouch-prochazka@zakaznik.example"]]
    client.force_login(staff("hrplus-novak"))  # not of this forum
    assert client.post(f"/forum/intouch/{topic.pk}/mute/", {"muted": "on"}).status_code == 404


def test_the_forum_only_for_vendors_that_enable_it(client, forum):
    """HR Plus has no forum: its customers see no menu link and its address is not found."""
    client.force_login(staff("hrplus-novak"))
    assert client.get("/forum/hrplus/").status_code == 404
    assert client.get("/forum/").status_code == 404
    assert 'href="/forum/"' not in client.get("/portal/").content.decode()
    client.force_login(staff("intouch-cerna"))
    assert 'href="/forum/"' in client.get("/portal/").content.decode()
    assert client.get("/forum/intouch/").status_code == 200
