"""Periodic mail jobs, run by `podpora scheduler`."""

from podpora.core.schedule import job


@job("mail.poll")
def poll_mailboxes() -> str:
    """Every active mailbox, one at a time; a failing one is logged and skipped."""
    from .imap import poll_all

    results = poll_all()
    if not results:
        return "no mailboxes"
    return "; ".join(
        r.summary() if not isinstance(r, Exception) else f"failed: {type(r).__name__}"
        for r in results
    )


@job("mail.retry")
def retry_received() -> str:
    """Messages stored but never applied (a crash between the two) get processed."""
    from .ingest import process_stale

    return f"{process_stale()} processed"


@job("mail.send-retry")
def send_deferred() -> str:
    """Notifications that met a temporary SMTP failure are sent again when their wait is over."""
    from .outbound import retry_due

    return f"{retry_due()} retried"
