"""Every use recorded writes each index of its table: drop the ones another index already
covers — a second index on ``voucher`` and the foreign keys' own indexes on ``facility`` and
``municipality``, which the indexes beginning with them serve. Only the indexes are dropped
(the foreign key constraints stay as they are, so no table is scanned again)."""

import django.db.models.deletion
from django.db import migrations, models


def drop_index(name: str, table: str, column: str) -> migrations.RunSQL:
    return migrations.RunSQL(
        f'DROP INDEX IF EXISTS "{name}"', f'CREATE INDEX "{name}" ON "{table}" ("{column}")'
    )


class Migration(migrations.Migration):
    dependencies = [
        ("facilities", "0001_initial"),
        ("municipalities", "0001_initial"),
        ("usage", "0004_use_recorded_figures_index"),
    ]

    operations = [
        migrations.RemoveIndex(model_name="use", name="usage_use_voucher_29245d_idx"),
        migrations.SeparateDatabaseAndState(
            database_operations=[
                drop_index("usage_use_facility_id_f21daa97", "usage_use", "facility_id"),
                drop_index("usage_use_municipality_id_a9fcc864", "usage_use", "municipality_id"),
            ],
            state_operations=[
                migrations.AlterField(
                    model_name="use",
                    name="facility",
                    field=models.ForeignKey(
                        blank=True,
                        db_index=False,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="uses",
                        to="facilities.facility",
                    ),
                ),
                migrations.AlterField(
                    model_name="use",
                    name="municipality",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="municipalities.municipality",
                    ),
                ),
            ],
        ),
    ]
