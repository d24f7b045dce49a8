"""The incident taxonomy file and its ACLED mapping."""

import pytest

from geo.errors import UsageError
from geo.extract.taxonomy import ACLED_TYPES, Taxonomy

HEADER = "name,event_type,sub_event_type,family,label,colour,icon\n"


def test_acled_vocabulary_has_six_event_types_and_25_sub_event_types():
    assert len(ACLED_TYPES) == 6
    assert sum(len(v) for v in ACLED_TYPES.values()) == 25


def test_bundled_taxonomy_maps_every_type_to_one_acled_pair():
    tax = Taxonomy.load()
    for kind in tax.types():
        assert kind.sub_event_type in ACLED_TYPES[kind.event_type]
        assert kind.colour.startswith("#") and kind.icon


def test_bundled_taxonomy_covers_every_acled_sub_event_type():
    covered = {(t.event_type, t.sub_event_type) for t in Taxonomy.load().types()}
    assert covered == {(e, s) for e, subs in ACLED_TYPES.items() for s in subs}


@pytest.mark.parametrize("name,event_type,sub_event_type", [
    ("air_strike", "Explosions/Remote violence", "Air/drone strike"),
    ("suicide_bombing", "Explosions/Remote violence", "Suicide bomb"),
    ("territory_retaken", "Battles", "Government regains territory"),
    ("attack_on_civilians", "Violence against civilians", "Attack"),
    ("displacement", "Strategic developments", "Other"),
])
def test_short_names_map_to_acled_types(name, event_type, sub_event_type):
    kind = Taxonomy.load().get(name)
    assert (kind.event_type, kind.sub_event_type) == (event_type, sub_event_type)


def test_unknown_type_error_lists_known_types():
    with pytest.raises(UsageError, match="air_strike"):
        Taxonomy.load().get("laser_attack")


@pytest.mark.parametrize("row,message", [
    ("boom,Explosions,Grenade,x,Boom,#ffffff,bomb", "unknown ACLED event type"),
    ("boom,Battles,Grenade,x,Boom,#ffffff,bomb", "not an ACLED sub-event type"),
    ("boom,Battles,Armed clash,x,Boom,red,bomb", "colour"),
    ("Boom,Battles,Armed clash,x,Boom,#ffffff,bomb", "type name"),
    ("boom,Battles,Armed clash,x,Boom,#ffffff", "expected 7 cells"),
])
def test_bad_user_file_names_file_and_line(tmp_path, row, message):
    path = tmp_path / "tax.csv"
    path.write_text("# comment\n" + HEADER + row + "\n", encoding="utf-8")
    with pytest.raises(UsageError, match=rf"tax\.csv:3: .*{message}"):
        Taxonomy.load(path)


def test_duplicate_type_is_rejected(tmp_path):
    path = tmp_path / "tax.csv"
    row = "boom,Battles,Armed clash,battle,Boom,#ffffff,bomb\n"
    path.write_text(HEADER + row + row, encoding="utf-8")
    with pytest.raises(UsageError, match="defined twice"):
        Taxonomy.load(path)


def test_missing_file_is_a_usage_error(tmp_path):
    with pytest.raises(UsageError, match="cannot read"):
        Taxonomy.load(tmp_path / "nope.csv")


def test_user_file_replaces_bundled_types(tmp_path):
    path = tmp_path / "tax.csv"
    path.write_text(HEADER + "boom,Battles,Armed clash,battle,Boom,#ffffff,bomb\n", encoding="utf-8")
    tax = Taxonomy.load(path)
    assert [t.name for t in tax.types()] == ["boom"] and tax.families() == ("battle",)
