"""A select widget that writes its options directly instead of through one template per
option: the filter forms carry every village of the user's scope (150 in the demo county),
and Django's template-per-option rendering was a quarter of the household list's time."""

from __future__ import annotations

from typing import Any

from django import forms
from django.forms.utils import flatatt
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe


class FastSelect(forms.Select):
    def render(
        self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None
    ) -> SafeString:
        final = self.build_attrs(self.attrs, attrs)
        final["name"] = name
        selected = {str(v) for v in self.format_value(value)}
        parts: list[str] = [format_html("<select{}>", flatatt(final))]
        for option_value, label in self.choices:
            if isinstance(label, list | tuple):  # an option group
                parts.append(format_html('<optgroup label="{}">', option_value))
                parts.extend(self._option(v, text, selected) for v, text in label)
                parts.append("</optgroup>")
            else:
                parts.append(self._option(option_value, label, selected))
        parts.append("</select>")
        return mark_safe("".join(parts))  # noqa: S308 - every part above is escaped by format_html

    @staticmethod
    def _option(value: Any, label: Any, selected: set[str]) -> str:
        value = "" if value is None else str(getattr(value, "value", value))
        return format_html(
            '<option value="{}"{}>{}</option>',
            value,
            mark_safe(" selected") if value in selected else "",
            label,
        )


CHECKS = (forms.CheckboxInput, forms.RadioSelect, forms.CheckboxSelectMultiple)


def bootstrap(form: forms.Form, *, small: bool = False) -> None:
    """Bootstrap's classes on every visible field (a class set on the widget wins). Filter forms are `small`, and their plain
    selects become FastSelect (same HTML, options written directly: they list villages)."""
    for bound in form.visible_fields():
        widget = bound.field.widget
        if isinstance(widget, CHECKS):
            widget.attrs.setdefault("class", "form-check-input")
            continue
        if small and type(widget) is forms.Select:
            fast = FastSelect(attrs=widget.attrs, choices=widget.choices)
            fast.is_required = widget.is_required
            bound.field.widget = widget = fast
        css = "form-select" if isinstance(widget, forms.Select) else "form-control"
        widget.attrs.setdefault("class", f"{css} {css}-sm" if small else css)
