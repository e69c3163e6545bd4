import re
from pathlib import Path

from dixian.dataquality.checks import CATALOGUE, Level, Severity

CODE = re.compile(r"^DQ-(EDU|LAB|REG|INC|MEA|EMP|MON)-\d{2}$")


def test_catalogue_has_at_least_forty_unique_well_formed_codes():
    codes = [c.code for c in CATALOGUE]
    assert len(codes) >= 40
    assert len(set(codes)) == len(codes)
    assert codes == sorted(codes)
    assert all(CODE.match(code) for code in codes)


def test_every_check_is_declared_completely():
    for c in CATALOGUE:
        assert c.description and isinstance(c.severity, Severity) and isinstance(c.level, Level)
        assert callable(c.find)


def test_every_check_has_an_inside_outside_test():
    here = Path(__file__).parent
    text = "".join(p.read_text() for p in here.glob("test_checks_*.py"))
    assert [c.code for c in CATALOGUE if c.code not in text] == []
