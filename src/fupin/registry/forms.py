"""Edit forms built from the field catalogue and the code lists of the record's year. They only parse
input; every rule is checked by the services, whose problems come back onto the named fields."""

from __future__ import annotations

from django import forms

from fupin.registry import schema
from fupin.registry.models import Household, Person
from fupin.registry.services import HOUSEHOLD_EDITABLE, PERSON_EDITABLE
from fupin.registry.validation import CodeLists


def _form_field(spec: schema.FieldSpec, codes: CodeLists, model) -> forms.Field:
    label = spec.label
    if spec.type == "code":
        return forms.ChoiceField(label=label, required=False, choices=[("", "—")] + codes.choices(spec.dictionary))
    if spec.type == "codes":
        return forms.MultipleChoiceField(label=label, required=False, choices=codes.choices(spec.dictionary),
                                         widget=forms.CheckboxSelectMultiple)
    if spec.type == "choice":
        return forms.ChoiceField(label=label, choices=list(spec.choices))
    if spec.type == "bool":
        return forms.NullBooleanField(label=label, required=False, widget=forms.NullBooleanSelect)
    if spec.type == "date":
        return forms.DateField(label=label, required=False, widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}))
    if spec.type == "decimal":
        return forms.DecimalField(label=label, required=False, max_digits=12, decimal_places=2)
    if spec.type == "int":
        return forms.IntegerField(label=label, required=False, min_value=0)
    max_length = model._meta.get_field(spec.name).max_length
    return forms.CharField(label=label, required=False, max_length=max_length)


class _RecordForm(forms.Form):
    entity = ""
    names: tuple[str, ...] = ()
    model = None

    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, codes: CodeLists, **kwargs):
        super().__init__(*args, **kwargs)
        for name in self.names:
            spec = schema.field(self.entity, name)
            self.fields[name] = _form_field(spec, codes, self.model)
            if spec.required:
                self.fields[name].required = True

    def changes(self, current) -> dict:
        """The submitted values that differ from `current` (a model instance)."""
        out = {}
        for name in self.names:
            value = self.cleaned_data.get(name)
            spec = schema.field(self.entity, name)
            if spec.type in ("str", "code", "choice") and value is None:
                value = ""
            if spec.type == "decimal" and value is None:
                value = 0
            if spec.type == "int" and value is None:
                value = 0
            old = getattr(current, name)
            if value != old:
                out[name] = value
        return out

    def apply_problems(self, problems: list[dict]) -> list[str]:
        """Put service problems on their fields; return those that name no field of this form."""
        rest = []
        for p in problems:
            if p.get("entity") == self.entity and p.get("field") in self.fields:
                self.add_error(p["field"], p["message"])
            else:
                rest.append(p["message"])
        return rest


class HouseholdForm(_RecordForm):
    entity = schema.HOUSEHOLD
    names = tuple(n for n in HOUSEHOLD_EDITABLE if n != "pairing_cadre")
    model = Household

    def __init__(self, *args, cadres=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["pairing_cadre"] = forms.TypedChoiceField(
            label="帮扶责任人", required=False, coerce=int, empty_value=None,
            choices=[("", "未落实")] + [(u.pk, str(u)) for u in cadres])

    def changes(self, current) -> dict:
        out = super().changes(current)
        cadre = self.cleaned_data.get("pairing_cadre")
        if cadre != current.pairing_cadre_id:
            out["pairing_cadre"] = cadre
        return out


class PersonForm(_RecordForm):
    entity = schema.PERSON
    names = PERSON_EDITABLE
    model = Person

    def __init__(self, *args, successors=(), **kwargs):
        super().__init__(*args, **kwargs)
        if successors:
            self.fields["new_head"] = forms.TypedChoiceField(
                label="新户主（本人不再是户主或离开本户时必填）", required=False, coerce=int, empty_value=None,
                choices=[("", "—")] + [(p.pk, p.name) for p in successors])


def initial_of(instance, names) -> dict:
    out = {name: getattr(instance, name) for name in names}
    if hasattr(instance, "pairing_cadre_id"):
        out["pairing_cadre"] = instance.pairing_cadre_id
    out["version"] = instance.household.version if isinstance(instance, Person) else instance.version
    return out
