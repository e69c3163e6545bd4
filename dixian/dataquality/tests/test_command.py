import re
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from dixian.core.masking import mask_id_number
from dixian.dataquality.checks import CATALOGUE
from dixian.dataquality.tests.helpers import household, person


def run(*args):
    out, err = StringIO(), StringIO()
    call_command("dataquality", *args, stdout=out, stderr=err)
    return out.getvalue().splitlines(), err.getvalue().splitlines()


def test_catalogue_prints_one_check_a_line_sorted_by_code():
    lines, _ = run("--catalogue")
    assert len(lines) == len(CATALOGUE)
    fields = [line.split("\t") for line in lines]
    assert all(len(f) == 3 and f[1] in {"错误", "警告", "提示"} for f in fields)
    assert [f[0] for f in fields] == sorted(f[0] for f in fields)


@pytest.mark.django_db
def test_findings_are_printed_sorted_with_masked_ids_and_counted_on_stderr():
    uninsured = [person(medical_insurance=False) for _ in range(3)]
    no_year = household(poverty_exit_year=None)
    lines, summary = run(
        "--check", "DQ-REG-05", "--check", "DQ-REG-07", "--as-of", "2025-12-31", "--year", "2025"
    )
    expected_people = sorted(
        ("DQ-REG-05", p.household.number, mask_id_number(p.id_number)) for p in uninsured
    )
    assert [tuple(line.split("\t")) for line in lines] == [
        *expected_people,
        ("DQ-REG-07", no_year.number, ""),
    ]
    assert all(re.fullmatch(r"\d{4}\*{10}[\dX]{4}", line.split("\t")[2]) for line in lines[:3])
    assert summary == ["DQ-REG-05\t3", "DQ-REG-07\t1"]


@pytest.mark.django_db
def test_unknown_check_code_is_an_error():
    with pytest.raises(CommandError):
        run("--check", "DQ-XXX-99")


@pytest.mark.django_db
def test_timings_add_seconds_per_check_and_a_total_on_stderr():
    person(medical_insurance=False)
    lines, summary = run("--check", "DQ-REG-05", "--check", "DQ-REG-07", "--as-of", "2025-12-31", "--timings")
    assert len(lines) == 1
    assert re.fullmatch(r"DQ-REG-05\t1\t\d+\.\d\ds", summary[0])
    assert re.fullmatch(r"DQ-REG-07\t\d+\t\d+\.\d\ds", summary[1])
    assert re.fullmatch(r"合计\t2项检查\t\d+\.\d\ds", summary[2])
