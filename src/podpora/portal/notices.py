"""Customer admins told by e-mail when a prepaid package runs low or a contract nears its end.

The scheduler's ``customer-notices`` job looks once a round; each event (a package under its
warning level, a contract's end date within NOTICE_DAYS) is claimed by inserting its
``CustomerNotice`` row, and the mail is a task committed with that row, so it goes once
whatever the number of schedulers and is not lost to a crash. A contract prolonged to a new
end is a new event.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F, Q, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone
from django_tasks import task

from podpora.core.queue import enqueue
from podpora.core.schedule import job
from podpora.customers.models import Contact, Contract, PrepaidPackage

from .models import CustomerNotice

#: days before a contract's last day when its customer admins are told
NOTICE_DAYS = 30


def low_packages(today: date):
    """Valid packages whose balance is at or under their warning level (one query)."""
    return (
        PrepaidPackage.objects.filter(valid_from__lte=today)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=today))
        .exclude(organization__stage="former")
        .annotate(used=Coalesce(Sum("entries__minutes"), 0))
        .filter(minutes__lte=F("used") + F("low_balance_minutes"))
        .order_by("pk")
    )


def ending_contracts(today: date):
    return (
        Contract.objects.filter(valid_to__gte=today, valid_to__lte=today + timedelta(NOTICE_DAYS))
        .exclude(organization__stage="former")
        .order_by("pk")
    )


def _claim(kind: str, key: str, organization_id: int, args: tuple) -> bool:
    try:
        with transaction.atomic():
            CustomerNotice.objects.create(kind=kind, key=key, organization_id=organization_id)
            enqueue(send_notice, kind, *args)
    except IntegrityError:
        return False
    return True


def tell(today: date) -> dict[str, int]:
    told = {"package_low": 0, "contract_ending": 0}
    for package in low_packages(today):
        if _claim(
            "package_low", f"package-low:{package.pk}", package.organization_id, (package.pk,)
        ):
            told["package_low"] += 1
    for contract in ending_contracts(today):
        key = f"contract-ending:{contract.pk}:{contract.valid_to.isoformat()}"
        if _claim("contract_ending", key, contract.organization_id, (contract.pk,)):
            told["contract_ending"] += 1
    return told


@job("customer-notices")
def customer_notices() -> str:
    told = tell(timezone.localdate())
    return f"{told['package_low']} packages low, {told['contract_ending']} contracts ending"


def _admins(organization_id: int):
    return list(
        Contact.objects.filter(
            organization_id=organization_id,
            role=Contact.Role.CUSTOMER_ADMIN,
            is_active=True,
        ).exclude(email="")
    )


@task()
def send_notice(kind: str, object_id: int) -> int:
    from podpora.customers.jobs import _send

    url = f"{settings.BASE_URL}/portal/contract/"
    if kind == "package_low":
        from podpora.billing.selectors import package_balances

        package = PrepaidPackage.objects.select_related("organization__vendor").get(pk=object_id)
        left = dict(package_balances(package.organization, timezone.localdate())).get(package, 0)
        context = {"package": package, "left": left, "organization": package.organization}
        template = "package_low"
    else:
        contract = Contract.objects.select_related("organization__vendor", "plan").get(pk=object_id)
        context = {"contract": contract, "organization": contract.organization}
        template = "contract_ending"
    context["vendor"] = context["organization"].vendor
    context["portal_url"] = url
    return _send(template, _admins(context["organization"].pk), context)
