"""Forms shared by the operator's and the vendor's administration."""

from . import services


class RefusedStaffChanges:
    """A user's change form that refuses, in words, what :func:`services.refusals_for` refuses
    (one's own role, deactivating oneself, the vendor's last manager); ``actor`` is who edits."""

    actor = None

    def clean(self):
        cleaned = super().clean()
        if self.actor is not None and self.instance.pk:
            fields = ("role", "is_active", "is_superuser")
            changes = {f: cleaned[f] for f in fields if f in cleaned}
            for message in services.refusals_for(self.actor, self.instance, changes):
                self.add_error(None, message)
        return cleaned


def with_actor(form, request):
    return type(form.__name__, (RefusedStaffChanges, form), {"actor": request.user})
