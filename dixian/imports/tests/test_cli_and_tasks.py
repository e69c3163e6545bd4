from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError

from dixian.accounts.roles import Role
from dixian.areas.models import Area, OrgUnit
from dixian.imports.columns import Kind
from dixian.imports.models import ImportBatch
from dixian.imports.services import ImportFileError, batch_create
from dixian.imports.tests.helpers import family, table, xlsx
from dixian.registry.models import Household
from dixian.testing import factories as f


def write(tmp_path, name, content):
    path = tmp_path / name
    path.write_bytes(content)
    return str(path)


def test_cli_imports_and_prints_counts(tmp_path, county_user, capsys):
    path = write(tmp_path, "户信息.xlsx", table(Kind.HOUSEHOLD, family()))
    call_command("import_national", path, "--year", "2024", "--user", "alice")
    out = capsys.readouterr().out
    assert "新增3" in out and Household.objects.count() == 1


def test_cli_exit_code_is_one_when_errors_stop_the_commit(tmp_path, county_user, capsys):
    path = write(tmp_path, "户信息.xlsx", table(Kind.HOUSEHOLD, family(members=4)))
    with pytest.raises(CommandError, match="有3行有错误") as info:
        call_command("import_national", path, "--year", "2024", "--user", "alice")
    assert info.value.returncode == 1
    assert "第4行\t家庭人口数\t4\t家庭人口数为4，但文件中该户有3人" in capsys.readouterr().out
    assert not Household.objects.exists()


def test_cli_valid_only_with_nothing_valid_fails(tmp_path, county_user):
    path = write(tmp_path, "户信息.xlsx", table(Kind.HOUSEHOLD, family(members=4)))
    with pytest.raises(CommandError, match="没有导入任何数据"):
        call_command("import_national", path, "--year", "2024", "--user", "alice", "--valid-only")


def test_cli_dry_run_writes_nothing(tmp_path, county_user, capsys):
    path = write(tmp_path, "户信息.xlsx", table(Kind.HOUSEHOLD, family()))
    call_command("import_national", path, "--year", "2024", "--user", "alice", "--dry-run")
    assert "试运行" in capsys.readouterr().out and not Household.objects.exists()


def test_cli_create_villages(tmp_path, county_user):
    path = write(tmp_path, "户信息.xlsx", table(Kind.HOUSEHOLD, family(village="新村")))
    with pytest.raises(CommandError, match="新村"):
        call_command("import_national", path, "--year", "2024", "--user", "alice")
    call_command("import_national", path, "--year", "2024", "--user", "alice", "--create-villages")
    assert Household.objects.get().area.name == "新村"


def test_cli_not_excel(tmp_path, county_user):
    path = write(tmp_path, "户信息.xlsx", b"%PDF-1.7 ...")
    with pytest.raises(CommandError, match="不是Excel文件"):
        call_command("import_national", path, "--year", "2024", "--user", "alice")


def test_failed_upload_keeps_the_file_and_says_why(county_user):
    with pytest.raises(ImportFileError) as info:
        batch_create(
            uploaded_file=SimpleUploadedFile("a.xlsx", b"%PDF-1.4"),
            filename="a.xlsx",
            user=county_user,
            year=2024,
        )
    batch = info.value.batch
    assert batch.status == ImportBatch.Status.FAILED and "不是Excel文件" in batch.error_message
    assert batch.file.storage.exists(batch.file.name)


def test_users_without_area_role_cannot_upload(villages):
    from django.core.exceptions import PermissionDenied

    cadre = f.user("carol", Role.CADRE, "360724000000")
    with pytest.raises(PermissionDenied):
        batch_create(
            uploaded_file=SimpleUploadedFile("a.xlsx", b""), filename="a.xlsx", user=cadre, year=2024
        )


def test_header_only_file_fails_staging(county_user):
    from dixian.imports.services import batch_stage

    batch = batch_create(
        uploaded_file=SimpleUploadedFile("a.xlsx", table(Kind.HOUSEHOLD, [])),
        filename="a.xlsx",
        user=county_user,
        year=2024,
    )
    assert batch_stage(batch=batch).status == ImportBatch.Status.FAILED


def test_tasks_stage_and_commit(settings, county_user):
    from dixian.imports.tasks import commit_batch, stage_batch

    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    batch = batch_create(
        uploaded_file=SimpleUploadedFile("a.xlsx", table(Kind.HOUSEHOLD, family())),
        filename="a.xlsx",
        user=county_user,
        year=2024,
    )
    stage_batch.enqueue(batch.pk)
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.STAGED and batch.progress_done == batch.progress_total > 0
    commit_batch.enqueue(batch.pk, "all", county_user.pk)
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.COMMITTED and Household.objects.count() == 1


def test_import_villages(tmp_path, villages, capsys):
    content = xlsx(
        ["区划代码", "名称", "乡镇代码"],
        [
            ["360724100210", "上坪村", "360724100"],
            ["", "下坪社区", "360724100000"],
            ["360724999201", "外村", "360724999"],
        ],
    )
    path = write(tmp_path, "villages.xlsx", content)
    call_command("import_villages", path)
    assert Area.objects.get(code="360724100210").name == "上坪村"
    assert OrgUnit.objects.get(area_id="360724100210").name == "上坪村村民委员会"
    assert Area.objects.get(name="下坪社区").code == "360724100211"
    assert "乡镇代码 360724999000 不在系统中" in capsys.readouterr().out


def test_import_villages_csv(tmp_path, villages):
    path = write(tmp_path, "v.csv", "代码,名称,乡镇代码\n360724101210,新建村,360724101000\n".encode())
    call_command("import_villages", path)
    assert Area.objects.get(code="360724101210").parent_id == "360724101000"
