# The staff member's name on the trajectory, kept by the database (triggers, trajecten/zoeknaam.py), for the
# name search among open trajectories (issue 14): a trigram index on the open trajectories instead of probing
# every staff member of that name VO-wide. The index is PostgreSQL's (as in 0008); the triggers exist on
# PostgreSQL and SQLite. The column is added with ALTER TABLE on both: Django would remake the table on
# SQLite, and recreate there the PostgreSQL-only indexes of the model state.

import django.contrib.postgres.indexes
import django.db.models.functions.text
from django.db import migrations, models

from trajecten import zoeknaam
from trajecten.migration_operations import AddIndexOnPostgres

ADD_COLUMN = "ALTER TABLE trajecten_traject ADD COLUMN zoeknaam varchar(250) NOT NULL DEFAULT ''"


def forwards(apps, schema_editor):
    schema_editor.execute(ADD_COLUMN)
    zoeknaam.install(schema_editor.connection)
    zoeknaam.fill(schema_editor.connection)


def backwards(apps, schema_editor):
    zoeknaam.drop(schema_editor.connection)
    schema_editor.execute("ALTER TABLE trajecten_traject DROP COLUMN zoeknaam")


class Migration(migrations.Migration):

    dependencies = [
        ('trajecten', '0011_werklijst_indexen_include'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AddField(
                    model_name='traject',
                    name='zoeknaam',
                    field=models.CharField(blank=True, default='', editable=False, max_length=250, verbose_name='zoeknaam'),
                ),
            ],
            database_operations=[migrations.RunPython(forwards, backwards)],
        ),
        AddIndexOnPostgres(
            model_name='traject',
            index=django.contrib.postgres.indexes.GinIndex(django.contrib.postgres.indexes.OpClass(django.db.models.functions.text.Upper('zoeknaam'), name='gin_trgm_ops'), condition=models.Q(('status', 'afgesloten'), _negated=True), name='traject_open_zoeknaam_trgm'),
        ),
    ]
