"""pg_trgm (the one extension we use) and Balikpapan's 6 kecamatan / 34 kelurahan."""

import json
from pathlib import Path

from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations

DATA_FILE = Path(__file__).resolve().parent.parent / "data" / "wilayah_balikpapan.json"


def load_geography(apps, schema_editor):
    Kecamatan = apps.get_model("core", "Kecamatan")
    Kelurahan = apps.get_model("core", "Kelurahan")
    data = json.loads(DATA_FILE.read_text(encoding="utf-8"))
    for kec in data["kecamatan"]:
        kecamatan, _ = Kecamatan.objects.update_or_create(
            code=kec["code"], defaults={"name": kec["name"]}
        )
        for suffix, name in kec["kelurahan"]:
            Kelurahan.objects.update_or_create(
                code=f"{kec['code']}.{suffix}",
                defaults={"name": name, "kecamatan": kecamatan},
            )


class Migration(migrations.Migration):
    dependencies = [("core", "0001_initial")]

    operations = [
        TrigramExtension(),
        migrations.RunPython(load_geography, migrations.RunPython.noop),
    ]
