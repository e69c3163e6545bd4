"""Seed the policy parameters the printable 明白纸 read (dixian.monitoring.leaflets).

Only figures DOMAIN.md gives are seeded. 农村低保标准 (dibao_rural_standard) is left
unseeded: DOMAIN.md gives no 上犹县/赣州 figure, so the sheet shows 「未设置」 until the
county enters the standard 县民政局 publishes.
"""

from django.db import migrations

# (year, code, value, source): from 2024, like the other parameters of 0002.
KNOWN_VALUES = [
    (2024, "microcredit_term_years", "3", "脱贫人口小额信贷：期限不超过3年（DOMAIN.md §5）"),
    (2024, "self_report_accept_days", "2", "农户通过App自主申报，乡镇2天内受理（DOMAIN.md §4）"),
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
    dependencies = [("registry", "0004_screening_parameters")]
    operations = [migrations.RunPython(seed, unseed)]
