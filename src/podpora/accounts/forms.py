"""What the operator's and the vendor's administration share of their users' pages."""

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


class StaffChangesAdmin:
    """A user admin whose changes go through :func:`services.update_staff`, refused in the form
    first; ``add_user`` stores a new one."""

    def get_form(self, request, obj=None, **kwargs):
        return with_actor(super().get_form(request, obj, **kwargs), request)

    def save_model(self, request, obj, form, change):
        if change:
            services.update_staff(request.user, obj, form.changed_data)
        else:
            self.add_user(request, obj, form)

    def add_user(self, request, obj, form):
        super().save_model(request, obj, form, False)
