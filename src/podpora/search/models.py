from django.db import models


class Entry(models.Model):
    """The searchable text of one ticket, knowledge-base article or release.

    Written only by ``search/index.py``, in the transaction of the change it follows. The
    database keeps its full-text index from these rows by triggers: an FTS5 table
    ``search_fts`` on SQLite, the ``tsv`` and ``tsv_notes`` columns with GIN indexes on
    PostgreSQL (migration 0001)."""

    class Kind(models.TextChoices):
        TICKET = "ticket"
        KB = "kb"
        RELEASE = "release"

    kind = models.CharField(max_length=8, choices=Kind.choices)
    ref_id = models.BigIntegerField()
    vendor_id = models.BigIntegerField()
    #: tickets: whose they are (customers find their organisation's only)
    organization_id = models.BigIntegerField(null=True)
    #: knowledge base: who reads it (``kb.Article.Audience``)
    audience = models.CharField(max_length=10, blank=True)
    language = models.CharField(max_length=8, blank=True)
    #: knowledge base and releases: unpublished (null) or future entries are staff's only
    published_at = models.DateTimeField(null=True)
    title = models.TextField(blank=True)
    #: what customers may read (tickets: the articles that are not internal notes)
    body = models.TextField(blank=True)
    #: what only staff read (tickets: internal notes)
    notes = models.TextField(blank=True)
    #: names and numbers (ticket number, organisation, IČO, contact, requester)
    meta = models.TextField(blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["kind", "ref_id"], name="search_entry_unique_ref")
        ]
        indexes = [models.Index(fields=["vendor_id", "kind"], name="search_entry_vendor")]
