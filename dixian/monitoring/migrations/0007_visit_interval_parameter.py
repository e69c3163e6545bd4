"""Seed the parameter the cadre home page reads for due visits (visit_interval_days)."""

from django.db import migrations

# (year, code, value, source): from 2024, like the screening parameters of registry 0002/0004.
KNOWN_VALUES = [
    (2024, "visit_interval_days", "30", "县通知第1条：落实常态化工作机制（结对帮扶户常态化走访）"),
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
    dependencies = [
        ("monitoring", "0006_measure_responsible_cadre"),
        ("registry", "0004_screening_parameters"),
    ]
    operations = [migrations.RunPython(seed, unseed)]
