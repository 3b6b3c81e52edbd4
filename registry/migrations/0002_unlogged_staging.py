from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("registry", "0001_initial")]

    operations = [
        # Staging rows are rebuilt from the uploaded file if lost: skip the WAL.
        migrations.RunSQL(
            "ALTER TABLE registry_dtksstagingrow SET UNLOGGED",
            "ALTER TABLE registry_dtksstagingrow SET LOGGED",
        ),
    ]
