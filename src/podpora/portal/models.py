"""What the portal told a customer's admins once: a package running low, a contract ending."""

from django.db import models


class CustomerNotice(models.Model):
    """One row per event told; its unique ``key`` makes the job tell each event once."""

    kind = models.CharField(max_length=20)  # package_low / contract_ending
    key = models.CharField(max_length=80, unique=True)
    organization = models.ForeignKey(
        "customers.Organization", on_delete=models.CASCADE, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
