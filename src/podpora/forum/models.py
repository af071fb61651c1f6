"""The users' forum (InTouch): a vendor's customers ask one another, the vendor's staff join in
and moderate. Plain text only: what users write is escaped, never rendered as HTML."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Topic(models.Model):
    vendor = models.ForeignKey(
        "customers.Vendor",
        verbose_name=_("dodavatel"),
        on_delete=models.CASCADE,
        related_name="forum_topics",
    )
    product = models.ForeignKey(
        "catalog.Product",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("produkt"),
    )
    title = models.CharField(_("název"), max_length=200)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("autor"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(
        _("vytvořeno"),
    )
    last_post_at = models.DateTimeField(db_index=True, verbose_name=_("poslední příspěvek"))
    posts = models.PositiveIntegerField(_("příspěvků"), default=0)
    pinned = models.BooleanField(_("připnuto"), default=False)
    locked = models.BooleanField(_("uzamčeno"), default=False)
    hidden = models.BooleanField(_("skryto"), default=False)
    search_text = models.TextField(blank=True, editable=False, verbose_name=_("text pro hledání"))

    class Meta:
        verbose_name = _("téma fóra")
        verbose_name_plural = _("témata fóra")
        indexes = [models.Index(fields=["vendor", "hidden", "pinned", "last_post_at"])]

    def __str__(self) -> str:
        return self.title


class Post(models.Model):
    topic = models.ForeignKey(
        Topic, verbose_name=_("téma"), on_delete=models.CASCADE, related_name="post_set"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("autor"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    author_label = models.CharField(max_length=200, verbose_name=_("autor"))
    by_staff = models.BooleanField(default=False, verbose_name=_("od dodavatele"))
    body = models.TextField(_("text"))
    created_at = models.DateTimeField(
        _("vytvořeno"),
    )
    hidden = models.BooleanField(_("skryto"), default=False)
    hidden_reason = models.CharField(_("důvod skrytí"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("příspěvek fóra")
        verbose_name_plural = _("příspěvky fóra")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.topic}: {self.author_label}"


class Mute(models.Model):
    """A person who no longer wants e-mails of new posts in a topic they wrote in."""

    topic = models.ForeignKey(
        Topic, verbose_name=_("téma"), on_delete=models.CASCADE, related_name="mutes"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uživatel"),
        on_delete=models.CASCADE,
        related_name="+",
    )

    class Meta:
        verbose_name = _("vypnutá upozornění na téma")
        verbose_name_plural = _("vypnutá upozornění na témata")
        constraints = [models.UniqueConstraint(fields=["topic", "user"], name="forum_mute_unique")]
