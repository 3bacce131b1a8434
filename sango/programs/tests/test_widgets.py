"""The simulator's fields written in Python (sango/programs/widgets.py) are what Django's widget
templates, and the field template they replace, write."""

from __future__ import annotations

import re

import pytest
from django import forms
from django.forms.renderers import DjangoTemplates
from django.template import engines

from sango.programs.widgets import WIDGET_RENDERER, field_html

# The field template the simulator used before its fields were written in Python.
FIELD_TEMPLATE = """{% load i18n %}
{% if field.widget_type == "radioselect" or field.widget_type == "checkboxselectmultiple" %}
<fieldset class="field field--group{% if field.errors %} field--error{% endif %}" id="{{ field.auto_id }}_field">
  <legend>{{ field.label }}</legend>
  {% if field.help_text %}<p class="field__help" id="{{ field.auto_id }}_helptext">{{ field.help_text }}</p>{% endif %}
  {% if field.errors %}<p class="field__error" id="{{ field.auto_id }}_error">{% for error in field.errors %}{{ error }} {% endfor %}</p>{% endif %}
  <div class="choices">{% for choice in field %}<label class="choice" for="{{ choice.id_for_label }}">{{ choice.tag }}<span>{{ choice.choice_label }}</span></label>{% endfor %}</div>
</fieldset>
{% else %}
<div class="field{% if field.errors %} field--error{% endif %}" id="{{ field.auto_id }}_field">
  <label for="{{ field.id_for_label }}">{{ field.label }}{% if field.field.required %} <span class="required">{% translate "必須" %}</span>{% endif %}</label>
  {% if field.help_text %}<p class="field__help" id="{{ field.auto_id }}_helptext">{{ field.help_text }}</p>{% endif %}
  {% if field.errors %}<p class="field__error" id="{{ field.auto_id }}_error">{% for error in field.errors %}{{ error }} {% endfor %}</p>{% endif %}
  {{ field }}
</div>
{% endif %}
"""  # noqa: E501

ODD = "<b>\"R&D\"</b> 'x'"
CHOICES = [("", "選んでください"), ("a&b", "A & B"), ("<c>", ODD), ("d", "でぃー")]


class Sample(forms.Form):
    text = forms.CharField(
        label=f"テキスト {ODD}",
        help_text=ODD,
        max_length=10,
        widget=forms.TextInput({"placeholder": ODD, "inputmode": "numeric", "spellcheck": False}),
    )
    optional = forms.CharField(required=False)
    select = forms.ChoiceField(choices=CHOICES, help_text="どれか")
    grouped = forms.ChoiceField(choices=[("群", [("x", "X"), ("y", "Y")])], required=False)
    radio = forms.ChoiceField(choices=CHOICES[1:], widget=forms.RadioSelect, required=False)
    boxes = forms.MultipleChoiceField(
        choices=CHOICES[1:], widget=forms.CheckboxSelectMultiple, required=False
    )


BOUND = [
    None,
    {"text": ODD, "select": "<c>", "radio": "a&b", "boxes": ["a&b", "d"], "grouped": "y"},
    {"text": "０１２３４５６７８９０１２", "select": "nothing", "radio": "?", "boxes": ["<c>"]},
]


def django_form(data):
    form = Sample(data, renderer=DjangoTemplates())
    form.is_valid() if data is not None else None
    return form


def written_form(data):
    form = Sample(data, renderer=WIDGET_RENDERER)
    form.is_valid() if data is not None else None
    return form


@pytest.mark.parametrize("data", BOUND)
def test_widgets_are_written_as_djangos_templates_write_them(data):
    django, written = django_form(data), written_form(data)
    for name in Sample.base_fields:
        assert str(written[name]) == str(django[name]), name
        for theirs, ours in zip(django[name], written[name], strict=True):
            assert ours.tag() == theirs.tag(), name


@pytest.mark.parametrize("data", BOUND)
def test_fields_are_written_as_the_field_template_wrote_them(data):
    template = engines["django"].from_string(FIELD_TEMPLATE)
    django, written = django_form(data), written_form(data)
    for name in Sample.base_fields:
        expected = template.render({"field": django[name]})
        assert _squeezed(field_html(written[name])) == _squeezed(expected), name


def _squeezed(html: str) -> str:
    return re.sub(r"\s+", " ", html).strip()
