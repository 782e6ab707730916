"""Four foreign-key indexes that composite indexes already lead with are dropped.

Case.municipality (some fifteen indexes lead with it), Case.assignee (case_assignee),
Case.reporter (case_reporter) and CaseUpdate.case (case_update_timeline): each was upkeep
for every submission and import and served no query the others do not (docs/benchmarks.md).

Only the indexes go: `db_index=False` is told to the migration state, and the database gets a
plain DROP INDEX. Django's own AlterField would copy the whole case table on SQLite, once
per field, to drop an index.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

INDEXES = [
    ("cases_case_municipality_id_d40b1c25", "cases_case", "municipality_id"),
    ("cases_case_assignee_id_28343c2e", "cases_case", "assignee_id"),
    ("cases_case_reporter_id_7d7d0c2b", "cases_case", "reporter_id"),
    ("cases_caseupdate_case_id_fc3fdc3c", "cases_caseupdate", "case_id"),
]


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0009_assignee_index_for_inbox_counts"),
        ("cities", "0001_initial"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="case",
                    name="assignee",
                    field=models.ForeignKey(
                        blank=True,
                        db_index=False,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="assigned_cases",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="assignee",
                    ),
                ),
                migrations.AlterField(
                    model_name="case",
                    name="municipality",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="cases",
                        to="cities.municipality",
                        verbose_name="municipality",
                    ),
                ),
                migrations.AlterField(
                    model_name="case",
                    name="reporter",
                    field=models.ForeignKey(
                        blank=True,
                        db_index=False,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="reported_cases",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="reporter",
                    ),
                ),
                migrations.AlterField(
                    model_name="caseupdate",
                    name="case",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="updates",
                        to="cases.case",
                    ),
                ),
            ],
            database_operations=[
                migrations.RunSQL(
                    sql=f'DROP INDEX IF EXISTS "{name}"',
                    reverse_sql=f'CREATE INDEX "{name}" ON "{table}" ("{column}")',
                )
                for name, table, column in INDEXES
            ],
        )
    ]
