from django.db import migrations

from bpjs.reference import load_reference_data


def load(apps, schema_editor):
    load_reference_data(
        apps.get_model("bpjs", "HealthFacility"),
        apps.get_model("bpjs", "PremiumRate"),
        apps.get_model("bpjs", "BudgetCeiling"),
    )


class Migration(migrations.Migration):
    dependencies = [("bpjs", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
