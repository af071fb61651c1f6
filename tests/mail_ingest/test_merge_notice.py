"""A merged request's customer is told by e-mail; their answer to that mail lands on the
request that goes on."""

from podpora.tickets import services
from podpora.tickets.models import Ticket

from .helpers import as_mail, build, reply_to


def test_the_answer_to_the_merge_notice_threads_onto_the_survivor(
    cast, mailbox, deliver, smtp, django_capture_on_commit_callbacks
):
    deliver(build(sender="alena@example.cz", subject="Nejde tisk"), mailbox)
    deliver(build(sender="alena@example.cz", subject="Tisk pořád nejde"), mailbox)
    survivor, duplicate = Ticket.objects.order_by("pk")
    smtp.messages.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.merge_tickets(duplicate, survivor, actor=cast.agent)
    [notice] = smtp.to("alena@example.cz")
    mail = as_mail(notice.content)
    assert f"[#{survivor.number}]" in str(mail["Subject"])
    assert duplicate.number in mail.get_body(("plain",)).get_content()
    answer = deliver(
        reply_to(notice.content, sender="alena@example.cz", body="Díky, počkám."), mailbox
    )
    assert answer.ticket == survivor
    assert survivor.articles.filter(body__contains="Díky, počkám.").exists()
