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
        parts = [format_html('<select name="{}"', widget["name"]), _attrs(widget["attrs"]), ">"]
        for group_name, options, _index in widget["optgroups"]:
            if group_name:
                parts.append(format_html('\n  <optgroup label="{}">', group_name))
            for o in options:
                parts.append(
                    format_html('\n  <option value="{}"', str(o["value"]))
                    + _attrs(o["attrs"])
                    + format_html(">{}</option>", o["label"])
                )
            if group_name:
                parts.append("\n  </optgroup>")
        parts.append("\n</select>")
        return mark_safe("".join(parts))  # noqa: S308 - every part is escaped above
