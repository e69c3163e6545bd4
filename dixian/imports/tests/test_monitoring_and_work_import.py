from __future__ import annotations

import datetime as dt
from decimal import Decimal

from dixian.employment.models import EmploymentRecord, WorkPlan
from dixian.imports import columns as C
from dixian.imports.columns import Kind
from dixian.imports.tests.conftest import errors_of, import_file, stage
from dixian.imports.tests.helpers import HEAD_ID, OTHER_HEAD_ID, SON_ID, family, monitoring_family, table
from dixian.monitoring.models import AssistanceMeasure, CaseRisk, MonitoringCase
from dixian.registry.models import HouseholdIncome


def monitoring_file(rows):
    return table(Kind.MONITORING, rows)


def test_monitoring_file_imports_case_risks_income_and_measures(county_user):
    batch = import_file(monitoring_file(monitoring_family()), county_user, name="（自定义）监测对象信息.xlsx")
    assert batch.kind == Kind.MONITORING and batch.count_create == 3
    case = MonitoringCase.objects.get()
    assert (case.category, case.identified_on, case.eliminated) == (
        "脱贫不稳定户",
        dt.date(2024, 3, 1),
        False,
    )
    assert [r.risk_type for r in case.risks.order_by("position")] == ["因病", "因学"]
    income = HouseholdIncome.objects.get(year=2024)
    assert (income.wage, income.members, income.per_capita_net) == (Decimal(15000), 3, Decimal(6000))
    measures = {m.measure_type: m for m in AssistanceMeasure.objects.all()}
    assert set(measures) == {"健康帮扶", "就业帮扶"}
    assert measures["就业帮扶"].detail == "外出务工补贴"
    assert (
        measures["就业帮扶"].source == AssistanceMeasure.Source.IMPORT and measures["就业帮扶"].case == case
    )


def test_monitoring_reimport_is_unchanged_and_adds_no_history(county_user):
    content = monitoring_file(monitoring_family())
    import_file(content, county_user)
    counts = [m.history.count() for m in (MonitoringCase, CaseRisk, AssistanceMeasure, HouseholdIncome)]
    again = import_file(content, county_user)
    assert again.count_unchanged == 3
    assert [
        m.history.count() for m in (MonitoringCase, CaseRisk, AssistanceMeasure, HouseholdIncome)
    ] == counts


def test_elimination_updates_the_case_and_leaves_history(county_user):
    import_file(monitoring_file(monitoring_family()), county_user)
    rows = monitoring_family()
    for r in rows:
        r.update({C.ELIMINATED: "是", C.ELIMINATION_METHOD: "帮扶消除", C.ELIMINATED_ON: "202412"})
    later = import_file(monitoring_file(rows), county_user)
    assert later.count_update == 1
    case = MonitoringCase.objects.get()
    assert (case.eliminated, case.elimination_method, case.eliminated_on) == (
        True,
        "帮扶消除",
        dt.date(2024, 12, 1),
    )
    assert case.history.count() == 2


def test_income_mismatch_is_rejected(county_user):
    rows = monitoring_family()
    for r in rows:
        r[C.PER_CAPITA] = "6500"
    errors = errors_of(stage(monitoring_file(rows), county_user))
    assert (4, C.PER_CAPITA, "6500.00", "按收入各项和3名成员计算为6000.00元，相差超过1元") in errors


def test_income_within_one_yuan_is_accepted(county_user):
    rows = monitoring_family()
    for r in rows:
        r[C.PER_CAPITA] = "6000.90"
    assert stage(monitoring_file(rows), county_user).count_rejected == 0


def test_eliminated_case_needs_method_and_month(county_user):
    rows = monitoring_family()
    rows[0][C.ELIMINATED] = "是"
    errors = errors_of(stage(monitoring_file(rows), county_user))
    assert (4, C.ELIMINATION_METHOD, "", "风险已消除时必填") in errors
    assert (4, C.ELIMINATED_ON, "", "风险已消除时必填") in errors


def test_bad_month_and_unknown_risk(county_user):
    rows = monitoring_family()
    rows[0][C.IDENTIFIED] = "三月"
    rows[0]["致贫/返贫风险1"] = "因懒"
    errors = errors_of(stage(monitoring_file(rows), county_user))
    assert (4, C.IDENTIFIED, "三月", "年月格式无法识别（应为YYYYMM）") in errors
    assert any(e[:3] == (4, "致贫/返贫风险1", "因懒") for e in errors)


def test_alleviated_household_without_category_has_no_case(county_user):
    rows = [{**r, C.CATEGORY: "", C.IDENTIFIED: ""} for r in monitoring_family()]
    import_file(monitoring_file(rows), county_user)
    assert not MonitoringCase.objects.exists()
    assert HouseholdIncome.objects.count() == 1


def employment_row(id_number=SON_ID, **overrides):
    row = {
        C.ID_NUMBER: id_number,
        "是否已务工": "是",
        "务工所在省": "广东省",
        "务工所在县": "东莞市",
        "开始时间": "2024-02-20",
        "结束时间": "",
        "务工月收入": "4500",
        "务工企业名称": "某电子厂",
        "所属行业": "制造业",
        "就业渠道": "劳务输出",
        "是否点对点输送": "是",
        "年度交通费补助": "500",
    }
    return row | overrides


def test_employment_file_imports_matched_by_id(county_user):
    import_file(table(Kind.HOUSEHOLD, family()), county_user)
    rows = [employment_row(), employment_row(OTHER_HEAD_ID)]
    batch = import_file(
        table(Kind.EMPLOYMENT, rows),
        county_user,
        mode="valid",
        name="（务工月监测）已外出务工信息_20240630.xlsx",
    )
    record = EmploymentRecord.objects.get()
    assert record.person.id_number == SON_ID and record.county == "东莞市"
    assert record.started_on == dt.date(2024, 2, 20) and record.monthly_income == Decimal(4500)
    assert (5, C.ID_NUMBER, OTHER_HEAD_ID, "系统中没有此人（请先导入户信息）") in errors_of(batch)
    again = import_file(table(Kind.EMPLOYMENT, [employment_row()]), county_user)
    assert again.count_unchanged == 1 and record.history.count() == 1
    import_file(table(Kind.EMPLOYMENT, [employment_row(**{"务工月收入": "5000"})]), county_user)
    assert record.history.count() == 2


def test_work_plan_file_imports(county_user):
    import_file(table(Kind.HOUSEHOLD, family()), county_user)
    rows = [{C.ID_NUMBER: HEAD_ID, "是否计划务工": "是", "就业服务需求": "技能培训"}]
    batch = import_file(table(Kind.WORK_PLAN, rows), county_user)
    assert batch.count_create == 1
    plan = WorkPlan.objects.get()
    assert (plan.plans_to_work, plan.service_needs) == (True, "技能培训")


def test_township_user_cannot_import_employment_of_other_townships(county_user, town_a_user):
    rows = [{**r, C.TOWNSHIP: "陡水镇", C.VILLAGE: "陡水B1村"} for r in family()]
    import_file(table(Kind.HOUSEHOLD, rows), county_user)
    batch = stage(table(Kind.EMPLOYMENT, [employment_row()]), town_a_user)
    assert (4, C.ID_NUMBER, SON_ID, "此人不在您的管辖范围内，不能导入") in errors_of(batch)


def test_reimport_beside_an_open_clue_keeps_the_clue_and_the_imported_case(county_user):
    content = monitoring_file(monitoring_family())
    import_file(content, county_user)
    case = MonitoringCase.objects.get()
    clue = MonitoringCase.objects.create(
        household=case.household,
        status=MonitoringCase.Status.CLUE,
        source="农户自主申报",
        opened_on=dt.date(2024, 9, 1),
    )
    batch = import_file(content, county_user)
    assert batch.count_create == 0 and batch.count_update == 0
    assert set(MonitoringCase.objects.values_list("pk", flat=True)) == {case.pk, clue.pk}
