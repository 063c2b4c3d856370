"""The field catalogue agrees with the models, the shipped code lists and the national layout."""

import csv

from fupin.registry import lifecycle, schema
from fupin.registry.dictionaries import DATA_DIR
from fupin.registry.models import Household, HouseholdStatus, Person, PersonStatus


def test_every_entered_field_is_a_model_field():
    household = {f.name for f in Household._meta.get_fields()}
    person = {f.name for f in Person._meta.get_fields()}
    for spec in schema.fields_of(schema.HOUSEHOLD, derived=False):
        assert spec.name in household, spec.name
    for spec in schema.fields_of(schema.PERSON, derived=False):
        assert spec.name in person or spec.name == "household_number", spec.name


def test_every_model_field_has_a_chinese_label_and_is_catalogued():
    skip = {"id", "version", "created_at", "updated_at", "household", "persons"}
    for model, entity in ((Household, schema.HOUSEHOLD), (Person, schema.PERSON)):
        for f in model._meta.concrete_fields:
            if f.name in skip:
                continue
            assert schema.has_field(entity, f.name), f"{entity}.{f.name} missing from the catalogue"
            assert any("\u4e00" <= ch <= "\u9fff" for ch in str(f.verbose_name)), f.name


def test_statuses_match_the_catalogue_and_the_lifecycle():
    assert list(HouseholdStatus.choices) == list(schema.HOUSEHOLD_STATUSES)
    assert list(PersonStatus.choices) == list(schema.PERSON_STATUSES)
    known = {v for v, _label in schema.HOUSEHOLD_STATUSES}
    for t in lifecycle.TRANSITIONS.values():
        assert t.sources <= known and t.target in known, t.name


def test_national_layout_is_complete_and_in_order():
    columns = schema.export_columns()
    assert [c.header for c in columns[:len(schema.NATIONAL_LAYOUT)]] == list(schema.NATIONAL_LAYOUT)
    headers = [c.header for c in columns]
    assert len(headers) == len(set(headers)), "a header appears twice"
    assert schema.field(schema.HOUSEHOLD, "main_cause").header == "致贫原因1"
    assert schema.field(schema.HOUSEHOLD, "monitoring_type").header == "易返贫致贫户(监测对象)类型"


def test_every_dictionary_used_is_shipped_with_its_source():
    with (DATA_DIR / "dictionaries.csv").open(encoding="utf-8") as fh:
        shipped = {row["name"]: row for row in csv.DictReader(fh)}
    assert schema.dictionaries_used() <= set(shipped)
    assert all(row["source"] for row in shipped.values())


def test_unknown_field_is_named_in_the_error():
    try:
        schema.field(schema.HOUSEHOLD, "income")
    except KeyError as exc:
        assert "household.income" in str(exc)
    else:
        raise AssertionError("no error")
