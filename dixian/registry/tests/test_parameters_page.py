from django.urls import reverse

from dixian.registry.models import PolicyParameter

PAGE = reverse("parameters")


def test_parameters_page_lists_values_by_code_and_year_with_labels(client, world):
    client.force_login(world.town_a)
    response = client.get(PAGE)
    assert response.status_code == 200
    html = response.content.decode()
    assert "防止返贫监测范围（人均纯收入，元）" in html
    assert "8500" in html
    assert 'id="parameter-form"' not in html  # township staff read, the county sets


def test_carried_forward_years_show_the_value_in_force(client, world):
    PolicyParameter.objects.create(year=2025, code="national_rural_income", value="24000")
    client.force_login(world.county)
    years, rows = client.get(PAGE).context["years"], client.get(PAGE).context["rows"]
    line = next(r for r in rows if r.code == "monitoring_line")
    assert years[-1] == 2025
    assert dict(line.cells)[2025].value == "8500"
    assert not dict(line.cells)[2025].set_here
    assert dict(line.cells)[2023] is None


def test_users_without_view_permission_get_403(client, world):
    client.force_login(world.village_a1_user)
    assert client.get(PAGE).status_code == 403


def test_township_user_cannot_post_a_value(client, world):
    client.force_login(world.town_a)
    response = client.post(PAGE, {"code": "monitoring_line", "year": 2025, "value": "9000"})
    assert response.status_code == 403
    assert not PolicyParameter.objects.filter(year=2025, code="monitoring_line").exists()


def test_county_admin_sets_a_value_for_a_new_year(client, world):
    client.force_login(world.county)
    response = client.post(
        PAGE, {"code": "monitoring_line", "year": 2025, "value": "9000", "source": "省通知"}, follow=True
    )
    assert response.redirect_chain[-1][0] == PAGE
    param = PolicyParameter.objects.get(year=2025, code="monitoring_line")
    assert (param.value, param.source) == ("9000", "省通知")
    assert param.history.first().history_user == world.county
    assert "已保存 2025 年" in response.content.decode()


def test_bad_ratio_shows_error_and_keeps_input(client, world):
    client.force_login(world.county)
    response = client.post(
        PAGE, {"code": "income_drop_ratio", "year": 2025, "value": "30", "source": "会议纪要"}
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert "比例应在 0 与 1 之间" in form.errors["value"][0]
    html = response.content.decode()
    assert 'value="30"' in html and 'value="会议纪要"' in html
    assert "比例应在 0 与 1 之间" in html
    assert not PolicyParameter.objects.filter(year=2025, code="income_drop_ratio").exists()


def test_not_a_number_and_bad_year_are_form_errors(client, world):
    client.force_login(world.county)
    form = client.post(PAGE, {"code": "monitoring_line", "year": "20x5", "value": "abc"}).context["form"]
    assert "year" in form.errors
    form = client.post(PAGE, {"code": "monitoring_line", "year": "2025", "value": "abc"}).context["form"]
    assert "不是数字" in form.errors["value"][0]


def test_edit_link_prefills_the_stored_value(client, world):
    client.force_login(world.county)
    form = client.get(PAGE, {"code": "monitoring_line", "year": "2024"}).context["form"]
    assert form.initial["value"] == "8500"
    assert client.get(PAGE, {"code": "nonsense", "year": "x"}).status_code == 200
