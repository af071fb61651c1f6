from django.urls import path

from . import purchases, views

app_name = "billing"

urlpatterns = [
    path("export/", views.export_view, name="export"),
    path("export/mark/", views.mark_view, name="mark"),
    path("invoicings/<int:pk>/cancel/", views.cancel_view, name="cancel"),
    path("tickets/<str:number>/time/", views.log_time_view, name="log_time"),
    path("purchases/", purchases.purchases_view, name="purchases"),
]
