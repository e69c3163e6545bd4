"""The `dixian` console script: `dixian migrate` is `python manage.py migrate`."""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dixian.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["dixian", *(sys.argv[1:] if argv is None else argv)])
    return 0
