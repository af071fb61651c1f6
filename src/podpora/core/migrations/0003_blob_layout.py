# Blobs move from two levels of directories (ab/cd/abcd…) to one (ab/abcd…): see
# podpora.core.storage.blob_path. Files only; the database does not change.

from pathlib import Path

from django.conf import settings
from django.db import migrations


def flatten(apps, schema_editor):
    from podpora.core.storage import flatten_layout

    root = Path(settings.STORAGE_DIR)
    if root.is_dir():
        flatten_layout(root)


class Migration(migrations.Migration):
    dependencies = [("core", "0002_configversion")]

    operations = [migrations.RunPython(flatten, migrations.RunPython.noop, elidable=True)]
