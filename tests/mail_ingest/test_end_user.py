"""An end user of a customer writes: no ticket, and an answer naming whom to ask."""

from podpora.tickets.models import Ticket

from .helpers import as_mail, build


def test_an_end_user_s_e_mail_opens_no_ticket_and_names_the_authorised_persons(
    cast, mailbox, deliver, smtp
):
    inbound = deliver(build(sender="eva@example.cz", sender_name="Eva Malá"), mailbox)
    assert (inbound.state, inbound.reason) == ("ignored", "end_user")
    assert Ticket.objects.count() == 0
    [answer] = smtp.to("eva@example.cz")
    mail = as_mail(answer.content)
    assert mail["Auto-Submitted"] == "auto-replied"
    text = mail.get_body(("plain",)).get_content()
    assert "jen oprávněné osoby organizace Alfa s.r.o." in text
    assert "Adam Král, adam@example.cz" in text and "Alena Nováková" in text
    assert "Eva Malá" not in text.split("organizace:")[-1]


def test_an_end_user_served_by_the_plan_files_as_anyone(cast, mailbox, deliver):
    cast.plan.serves_end_users = True
    cast.plan.save()
    inbound = deliver(build(sender="eva@example.cz", sender_name="Eva Malá"), mailbox)
    assert inbound.state == "processed" and inbound.ticket.contact == cast.end_user_a
