from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VendorAdminConfig(AppConfig):
    name = "podpora.vendoradmin"
    label = "vendoradmin"
    verbose_name = _("Správa dodavatele")
