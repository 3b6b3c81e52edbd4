from django.db import migrations

from registry.reference import load_sktm_purposes


def load(apps, schema_editor):
    load_sktm_purposes(apps.get_model("registry", "SktmPurpose"))


class Migration(migrations.Migration):
    dependencies = [("registry", "0002_unlogged_staging")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
