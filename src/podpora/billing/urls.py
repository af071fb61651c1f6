from django.urls import path

from . import proforma_views, purchases, views

app_name = "billing"

urlpatterns = [
    path("export/", views.export_view, name="export"),
    path("export/mark/", views.mark_view, name="mark"),
    path("invoicings/<int:pk>/cancel/", views.cancel_view, name="cancel"),
    path("tickets/<str:number>/time/", views.log_time_view, name="log_time"),
    path("proformas/", proforma_views.list_view, name="proformas"),
    path("proformas/<int:pk>/pdf/", proforma_views.pdf_view, name="proforma_pdf"),
    path("proformas/<int:pk>/paid/", proforma_views.paid_view, name="proforma_paid"),
    path("purchases/", purchases.purchases_view, name="purchases"),
]
