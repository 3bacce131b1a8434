"""The simulator's form fields as HTML, written in Python rather than by the template engine.

The simulator page is mostly form fields, and through the template engine each field cost as
much as a dozen template tags (a profile put widget rendering at 43 % of the page). These
functions write what Django's widget templates (``django/forms/widgets/*.html``) write, and
every value goes through ``esc``, which escapes exactly as the templates' autoescape does.
``sango/programs/tests/test_widgets.py`` compares them with Django's own templates.
"""

from __future__ import annotations

from html import escape

from django.forms import BoundField
from django.forms.renderers import DjangoTemplates
from django.utils.safestring import SafeData, SafeString, mark_safe
from django.utils.translation import gettext

_GROUPS = ("radioselect", "checkboxselectmultiple")


def esc(value: object) -> str:
    """``{{ value }}``: HTML (anything with ``__html__``) as it is, anything else escaped."""
    html = getattr(value, "__html__", None)
    return html() if html is not None else escape(str(value))


def _text_of(value: object) -> str:
    """``{{ value|stringformat:'s' }}``: the value as text, escaped unless already safe."""
    return value if isinstance(value, SafeData) else escape(f"{value}")


def _attrs(attrs: dict) -> str:
    """Django's ``attrs.html``: `` name="value"``, a bare name for True, nothing for False."""
    return "".join(
        f" {esc(name)}" if value is True else f' {esc(name)}="{_text_of(value)}"'
        for name, value in attrs.items()
        if value is not False
    )


def _input(widget: dict) -> str:
    value = "" if widget["value"] is None else f' value="{_text_of(widget["value"])}"'
    attrs = _attrs(widget["attrs"])
    return f'<input type="{widget["type"]}" name="{widget["name"]}"{value}{attrs}>'


def _select(widget: dict) -> str:
    options = "".join(
        f'\n  <option value="{_text_of(option["value"])}"{_attrs(option["attrs"])}>'
        f"{esc(option['label'])}</option>\n"  # select_option.html ends with a line break
        for _, group, _ in widget["optgroups"]
        for option in group
    )
    return f'<select name="{widget["name"]}"{_attrs(widget["attrs"])}>{options}\n</select>'


class WidgetRenderer(DjangoTemplates):
    """Django's form renderer, with the widgets the simulator uses written by this module.

    Only text inputs, radio and checkbox options (without a wrapping label) and selects without
    option groups are written here; any other template goes to Django's templates.
    """

    _WRITERS = {
        "django/forms/widgets/text.html": _input,
        "django/forms/widgets/radio_option.html": _input,
        "django/forms/widgets/checkbox_option.html": _input,
        "django/forms/widgets/select.html": _select,
    }

    def render(self, template_name: str, context: dict, request=None) -> str:
        write = self._WRITERS.get(template_name)
        widget = context.get("widget", {})
        if write is None or widget.get("wrap_label") or _has_groups(widget):
            return super().render(template_name, context, request)
        return write(widget)


def _has_groups(widget: dict) -> bool:
    return any(name for name, _, _ in widget.get("optgroups", ()))


WIDGET_RENDERER = WidgetRenderer()


def field_html(field: BoundField) -> SafeString:
    """One form field: its label (a legend for a group of choices), help text, its errors next
    to it and the input, with the ids the error summary links to and the input's
    ``aria-describedby`` names."""
    auto_id, errors = field.auto_id, field.errors
    state = " field--error" if errors else ""
    help_text = (
        f'<p class="field__help" id="{auto_id}_helptext">{esc(field.help_text)}</p>'
        if field.help_text
        else ""
    )
    error_text = (
        f'<p class="field__error" id="{auto_id}_error">'
        f"{''.join(f'{esc(error)} ' for error in errors)}</p>"
        if errors
        else ""
    )
    if field.widget_type in _GROUPS:
        choices = "".join(
            f'<label class="choice" for="{esc(c.id_for_label)}">{c.tag()}'
            f"<span>{esc(c.choice_label)}</span></label>"
            for c in field
        )
        return mark_safe(
            f'\n<fieldset class="field field--group{state}" id="{auto_id}_field">\n'
            f"  <legend>{esc(field.label)}</legend>\n  {help_text}\n  {error_text}\n"
            f'  <div class="choices">{choices}</div>\n</fieldset>\n'
        )
    required = (
        f' <span class="required">{esc(gettext("必須"))}</span>' if field.field.required else ""
    )
    return mark_safe(
        f'\n<div class="field{state}" id="{auto_id}_field">\n'
        f'  <label for="{esc(field.id_for_label)}">{esc(field.label)}{required}</label>\n'
        f"  {help_text}\n  {error_text}\n  {field.as_widget()}\n</div>\n"
    )
