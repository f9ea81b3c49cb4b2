from django.db import migrations, models


def _until_due(apps, schema_editor):
    # Incidents opened before: judged as they were (the due instant); new ones get the real instant.
    Incident = apps.get_model("incidents", "Incident")
    Incident.objects.filter(response_due_at__isnull=False).update(
        response_counts_until=models.F("response_due_at")
    )


class Migration(migrations.Migration):
    dependencies = [("incidents", "0002_timeline_kind_choices")]

    operations = [
        migrations.AddField(
            model_name="incident",
            name="response_counts_until",
            field=models.DateTimeField(blank=True, null=True, verbose_name="response counts until"),
        ),
        migrations.RunPython(_until_due, migrations.RunPython.noop),
    ]
