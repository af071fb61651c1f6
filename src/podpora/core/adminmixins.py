"""Administration shared by the apps."""


class NoWrites:
    """Shown, never written in the administration: the rows change only through their services
    (or, for the history, never)."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
