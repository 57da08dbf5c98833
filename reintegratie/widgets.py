"""Form widgets shared by the apps."""

from django import forms
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe


def _attrs(attrs: dict) -> str:
    """As django/forms/widgets/attrs.html: True gives the bare name, False leaves the attribute out."""
    return "".join(
        f" {conditional_escape(k)}" if v is True else f' {conditional_escape(k)}="{conditional_escape(v)}"'
        for k, v in attrs.items()
        if v is not False
    )


class SnelleSelect(forms.Select):
    """A select that writes its options in Python, with the markup of Django's templates.

    The worklist's filters and the dashboard offer every coach and entity to AgO (hundreds of options), and
    Django's template per option made them most of those pages' time."""

    def render(self, name, value, attrs=None, renderer=None):
        widget = self.get_context(name, value, attrs)["widget"]
        groups = [
            (group_name, [(o["value"], o["label"], o["attrs"]) for o in options])
            for group_name, options, _index in widget["optgroups"]
        ]
        return self._write(widget, groups)

    @staticmethod
    def _write(widget: dict, groups) -> str:
        """The select: ``groups`` of (group name or None, [(value, label, option attributes)])."""
        parts = [format_html('<select name="{}"', widget["name"]), _attrs(widget["attrs"]), ">"]
        for group_name, options in groups:
            if group_name:
                parts.append(format_html('\n  <optgroup label="{}">', group_name))
            parts += [  # (conditional_escape, as the templates: hundreds of options, format_html was slow)
                f'\n  <option value="{conditional_escape(str(value))}"{_attrs(attrs) if attrs else ""}>'
                f"{conditional_escape(label)}</option>"
                for value, label, attrs in options
            ]
            if group_name:
                parts.append("\n  </optgroup>")
        parts.append("\n</select>")
        return mark_safe("".join(parts))  # noqa: S308 - every part is escaped above


class SnelleModelSelect(SnelleSelect):
    """A SnelleSelect for a model choice that reads its options as rows (the primary key and the fields its
    label prints, ``Model.LABEL_FIELDS`` and ``Model.label_of``), not as model instances: AgO's worklist
    offers every coach of the VO, and a model instance per option was 40 % of that page's time."""

    def render(self, name, value, attrs=None, renderer=None):
        queryset = getattr(self.choices, "queryset", None)
        if queryset is None:  # not a model choice
            return super().render(name, value, attrs, renderer)
        model = queryset.model
        widget = forms.Widget.get_context(self, name, value, attrs)["widget"]
        chosen = set(widget["value"])  # as Django's ChoiceWidget: strings, "" for no value
        empty = self.choices.field.empty_label
        options = [("", empty)] if empty is not None else []
        options += [
            (str(pk), model.label_of(*fields))
            for pk, *fields in queryset.values_list("pk", *model.LABEL_FIELDS)
        ]
        selected = {"selected": True}
        return self._write(
            widget, [(None, [(v, lbl, selected if v in chosen else {}) for v, lbl in options])]
        )
