"""Thin task wrappers: ids in, one service call, idempotent."""

from django_tasks import task


@task()
def send_notification(kind: str, object_id: int) -> None:
    from . import outbound

    outbound.send_notification(kind, object_id)


@task()
def answer_unknown_sender(
    vendor_id: int, to: str, sender: str, subject: str, in_reply_to: str | None
) -> None:
    from . import outbound

    outbound.send_unknown_sender_answer(vendor_id, to, sender, subject, in_reply_to)


@task()
def answer_end_user(
    contact_id: int, to: str, sender: str, subject: str, in_reply_to: str | None
) -> None:
    from . import outbound

    outbound.send_end_user_answer(contact_id, to, sender, subject, in_reply_to)


@task()
def send_news(article_id: int, contact_id: int) -> None:
    from . import outbound

    outbound.send_news(article_id, contact_id)


@task()
def send_invitation(contact_id: int) -> None:
    from . import outbound

    outbound.send_invitation(contact_id)


@task()
def send_staff_invitation(user_id: int) -> None:
    from . import outbound

    outbound.send_staff_invitation(user_id)


@task()
def send_forum_post(post_id: int) -> None:
    from . import outbound

    outbound.send_forum_post(post_id)


@task()
def send_password_reset(email: str, language: str) -> None:
    from . import outbound

    outbound.send_password_reset(email, language)


@task()
def send_start_ending(licence_id: int) -> None:
    from podpora.customers import jobs

    jobs.send_start_ending(licence_id)
