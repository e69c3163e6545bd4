from __future__ import annotations

import pytest

from dixian.areas.models import Area, OrgUnit
from dixian.imports import columns as C
from dixian.imports.columns import Kind
from dixian.imports.models import ImportBatch
from dixian.imports.selectors import batch_preview
from dixian.imports.services import CommitRefused, batch_commit, rejected_rows_workbook
from dixian.imports.tests.conftest import errors_of, import_file, stage
from dixian.imports.tests.helpers import HEAD_ID, OTHER_HEAD_ID, SON_ID, WIFE_ID, family, person, table
from dixian.registry.models import Household, Person


def household_file(rows):
    return table(Kind.HOUSEHOLD, rows)


def history_counts():
    return (Household.history.count(), Person.history.count())


def test_household_file_imports(county_user):
    batch = import_file(household_file(family()), county_user)
    assert batch.status == ImportBatch.Status.COMMITTED
    assert (batch.count_create, batch.count_rejected) == (3, 0)
    household = Household.objects.get(number="360724100201000001")
    assert household.area_id == "360724100201" and household.household_type == "脱贫户"
    assert household.poverty_exit_year == 2019 and household.safe_water is True
    head = Person.objects.get(id_number=HEAD_ID)
    assert (head.name, head.relation, head.sex, head.household) == ("李大", "户主", "男", household)
    assert household.members.count() == 3


def test_importing_the_same_file_twice_changes_nothing(county_user):
    content = household_file(family())
    import_file(content, county_user)
    before = history_counts()
    again = import_file(content, county_user)
    assert (again.count_create, again.count_update, again.count_unchanged) == (0, 0, 3)
    assert history_counts() == before


def test_a_later_file_updates_and_leaves_history(county_user):
    import_file(household_file(family()), county_user)
    rows = family()
    rows[2]["劳动技能"] = "技能劳动力"
    later = import_file(household_file(rows), county_user)
    assert (later.count_update, later.count_unchanged) == (1, 2)
    son = Person.objects.get(id_number=SON_ID)
    assert son.labour_skill == "技能劳动力"
    assert [h.labour_skill for h in son.history.order_by("history_date")] == ["普通劳动力", "技能劳动力"]


def test_row_errors_name_row_column_value_and_reason(county_user):
    rows = family()
    rows[0][C.SEX] = "女"
    rows[1][C.BIRTH_DATE] = "1980-01-01"
    rows[2]["健康状况"] = "很好"
    rows[2]["是否危房户"] = "不是"
    batch = stage(household_file(rows), county_user)
    errors = errors_of(batch)
    assert (4, C.SEX, "女", "与证件号码中的性别（男）不一致") in errors
    assert (5, C.BIRTH_DATE, "1980-01-01", "与证件号码中的出生日期 1972-03-08 不一致") in errors
    assert any(e[:3] == (6, "健康状况", "很好") and "不在代码表中" in e[3] for e in errors)
    assert (6, "是否危房户", "不是", "应为“是”或“否”") in errors


def test_bad_id_and_missing_required_value(county_user):
    rows = family()
    rows[1][C.ID_NUMBER] = WIFE_ID[:17] + ("0" if WIFE_ID[17] != "0" else "1")
    rows[2][C.NAME] = ""
    batch = stage(household_file(rows), county_user)
    errors = errors_of(batch)
    assert any(e[0] == 5 and e[1] == C.ID_NUMBER and "校验位错误" in e[3] for e in errors)
    assert (6, C.NAME, "", "必填项为空") in errors
    # a household-level rejection: the head's row is rejected too
    assert any(e[0] == 4 and "整户未导入" in e[3] for e in errors)
    assert batch.count_rejected == 3


def test_disability_certificate_number_keeps_the_id_part(county_user):
    rows = family()
    rows[2][C.ID_NUMBER] = SON_ID + "23"
    rows[2][C.ID_TYPE] = "残疾人证"
    import_file(household_file(rows), county_user)
    son = Person.objects.get(id_number=SON_ID)
    assert (son.id_type, son.disability_suffix) == ("残疾人证", "23")


def test_excel_serial_birth_date_is_read(county_user):
    rows = family()
    rows[0][C.BIRTH_DATE] = 25689  # 1970-05-01 as an Excel serial number
    batch = import_file(household_file(rows), county_user)
    assert batch.count_rejected == 0


def test_duplicate_person_in_the_file(county_user):
    rows = [*family(), person(number="360724100201000002", name="李大", id_number=HEAD_ID, members=1)]
    batch = stage(household_file(rows), county_user)
    errors = errors_of(batch)
    assert (4, C.ID_NUMBER, HEAD_ID, "同一人在文件中重复出现（另见第7行）") in errors
    assert (7, C.ID_NUMBER, HEAD_ID, "同一人在文件中重复出现（另见第4行）") in errors


def test_two_heads_in_a_household(county_user):
    rows = family()
    rows[1][C.RELATION] = "户主"
    errors = errors_of(stage(household_file(rows), county_user))
    assert (4, C.RELATION, "户主", "该户有2个户主（第4、5行）") in errors


def test_household_without_head(county_user):
    rows = family()
    rows[0][C.RELATION] = "之父"
    errors = errors_of(stage(household_file(rows), county_user))
    assert (5, C.RELATION, "配偶", "该户没有户主") in errors


def test_member_count_mismatch(county_user):
    errors = errors_of(stage(household_file(family(members=4)), county_user))
    assert (4, C.MEMBER_COUNT, "4", "家庭人口数为4，但文件中该户有3人") in errors


def test_household_split_across_townships(county_user):
    rows = family()
    rows[2][C.TOWNSHIP], rows[2][C.VILLAGE] = "陡水镇", "陡水B1村"
    errors = errors_of(stage(household_file(rows), county_user))
    assert (
        6,
        C.VILLAGE,
        "陡水镇陡水B1村",
        "同一户的成员分属不同乡镇或村：东山镇东山A1村、陡水镇陡水B1村",
    ) in errors


def test_unknown_township_is_an_error(county_user):
    errors = errors_of(stage(household_file(family(township="东山乡")), county_user))
    assert (4, C.TOWNSHIP, "东山乡", "本县没有这个乡镇") in errors


def test_missing_village_is_listed_and_created_on_request(county_user):
    batch = stage(household_file(family(village="新村")), county_user)
    preview = batch_preview(batch)
    assert preview.missing_villages == [("360724100000", "新村")]
    assert preview.counts["reject"] == 0
    with pytest.raises(CommitRefused, match="新村"):
        batch_commit(batch=batch, mode="all", actor=county_user)
    assert not Household.objects.exists()
    batch_commit(batch=batch, mode="all", actor=county_user, create_villages=True)
    village = Area.objects.get(name="新村", parent_id="360724100000")
    assert village.code == "360724100203" and village.level == "village"
    assert OrgUnit.objects.get(area=village).name == "新村村民委员会"
    assert Household.objects.get().area == village


def test_missing_village_rows_are_rejected_in_valid_only_mode(county_user):
    rows = [*family(), person(number="H2", id_number=OTHER_HEAD_ID, village="新村", members=1, name="赵四")]
    batch = batch_commit(batch=stage(household_file(rows), county_user), mode="valid", actor=county_user)
    assert Household.objects.count() == 1
    assert batch.count_rejected == 1
    assert (7, C.VILLAGE, "新村", "该村不在系统中（可导入村名单或选择自动创建）") in errors_of(batch)


def test_township_user_rows_outside_their_township_are_rejected(town_a_user):
    rows = [
        *family(),
        person(number="H2", id_number=OTHER_HEAD_ID, township="陡水镇", village="陡水B1村", members=1),
    ]
    batch = stage(household_file(rows), town_a_user)
    assert batch.scope_prefix == "360724100"
    assert (7, C.TOWNSHIP, "陡水镇", "不在您的管辖范围内，不能导入") in errors_of(batch)
    assert (batch.count_create, batch.count_rejected) == (3, 1)


def test_all_or_nothing_refuses_and_changes_nothing(county_user):
    rows = [*family(), person(number="H2", id_number=OTHER_HEAD_ID, members=2)]
    batch = stage(household_file(rows), county_user)
    with pytest.raises(CommitRefused, match="有1行有错误"):
        batch_commit(batch=batch, mode="all", actor=county_user)
    assert not Household.objects.exists() and not Person.objects.exists()
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.STAGED


def test_valid_only_commits_the_valid_households(county_user):
    rows = [*family(), person(number="H2", id_number=OTHER_HEAD_ID, members=2)]
    batch = batch_commit(batch=stage(household_file(rows), county_user), mode="valid", actor=county_user)
    assert batch.status == ImportBatch.Status.COMMITTED and batch.commit_mode == "valid"
    assert list(Household.objects.values_list("number", flat=True)) == ["360724100201000001"]


def test_rejected_rows_workbook_lists_the_errors(county_user):
    import io

    from python_calamine import CalamineWorkbook

    batch = stage(household_file(family(members=4)), county_user)
    content = rejected_rows_workbook(batch)
    rows = CalamineWorkbook.from_filelike(io.BytesIO(content)).get_sheet_by_index(0).to_python()
    assert rows[0] == ["行号", "户编号", "证件号码", "列", "值", "原因"]
    assert rows[1][3:] == [C.MEMBER_COUNT, "4", "家庭人口数为4，但文件中该户有3人"]


def test_preview_lists_extra_columns(county_user):
    header = [*C.column_names(Kind.HOUSEHOLD), "备注"]
    batch = stage(table(Kind.HOUSEHOLD, family(), header=header), county_user)
    assert batch_preview(batch).extra_columns == ["备注"]
