from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("odgj", "0001_initial")]

    operations = [
        migrations.RunSQL(
            "CREATE SEQUENCE IF NOT EXISTS odgj_change_seq",
            "DROP SEQUENCE IF EXISTS odgj_change_seq",
        ),
    ]
