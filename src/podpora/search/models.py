from django.db import models
from django.utils.translation import gettext_lazy as _


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

    kind = models.CharField(max_length=8, choices=Kind.choices, verbose_name=_("druh"))
    ref_id = models.BigIntegerField(verbose_name=_("záznam"))
    vendor_id = models.BigIntegerField(verbose_name=_("dodavatel"))
    #: tickets: whose they are (customers find their organisation's only)
    organization_id = models.BigIntegerField(null=True, verbose_name=_("organizace"))
    #: knowledge base: who reads it (``kb.Article.Audience``)
    audience = models.CharField(max_length=10, blank=True, verbose_name=_("pro koho"))
    language = models.CharField(max_length=8, blank=True, verbose_name=_("jazyk"))
    #: knowledge base and releases: unpublished (null) or future entries are staff's only
    published_at = models.DateTimeField(null=True, verbose_name=_("zveřejněno"))
    title = models.TextField(blank=True, verbose_name=_("název"))
    #: what customers may read (tickets: the articles that are not internal notes)
    body = models.TextField(blank=True, verbose_name=_("text"))
    #: what only staff read (tickets: internal notes)
    notes = models.TextField(blank=True, verbose_name=_("interní poznámky"))
    #: names and numbers (ticket number, organisation, IČO, contact, requester)
    meta = models.TextField(blank=True, verbose_name=_("jména a čísla"))

    class Meta:
        verbose_name = _("záznam hledání")
        verbose_name_plural = _("záznamy hledání")
        constraints = [
            models.UniqueConstraint(fields=["kind", "ref_id"], name="search_entry_unique_ref")
        ]
        indexes = [models.Index(fields=["vendor_id", "kind"], name="search_entry_vendor")]
