"""Periodic: mail the published news to the customers who take news by e-mail."""

from podpora.core.schedule import job


@job("news")
def mail_published_news() -> str:
    from .news import mail_news

    return f"{mail_news()} news e-mails queued"
