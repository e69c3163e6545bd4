"""Seed 上犹县 (DOMAIN.md §2, 统计用区划代码 2023) and its county-level org units.

城市社区管委会 has no code in the national list; it is given 360724001 (the street-office
range of the county) so that its communities can carry 12-digit codes beneath it.
"""

from django.db import migrations

PROVINCE = ("360000000000", "江西省")
CITY = ("360700000000", "赣州市")
COUNTY = ("360724000000", "上犹县")
TOWNSHIPS = [
    ("360724001000", "城市社区管委会", "非统计用区划代码：本系统为城市社区管委会设定"),
    ("360724100000", "东山镇", ""),
    ("360724101000", "陡水镇", ""),
    ("360724102000", "社溪镇", ""),
    ("360724103000", "营前镇", ""),
    ("360724104000", "黄埠镇", ""),
    ("360724105000", "寺下镇", ""),
    ("360724200000", "梅水乡", ""),
    ("360724201000", "油石乡", ""),
    ("360724202000", "安和乡", ""),
    ("360724204000", "双溪乡", ""),
    ("360724205000", "水岩乡", ""),
    ("360724206000", "平富乡", ""),
    ("360724207000", "五指峰乡", ""),
    ("360724208000", "紫阳乡", ""),
    ("360724400000", "上犹工业园区", "统计单位"),
]
DEPARTMENTS = ["县民政局", "县人力资源和社会保障局", "县教育局", "县医疗保障局", "县财政局"]


def seed(apps, schema_editor):
    Area = apps.get_model("areas", "Area")
    OrgUnit = apps.get_model("areas", "OrgUnit")
    province, _ = Area.objects.get_or_create(code=PROVINCE[0], defaults={"name": PROVINCE[1], "level": "province"})
    city, _ = Area.objects.get_or_create(
        code=CITY[0], defaults={"name": CITY[1], "level": "city", "parent": province}
    )
    county, _ = Area.objects.get_or_create(
        code=COUNTY[0], defaults={"name": COUNTY[1], "level": "county", "parent": city}
    )
    OrgUnit.objects.get_or_create(area=county, name="上犹县农业农村局", defaults={"kind": "county_bureau"})
    for name in DEPARTMENTS:
        OrgUnit.objects.get_or_create(area=county, name=name, defaults={"kind": "county_department"})
    for code, name, note in TOWNSHIPS:
        township, _ = Area.objects.get_or_create(
            code=code, defaults={"name": name, "level": "township", "parent": county, "note": note}
        )
        government = name if name.endswith("管委会") or name.endswith("园区") else f"{name}人民政府"
        OrgUnit.objects.get_or_create(area=township, name=government, defaults={"kind": "township_government"})


class Migration(migrations.Migration):
    dependencies = [("areas", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
