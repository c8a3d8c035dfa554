import secrets

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

import maakstad.attendance.models


def fill_handles(apps, schema_editor):
    Session = apps.get_model("attendance", "Session")
    for session in Session.objects.filter(handle__isnull=True):
        session.handle = secrets.token_urlsafe(9)
        session.save(update_fields=["handle"])


class Migration(migrations.Migration):
    dependencies = [
        ("attendance", "0001_initial"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="session", name="handle", field=models.CharField(editable=False, max_length=16, null=True)
        ),
        migrations.RunPython(fill_handles, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="session",
            name="handle",
            field=models.CharField(
                default=maakstad.attendance.models.new_handle, editable=False, max_length=16, unique=True
            ),
        ),
        migrations.AlterField(
            model_name="session", name="static_code", field=models.CharField(blank=True, db_index=True, max_length=16)
        ),
        migrations.AddField(
            model_name="session", name="duration_confirmed_at", field=models.DateTimeField(blank=True, null=True)
        ),
        migrations.AddField(
            model_name="session",
            name="supervisor_rating",
            field=models.PositiveSmallIntegerField(blank=True, null=True, verbose_name="Hoe was het? (begeleider)"),
        ),
        migrations.AddField(
            model_name="attendance",
            name="rating",
            field=models.PositiveSmallIntegerField(blank=True, null=True, verbose_name="Hoe was het?"),
        ),
        migrations.AddField(
            model_name="attendance", name="absence_notified_at", field=models.DateTimeField(blank=True, null=True)
        ),
        migrations.CreateModel(
            name="ReportedHours",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="aangemaakt")),
                ("updated_at", models.DateTimeField(auto_now=True, verbose_name="gewijzigd")),
                ("school_year", models.CharField(max_length=9, verbose_name="schooljaar")),
                ("half", models.PositiveSmallIntegerField(choices=[(1, "1e halfjaar"), (2, "2e halfjaar")], verbose_name="halfjaar")),
                ("hours", models.DecimalField(decimal_places=1, max_digits=9, verbose_name="uren")),
                ("company", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="+", to="organisations.organisation", verbose_name="bedrijf")),
                ("region", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="reported_hours", to="organisations.region")),
                ("reported_by", models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name="+", to=settings.AUTH_USER_MODEL)),
                ("school", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="reported_hours", to="organisations.organisation", verbose_name="school")),
            ],
            options={
                "verbose_name": "gemelde stage-uren",
                "verbose_name_plural": "gemelde stage-uren",
                "constraints": [
                    models.UniqueConstraint(fields=("school", "company", "school_year", "half"), name="reportedhours_unique"),
                    models.CheckConstraint(condition=models.Q(("hours__gte", 0)), name="reportedhours_positive"),
                ],
            },
        ),
    ]
