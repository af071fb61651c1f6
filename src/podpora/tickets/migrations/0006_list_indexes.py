from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("tickets", "0005_entitlement_params")]

    operations = [
        migrations.RemoveIndex(
            model_name="ticket",
            name="ticket_queue",
        ),
        migrations.RemoveIndex(
            model_name="ticket",
            name="ticket_org",
        ),
        migrations.AddIndex(
            model_name="ticket",
            index=models.Index(fields=["vendor", "state", "created_at", "id"], name="ticket_queue"),
        ),
        migrations.AddIndex(
            model_name="ticket",
            index=models.Index(fields=["vendor", "created_at", "id"], name="ticket_vendor_recent"),
        ),
        migrations.AddIndex(
            model_name="ticket",
            index=models.Index(fields=["organization", "created_at", "id"], name="ticket_org"),
        ),
    ]
