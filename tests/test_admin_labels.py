"""The operator's and the vendor's administration speak Czech: no model or field is labelled
with its internal name, and every page of the operator's admin opens."""

from __future__ import annotations

import re

import pytest

#: words that are the same in Czech as the field's name
SAME_IN_CZECH = {"role", "licence", "web"}


def _models():
    from django.apps import apps

    return [m for m in apps.get_models() if m.__module__.startswith("podpora")]


def test_every_model_and_field_has_a_czech_label():
    from django.utils import translation

    english = []
    with translation.override("cs"):
        for model in _models():
            opts = model._meta
            if not opts.managed:
                continue
            default = re.sub(r"(?<!^)(?=[A-Z])", " ", opts.object_name).lower()
            if str(opts.verbose_name) == default and default not in SAME_IN_CZECH:
                english.append(opts.label)
            for field in opts.get_fields():
                if field.auto_created or field.model is not model or field.primary_key:
                    continue
                name = field.name.replace("_", " ")
                if str(field.verbose_name) == name and field.name not in SAME_IN_CZECH:
                    english.append(f"{opts.label}.{field.name}")
    assert english == []


@pytest.mark.django_db
def test_every_page_of_the_operators_admin_opens_in_czech(client, cast):
    from django.contrib import admin

    from podpora.accounts.models import User

    root = User.objects.create_superuser("root", "root@example.cz", "heslo-123")
    client.force_login(root)
    index = client.get("/admin/")
    assert index.status_code == 200
    assert '<html lang="cs"' in index.content.decode()
    for model in admin.site._registry:
        opts = model._meta
        url = f"/admin/{opts.app_label}/{opts.model_name}/"
        response = client.get(url)
        assert response.status_code == 200, url
        assert str(opts.verbose_name_plural).lower() in response.content.decode().lower(), url
        row = model._default_manager.first()
        if row is not None:
            response = client.get(f"{url}{row.pk}/change/")
            assert response.status_code == 200, url
