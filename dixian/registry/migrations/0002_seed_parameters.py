"""Seed the yearly policy parameters known from DOMAIN.md and the county notice."""

from django.db import migrations

# (year, code, value, source)
KNOWN_VALUES = [
    (2024, "monitoring_line", "8500", "赣州市2024年防止返贫监测范围（南康区公布）"),
    (2024, "focus_income_line", "10000", "县通知第2条：年人均纯收入低于1万元"),
    (2023, "national_rural_income", "21691", "国家统计局2023年统计公报"),
    (2024, "national_rural_income", "23119", "国家统计局2024年统计公报"),
    (2023, "national_rural_growth", "0.077", "国家统计局2023年统计公报"),
    (2024, "national_rural_growth", "0.066", "国家统计局2024年统计公报"),
    (2024, "income_drop_ratio", "0.30", "默认值"),
    (2024, "many_students_min", "3", "默认值"),
    (2024, "measure_due_days", "30", "默认值"),
    (2024, "identification_days", "15", "识别认定程序：15天内"),
    (2024, "publicity_days", "5", "村级评议公示不少于5天"),
    (2024, "elimination_min_months", "6", "风险消除：监测不少于6个月"),
    (2024, "yulu_semester_amount", "1500", "雨露计划每学年3000元，春秋各1500元"),
    (2024, "transport_subsidy_out_province", "500", "江西历年标准：省外"),
    (2024, "transport_subsidy_in_province", "300", "江西历年标准：省内跨县"),
    (2024, "industry_award_cap", "1500", "江西示例：每人每年上限"),
    (2024, "industry_share_min", "0.60", "县通知第3条"),
    (2024, "payment_progress_september_min", "0.75", "县通知第3条"),
    (2024, "income_ledger_deadline", "08-09", "县通知第2条"),
    (2024, "microcredit_cap", "50000", "小额信贷一般不超过5万元"),
]


def seed(apps, schema_editor):
    PolicyParameter = apps.get_model("registry", "PolicyParameter")
    for year, code, value, source in KNOWN_VALUES:
        PolicyParameter.objects.get_or_create(year=year, code=code, defaults={"value": value, "source": source})


class Migration(migrations.Migration):
    dependencies = [("registry", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
