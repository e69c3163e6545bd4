"""Routes of the income app (notice §2), included under /income/ by dixian/urls.py.
Focus groups and growth first; the decline ledger appends its routes below."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
