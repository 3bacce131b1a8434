"""Every event written writes each index of its table: drop the foreign keys' own indexes on
``actor`` and ``application``, which the indexes beginning with them (with ``at``) serve.
Only the indexes are dropped (the foreign key constraints stay, so no table is scanned
again)."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def drop_index(name: str, column: str) -> migrations.RunSQL:
    return migrations.RunSQL(
        f'DROP INDEX IF EXISTS "{name}"',
        f'CREATE INDEX "{name}" ON "audit_auditevent" ("{column}")',
    )


class Migration(migrations.Migration):
    dependencies = [
        ("applications", "0003_online_answers"),
        ("audit", "0001_initial"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[
                drop_index("audit_auditevent_actor_id_270bb4b7", "actor_id"),
                drop_index("audit_auditevent_application_id_c6113607", "application_id"),
            ],
            state_operations=[
                migrations.AlterField(
                    model_name="auditevent",
                    name="actor",
                    field=models.ForeignKey(
                        db_index=False,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                migrations.AlterField(
                    model_name="auditevent",
                    name="application",
                    field=models.ForeignKey(
                        blank=True,
                        db_index=False,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="audit_events",
                        to="applications.application",
                    ),
                ),
            ],
        ),
    ]
