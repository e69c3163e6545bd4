"""Seed the policy parameter the screening rule C02 reads (dixian.monitoring.rules)."""

from django.db import migrations

# (year, code, value, source): from 2024, like the other screening parameters of 0002.
KNOWN_VALUES = [
    (2024, "open_case_review_days", "365", "县通知第1条：纳入一年以上未消除的逐户分析"),
]


def seed(apps, schema_editor):
    PolicyParameter = apps.get_model("registry", "PolicyParameter")
    for year, code, value, source in KNOWN_VALUES:
        PolicyParameter.objects.get_or_create(
            year=year, code=code, defaults={"value": value, "source": source}
        )


def unseed(apps, schema_editor):
    PolicyParameter = apps.get_model("registry", "PolicyParameter")
    for year, code, _, _ in KNOWN_VALUES:
        PolicyParameter.objects.filter(year=year, code=code).delete()


class Migration(migrations.Migration):
    dependencies = [("registry", "0003_dataquality_parameters")]
    operations = [migrations.RunPython(seed, unseed)]
