from django.db import migrations

from puskesos.reference import load_reference_data


def load(apps, schema_editor):
    load_reference_data(
        apps.get_model("puskesos", "NeedCategory"),
        apps.get_model("puskesos", "Agency"),
        apps.get_model("puskesos", "Holiday"),
        apps.get_model("puskesos", "Counter"),
        apps.get_model("core", "Kelurahan"),
    )


class Migration(migrations.Migration):
    dependencies = [("puskesos", "0001_initial"), ("core", "0002_trigram_and_geography")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
