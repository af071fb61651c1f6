from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _lazy

from podpora.core import storage
from podpora.core.forms import safe_upload_name

from .models import Product, Release, ReleaseFile, Service, Specialist, Version


class VersionInline(admin.TabularInline):
    model = Version
    extra = 0


@admin.register(Product)
class ProductAdmin(admin.ModelAdmin):
    list_display = ("name", "code", "vendor")
    inlines = [VersionInline]


class ReleaseFileForm(forms.ModelForm):
    """A file uploaded here goes into the content-addressed store; its name is made safe."""

    upload = forms.FileField(label=_lazy("soubor"), required=False)

    class Meta:
        model = ReleaseFile
        fields = ("upload", "filename")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["filename"].required = False

    def clean(self):
        data = super().clean()
        if not data.get("upload") and not self.instance.blob_id:
            self.add_error("upload", _lazy("Vyberte soubor ke stažení."))
        return data

    def save(self, commit=True):
        upload = self.cleaned_data.get("upload")
        if upload:
            self.instance.blob = storage.store_stream(upload.chunks())
            if not self.cleaned_data.get("filename"):
                self.instance.filename = safe_upload_name(upload.name)
        self.instance.filename = safe_upload_name(self.instance.filename)
        return super().save(commit)


class ReleaseFileInline(admin.TabularInline):
    model = ReleaseFile
    form = ReleaseFileForm
    extra = 1


@admin.register(Release)
class ReleaseAdmin(admin.ModelAdmin):
    list_display = ("version", "product", "official", "published_at")
    inlines = [ReleaseFileInline]


@admin.register(Service)
class ServiceAdmin(admin.ModelAdmin):
    list_display = ("name", "vendor", "unit", "price", "vat_rate")
    list_filter = ("vendor",)


@admin.register(Specialist)
class SpecialistAdmin(admin.ModelAdmin):
    list_display = ("name", "company", "region", "vendor", "certified_until", "published")
    list_filter = ("vendor", "published")
    search_fields = ("name", "company")
    filter_horizontal = ("products",)
