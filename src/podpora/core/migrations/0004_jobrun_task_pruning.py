# Periodic jobs claimed once per round however many schedulers run (core.schedule), and an
# index that lets the pruning job find finished tasks by age without reading the whole queue
# (django_tasks_db has none on finished_at; a partial index on both SQLite and PostgreSQL).

from django.db import migrations, models

INDEX = (
    "CREATE INDEX IF NOT EXISTS podpora_task_finished_idx "
    "ON django_tasks_database_dbtaskresult (finished_at) "
    "WHERE status IN ('SUCCESSFUL', 'FAILED')"
)

# /metrics counts SLA warnings and breaches from the history; a small partial index holds just
# those events.
SLA_EVENTS = (
    "CREATE INDEX IF NOT EXISTS podpora_event_sla_idx ON tickets_event (kind) "
    "WHERE kind IN ('sla_warned', 'sla_breached')"
)


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0003_blob_layout"),
        ("django_tasks_database", "0021_conditional_partial_index_ordering"),
        ("tickets", "0001_initial"),
    ]

    operations = [
        migrations.CreateModel(
            name="JobRun",
            fields=[
                ("name", models.CharField(max_length=60, primary_key=True, serialize=False)),
                ("due_at", models.DateTimeField()),
                ("started_at", models.DateTimeField(blank=True, null=True)),
                ("finished_at", models.DateTimeField(blank=True, null=True)),
                ("result", models.CharField(blank=True, max_length=500)),
                ("ok", models.BooleanField(default=True)),
            ],
            options={
                "verbose_name": "periodická úloha",
                "verbose_name_plural": "periodické úlohy",
            },
        ),
        migrations.RunSQL(INDEX, "DROP INDEX IF EXISTS podpora_task_finished_idx"),
        migrations.RunSQL(SLA_EVENTS, "DROP INDEX IF EXISTS podpora_event_sla_idx"),
    ]
