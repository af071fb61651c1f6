from django import forms
from django.utils.translation import gettext_lazy as _

from podpora.accounts.models import Team, User
from podpora.customers.scopes import scope_choices

from .models import Macro


class MacroForm(forms.ModelForm):
    class Meta:
        model = Macro
        fields = [
            "name",
            "team",
            "body_cs",
            "body_sk",
            "body_en",
            "set_state",
            "set_impact",
            "set_urgency",
            "set_type",
            "set_scope",
            "set_assignee",
            "assign_to_actor",
            "is_active",
        ]
        widgets = {f"body_{lang}": forms.Textarea(attrs={"rows": 5}) for lang in ("cs", "sk", "en")}

    def __init__(self, *args, vendor, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.vendor = vendor
        self.fields["team"].queryset = Team.objects.filter(vendor=vendor).order_by("name")
        self.fields["set_assignee"].queryset = User.objects.filter(
            kind="staff", is_active=True, vendor=vendor
        ).order_by("last_name", "username")
        self.fields["set_scope"] = forms.ChoiceField(
            label=Macro._meta.get_field("set_scope").verbose_name,
            choices=[("", _("beze změny"))] + [c for c in scope_choices(vendor, None) if c[0]],
            required=False,
        )
