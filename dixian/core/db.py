"""Portable expressions for the few places where SQLite and PostgreSQL differ."""

from __future__ import annotations

from typing import Any

from django.db import models


class ExactDivide(models.Func):
    """numerator / denominator without integer truncation.

    PostgreSQL divides numeric by integer exactly; SQLite stores whole decimals as
    integers and would truncate, so there the numerator is made REAL first.
    """

    arg_joiner = " / "
    template = "(%(expressions)s)"
    output_field = models.DecimalField(max_digits=14, decimal_places=4)

    def as_sqlite(self, compiler: Any, connection: Any, **extra_context: Any) -> Any:
        numerator, denominator = self.get_source_expressions()
        num_sql, num_params = compiler.compile(numerator)
        den_sql, den_params = compiler.compile(denominator)
        return f"(CAST({num_sql} AS REAL) / {den_sql})", (*num_params, *den_params)
