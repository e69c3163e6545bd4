"""The monitoring dashboard: every figure scoped, set-based, and linked to its list.

World (dixian/conftest.py): 东山镇 (A: a1, a2; moved came from A1) and 陡水镇 (B: b1,
moved lives there). town_a sees a1, a2 and moved; town_b sees b1 and moved."""

from __future__ import annotations

import datetime as dt
import io
from urllib.parse import quote

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from dixian.monitoring import dashboard_selectors as selectors
from dixian.monitoring.models import CaseRisk, MonitoringCase, Review, ScreeningWarning
from dixian.registry.models import PolicyParameter
from dixian.testing import factories as f

URL = "/monitoring/dashboard/"
S = MonitoringCase.Status
TODAY = timezone.localdate()
R05, C01 = "R05-BELOW-LINE-UNMONITORED", "C01-NO-MEASURE"


def approved(h, category, *risks, eliminated=False):
    case = MonitoringCase.objects.create(
        household=h, category=category, status=S.APPROVED, identified_on=TODAY, eliminated=eliminated
    )
    for position, risk in enumerate(risks, start=1):
        CaseRisk.objects.create(case=case, position=position, risk_type=risk)
    return case


def clue(h, days_ago, status=S.CLUE):
    return MonitoringCase.objects.create(
        household=h, status=status, source="预警线索", opened_on=TODAY - dt.timedelta(days=days_ago)
    )


def warn(h, rule, status=ScreeningWarning.Status.PENDING):
    return ScreeningWarning.objects.create(
        household=h, rule=rule, year=2024, as_of=TODAY, evidence="test", status=status
    )


@pytest.fixture
def board(world):
    approved(world.a1, "脱贫不稳定户", "因病", "因学")
    approved(world.a2, "边缘易致贫户", "因病")
    approved(world.b1, "突发严重困难户", "因残")
    approved(world.moved, "边缘易致贫户", "因病", eliminated=True)  # eliminated: not monitored
    clue(world.a1, 20)  # overdue (identification_days 15)
    clue(world.a2, 3, S.VISITED)
    clue(world.b1, 30, S.PUBLICISED)  # overdue, other township
    refused = clue(world.a2, 40, S.NOT_INCLUDED)
    Review.objects.create(
        case=refused, level="county", decision="approve", decided_on=TODAY, recorded_by=world.county
    )
    old = clue(world.a1, 800, S.NOT_INCLUDED)
    Review.objects.create(
        case=old, level="county", decision="approve", decided_on=TODAY.replace(year=TODAY.year - 2)
    )
    warn(world.a1, R05)
    warn(world.b1, R05)
    warn(world.moved, R05)
    warn(world.a2, C01)
    warn(world.a1, C01, ScreeningWarning.Status.EXPIRED)  # not pending: not counted
    return world


def login(client, user):
    return f.sign_in(client, user.username)


def _row(rows, name):
    return next(r for r in rows if (r.township.name if r.township else None) == name)


def test_login_required(client, board):
    assert client.get(URL).status_code == 302


def test_township_user_counts_only_its_households(client, board):
    response = login(client, board.town_a).get(URL)
    assert response.status_code == 200
    b = response.context["board"]
    assert [t.name for t in b.townships] == ["东山镇"]
    town = _row(b.category_rows, "东山镇")
    assert dict(town.counts) == {"脱贫不稳定户": 1, "边缘易致贫户": 1, "突发严重困难户": 0}
    assert town.total == 2
    assert _row(b.category_rows, None).total == 2  # moved is eliminated
    assert dict(b.risks)["因病"] == 2 and dict(b.risks)["因学"] == 1 and dict(b.risks)["因残"] == 0
    body = response.content.decode()
    assert "陡水镇" not in body
    link = (
        f"{reverse('household_list')}?township=360724100000&amp;monitoring_category={quote('脱贫不稳定户')}"
    )
    assert f'href="{link}">1</a>' in body
    assert response.context["chart_data"]["townships"] == ["东山镇"]


def test_county_sees_every_township(board):
    b = selectors.dashboard(board.county, TODAY)
    assert _row(b.category_rows, "陡水镇").total == 1
    assert _row(b.category_rows, None).total == 3
    data = b.chart_data()
    a, b_ = data["townships"].index("东山镇"), data["townships"].index("陡水镇")
    assert [[row[a], row[b_]] for row in data["series"]] == [[1, 0], [1, 0], [0, 1]]


def test_pipeline_counts(client, board):
    p = login(client, board.town_a).get(URL).context["board"].pipeline
    assert dict((s, n) for s, _, n in p.open_counts) == {
        "clue": 1,
        "visited": 1,
        "assessed": 0,
        "publicised": 0,
        "township_reviewed": 0,
    }
    assert p.approved_this_year == 3  # a1, a2 and moved (approved this year, since eliminated)
    assert p.not_included_this_year == 1
    assert p.overdue == 1 and p.identification_days == 15
    county = selectors.pipeline(board.county, TODAY)
    assert county.overdue == 2
    assert dict((s, n) for s, _, n in county.open_counts)["publicised"] == 1


def test_pipeline_links(client, board):
    body = login(client, board.town_a).get(URL).content.decode()
    assert 'href="/monitoring/cases/?status=clue">1</a>' in body
    assert 'href="/monitoring/cases/?status=not_included">1</a>' in body
    assert 'href="/monitoring/cases/?overdue=1">1</a>' in body


def test_missing_identification_days_shows_a_message(client, board):
    PolicyParameter.objects.filter(code="identification_days").delete()
    response = login(client, board.town_a).get(URL)
    assert response.context["board"].pipeline.overdue is None
    assert "identification_days" in response.content.decode()


def test_warning_counts_agree_with_the_warnings_command(client, board):
    rows = login(client, board.county).get(URL).context["board"].warning_rows
    total = dict(_row(rows, None).counts)
    for rule, n in total.items():
        out = io.StringIO()
        call_command("warnings", rule=rule, stdout=out)
        assert n == len(out.getvalue().split()), rule
    assert total[R05] == 3 and total[C01] == 1
    town_a = login(client, board.town_a).get(URL)
    rows = town_a.context["board"].warning_rows
    assert dict(_row(rows, "东山镇").counts)[R05] == 1
    assert dict(_row(rows, None).counts)[R05] == 2  # a1 and moved (origin duties)
    pending = ScreeningWarning.objects.filter(
        status="pending", rule=C01, household__area__code__startswith="360724100"
    ).count()
    assert dict(_row(rows, "东山镇").counts)[C01] == pending == 1
    body = town_a.content.decode()
    assert f'href="/monitoring/warnings/{R05}/?township=360724100000">1</a>' in body


@pytest.mark.parametrize("who", ["cadre", "nobody", "village_a1", "leader"])
def test_page_renders_for_every_kind_of_user(client, board, who):
    user = board.users()[who]
    response = login(client, user).get(URL)
    assert response.status_code == 200
    if who == "nobody":
        b = response.context["board"]
        assert b.townships == [] and _row(b.category_rows, None).total == 0
    if who == "cadre":
        b = response.context["board"]
        assert _row(b.category_rows, None).total == 1  # b1 only
        assert "东山镇" not in response.content.decode()


def test_bounded_queries(client, board, django_assert_max_num_queries):
    login(client, board.county)
    with django_assert_max_num_queries(25):
        assert client.get(URL).status_code == 200
