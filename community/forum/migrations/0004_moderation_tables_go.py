"""The forum's reports, suspensions and moderation log, carried over to community.moderation by
0003, go (in their own migration, so no table is dropped in the transaction that filled others)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("forum", "0003_moderation_moves"),
    ]

    operations = [
        migrations.DeleteModel(name="ModerationLog"),
        migrations.DeleteModel(name="Report"),
        migrations.DeleteModel(name="Suspension"),
    ]
