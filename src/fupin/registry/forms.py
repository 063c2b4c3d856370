"""Edit forms built from the field catalogue and the code lists of the record's year. They only parse
input; every rule is checked by the services, whose problems come back onto the named fields."""

from __future__ import annotations

from django import forms
from django.core.validators import RegexValidator

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


def _normalised(form: _RecordForm, names) -> dict:
    """The cleaned values of `names` as the services take them: empty text "", empty amounts and counts 0."""
    out = {}
    for name in names:
        value = form.cleaned_data.get(name)
        spec = schema.field(form.entity, name)
        if spec.type in ("str", "code", "choice") and value is None:
            value = ""
        if spec.type in ("decimal", "int") and value is None:
            value = 0
        if spec.type == "codes" and value is None:
            value = []
        out[name] = value
    return out


class NewPersonForm(PersonForm):
    """A member joining a household (新增成员): always in the household (人员状态 在户). With `head=True`
    the form is the head's of a new household, whose relation is 户主."""

    names = tuple(n for n in PERSON_EDITABLE if n != "status")

    def __init__(self, *args, head: bool = False, with_version: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        self.head = head
        if head:
            del self.fields["relation"]
        if not with_version:
            del self.fields["version"]

    def values(self) -> dict:
        out = _normalised(self, [n for n in self.names if n in self.fields])
        if self.head:
            out["relation"] = schema.HEAD_RELATION
        return out


class HouseholdCreateForm(HouseholdForm):
    """建档: a new household's own fields, its village (in the clerk's areas) and year."""

    def __init__(self, *args, villages=(), years=(), **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["version"]
        del self.fields["pairing_cadre"]  # chosen on the edit page, among the cadres of the household's village
        self.fields["village"] = forms.ChoiceField(label="行政村", choices=[("", "—")] + [
            (v.code, v.name) for v in villages])
        self.fields["year"] = forms.TypedChoiceField(label="年度", coerce=int, choices=[(y, y) for y in years])
        self.fields["household_number"] = forms.CharField(
            label="户编号（留空则自动编号）", required=False, max_length=30,
            validators=[RegexValidator(r"^\d{1,30}$", "户编号应为数字")])

    def values(self) -> dict:
        out = _normalised(self, self.names)
        out["village"] = self.cleaned_data["village"]
        if self.cleaned_data.get("household_number"):
            out["household_number"] = self.cleaned_data["household_number"]
        return out
