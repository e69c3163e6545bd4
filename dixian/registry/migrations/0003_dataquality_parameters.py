"""Seed the policy parameters the data-quality checks (dixian.dataquality) read."""

from django.db import migrations

# (year, code, value, source): set from 2020 so that every data year of the platform has them.
KNOWN_VALUES = [
    (2020, "labour_age_min", "16", "劳动年龄 16–59 岁（国家系统劳动力口径）"),
    (2020, "labour_age_max", "59", "劳动年龄 16–59 岁（国家系统劳动力口径）"),
    (2020, "elderly_labour_age", "65", "疑点核查：65 岁以上标注为劳动力"),
    (2020, "wage_month_max", "30000", "疑点核查：务工月收入高于 3 万元"),
    (2020, "wage_month_min", "100", "疑点核查：务工月收入低于 100 元"),
]


def seed(apps, schema_editor):
    PolicyParameter = apps.get_model("registry", "PolicyParameter")
    for year, code, value, source in KNOWN_VALUES:
        PolicyParameter.objects.get_or_create(year=year, code=code, defaults={"value": value, "source": source})


def unseed(apps, schema_editor):
    PolicyParameter = apps.get_model("registry", "PolicyParameter")
    for year, code, _, _ in KNOWN_VALUES:
        PolicyParameter.objects.filter(year=year, code=code).delete()


class Migration(migrations.Migration):
    dependencies = [("registry", "0002_seed_parameters")]
    operations = [migrations.RunPython(seed, unseed)]
