from django.db import migrations, models


def backfill(apps, schema_editor):
    # derived rows only: the same computation as `manage.py insights_facts_rebuild`
    from insights.facts import facts_rebuild

    facts_rebuild()


class Migration(migrations.Migration):

    dependencies = [
        ('insights', '0001_initial'),
        ('shop', '0004_product_details'),
    ]

    operations = [
        migrations.CreateModel(
            name='OrderFact',
            fields=[
                ('order_id', models.BigIntegerField(primary_key=True, serialize=False)),
                ('customer', models.CharField(db_index=True, max_length=300)),
                ('member_id', models.BigIntegerField(null=True)),
                ('t', models.BigIntegerField()),
                ('net', models.FloatField()),
                ('prev_t', models.BigIntegerField(null=True)),
                ('next_t', models.BigIntegerField(null=True)),
                ('first_t', models.BigIntegerField()),
            ],
            options={
                'default_permissions': (),
                'indexes': [models.Index(fields=['first_t'], name='insights_fact_first_t')],
            },
        ),
        migrations.RunPython(backfill, migrations.RunPython.noop),
    ]
