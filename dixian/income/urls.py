"""Routes of the income app (notice §2), included under /income/ by dixian/urls.py.
Focus groups and growth first; the decline ledger appends its routes below."""

from django.urls import path

from dixian.income import focus_views

urlpatterns: list = [
    path("focus/", focus_views.focus_overview, name="income_focus"),
    path("focus/<str:code>/", focus_views.focus_list, name="income_focus_list"),
    path("focus/<str:code>/export/", focus_views.focus_export, name="income_focus_export"),
    path("growth/", focus_views.growth_page, name="income_growth"),
]

# ---- income-decline verification ledger (dixian.income.ledger.views) ----
from dixian.income.ledger import views as ledger_views  # noqa: E402

urlpatterns += [
    path("ledger/", ledger_views.ledger_home, name="income_ledger_home"),
    path("ledger/export.xlsx", ledger_views.ledger_export, name="income_ledger_export"),
    path("ledger/<int:pk>/", ledger_views.ledger_detail, name="income_ledger_detail"),
    path("ledger/<int:pk>/submit/", ledger_views.ledger_submit, name="income_ledger_submit"),
    path("ledger/<int:pk>/reopen/", ledger_views.ledger_reopen, name="income_ledger_reopen"),
    path("ledger/row/<int:pk>/", ledger_views.row_edit, name="income_ledger_row"),
]
