from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SearchConfig(AppConfig):
    name = "podpora.search"
    label = "search"
    verbose_name = _("Hledání")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from django.db.models.signals import post_delete

        from podpora.catalog.models import Release
        from podpora.kb.models import Article

        from . import index

        def forget(kind):
            return lambda sender, instance, **kw: index.forget(kind, instance.pk)

        self._receivers = [forget(index.Kind.KB), forget(index.Kind.RELEASE)]
        post_delete.connect(self._receivers[0], sender=Article, weak=False)
        post_delete.connect(self._receivers[1], sender=Release, weak=False)
