from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save


class MailConfig(AppConfig):
    name = "podpora.mail"
    label = "mail"

    def ready(self) -> None:
        from podpora.accounts.models import Team
        from podpora.catalog.models import Product
        from podpora.customers.models import Plan, Vendor
        from podpora.sla.models import BusinessCalendar, SlaPolicy

        from .models import Mailbox
        from .routing import forget_routing

        # the cached mailboxes carry their vendor, and it its START, warranty and public
        # plans with their SLA policies and calendars
        for model in (Mailbox, Vendor, Team, Product, Plan, SlaPolicy, BusinessCalendar):
            uid = f"mail-routing-{model._meta.label_lower}"
            post_save.connect(forget_routing, sender=model, dispatch_uid=uid + "-save")
            post_delete.connect(forget_routing, sender=model, dispatch_uid=uid + "-delete")
