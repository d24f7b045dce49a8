"""Resolving mentions with article context."""

import pytest

from gazetteer.mentions.matcher import Matcher
from gazetteer.model import Mention
from gazetteer.resolve.resolver import Resolver, haversine_km
from tests.fake_gazetteer import FakeIndex


@pytest.fixture(scope="module")
def index():
    return FakeIndex()


@pytest.fixture(scope="module")
def matcher(index):
    return Matcher.build(index.iter_keys(), build_id="fake")


@pytest.fixture(scope="module")
def resolver(index, matcher):
    return Resolver(index, aliases=matcher.alias_keys)


def resolve(resolver, matcher, text, **kw):
    mentions = matcher.find(text, dateline_places=kw.get("dateline_places", ()))
    return {t.mention.text: t for t in resolver.resolve(text, mentions, **kw)}


def test_resolves_odessa_to_ukraine_in_european_context(resolver, matcher):
    text = "Police in Berlin, Vienna and Cologne tightened security; Ukraine said it foiled a plot in Odessa."
    assert resolve(resolver, matcher, text)["Odessa"].place.id == "gn:698740"


def test_explicit_container_picks_the_right_namesake(resolver, matcher):
    text = "Such tactics were used in attacks in Nice, France, and in Columbus, Ohio, the bulletin said."
    got = resolve(resolver, matcher, text)
    assert got["Nice"].place.country_code == "FR"
    assert got["Columbus"].place.id == "gn:4509177"


def test_palestine_in_a_mosul_story_is_the_mosul_district(resolver, matcher):
    text = ("Iraqi forces faced fierce resistance in southern Mosul, Iraq. There were heavy clashes "
            "in the southeastern Palestine district, officers said.")
    assert resolve(resolver, matcher, text)["Palestine"].place.id == "cz:mosul-palestine"


def test_palestine_without_a_mosul_context_is_the_state(resolver, matcher):
    text = "Leaders from Jordan and Palestine met to discuss the peace process."
    assert resolve(resolver, matcher, text)["Palestine"].place.id == "ne0:PS"


def test_wahda_district_in_a_mosul_story_is_the_curated_quarter(resolver, matcher):
    text = "A civilian in the southeastern Wahda district of Mosul said helicopters fired on targets."
    assert resolve(resolver, matcher, text)["Wahda"].place.id == "cz:mosul-wahda"


def test_camp_hint_selects_the_camp(resolver, matcher):
    text = "Displaced families reached Khazir camp, east of Mosul, on Friday."
    assert resolve(resolver, matcher, text)["Khazir"].place.id == "cz:khazir-camp"


def test_name_without_its_article_finds_the_indexed_form(resolver, matcher):
    text = "Islamic State still controls the town of Qaim in Iraq."
    assert resolve(resolver, matcher, text)["Qaim"].place.id == "gn:89570"


def test_achin_district_of_nangarhar_resolves_in_afghanistan(resolver, matcher):
    text = "The bomb was dropped in the Achin district of Nangarhar province, bordering Pakistan."
    got = resolve(resolver, matcher, text)
    assert got["Achin"].place.id == "gn:1148310"
    assert got["Nangarhar"].place.id == "ne1:AFG-nangarhar"


def test_transliterated_spelling_resolves_through_the_skeleton(resolver, matcher):
    text = "The army was trying to cut supply lines to the town of Tel Keyf, north of Mosul, Iraq."
    place = resolve(resolver, matcher, text)["Tel Keyf"].place
    assert place is not None and place.id == "gn:98245"


def test_dateline_country_steers_an_ambiguous_name(resolver):
    text = "Odessa was quiet on Sunday."
    mentions = [Mention(0, 6, "Odessa")]
    assert resolver.resolve(text, mentions, dateline_country="Ukraine")[0].place.country_code == "UA"


def test_unknown_names_are_unresolved_not_placed_at_zero(resolver):
    text = "They met in Xanadoodle."
    top = resolver.resolve(text, [Mention(11, 21, "Xanadoodle")])[0]
    assert top.place is None and top.score == 0.0 and not top.resolved


def test_every_mention_comes_back_in_order_with_bounded_scores(resolver, matcher):
    text = "From Baghdad to Erbil and Mosul, and on to Kabul in Afghanistan and Xanadoodle."
    mentions = matcher.find(text) + [Mention(68, 78, "Xanadoodle")]
    tops = resolver.resolve(text, mentions)
    assert [t.mention for t in tops] == mentions
    for t in tops:
        assert 0.0 <= t.score <= 1.0
        assert len(t.alternatives) <= 3
        assert all(0.0 <= s <= 1.0 for _, s in t.alternatives)


def test_country_name_beats_a_namesake_village(resolver):
    text = "Jordan closed its border."
    assert resolver.resolve(text, [Mention(0, 6, "Jordan")])[0].place.level.value == "country"


def test_haversine_is_symmetric_and_zero_on_the_same_point():
    assert haversine_km(36.3, 43.1, 36.3, 43.1) == 0.0
    d = haversine_km(36.335, 43.119, 36.19, 44.01)
    assert 75 < d < 85
    assert d == pytest.approx(haversine_km(36.19, 44.01, 36.335, 43.119))


def test_district_hint_never_resolves_to_a_country_or_a_distant_town(matcher):
    from tests.fake_gazetteer import ROWS

    index = FakeIndex([r for r in ROWS if r[0] != "cz:mosul-palestine"])
    resolver = Resolver(index, aliases=matcher.alias_keys)
    text = ("U.S.-backed Iraqi forces fought in southern Mosul, Iraq. There were heavy clashes "
            "in the southeastern Palestine district, officers said.")
    mentions = matcher.find(text)
    got = {t.mention.text: t for t in resolver.resolve(text, mentions)}
    assert got["Palestine"].place is None
    assert got["Mosul"].place.id == "gn:99072"


_NAMESAKES = [
    ("gn:4717560", "Palestine", 31.76, -95.63, "city", "US", "Texas", 18_288, None, []),
    ("gn:4705086", "Paris", 33.66, -95.56, "city", "US", "Texas", 24_782, None, []),
    ("gn:4655108", "Paris", 36.30, -88.33, "city", "US", "Tennessee", 10_150, None, []),
    ("cnty:01067", "Henry County", 31.52, -85.24, "district", "US", "Alabama", 0, None, []),
    ("cnty:47079", "Henry County", 36.32, -88.29, "district", "US", "Tennessee", 0, None, []),
]


def test_names_that_only_fit_together_resolve_near_each_other():
    from dataclasses import replace

    from gazetteer.resolve.resolver import Weights

    index = FakeIndex(_NAMESAKES)
    text = "Deputies in Henry County said the Paris man was arrested."
    mentions = [Mention(text.index("Henry County"), text.index("Henry County") + 12, "Henry County", "gold"),
                Mention(text.index("Paris"), text.index("Paris") + 5, "Paris", "gold")]
    joint = {t.mention.text: t for t in Resolver(index).resolve(text, mentions)}
    assert joint["Paris"].place.admin1 == "Tennessee"
    assert joint["Henry County"].place.admin1 == "Tennessee"
    # Each name's best guess alone is the other state; only the joint reading is sure of Tennessee.
    alone = Resolver(index, weights=replace(Weights(), coherence=0.0))
    alone.passes = 1
    first = {t.mention.text: t for t in alone.resolve(text, mentions)}
    assert (first["Paris"].place.admin1, first["Henry County"].place.admin1) == ("Texas", "Alabama")
    assert joint["Paris"].score > first["Paris"].score



def test_every_weight_belongs_to_a_named_feature_or_to_the_ranking():
    from dataclasses import fields

    from gazetteer.resolve.features import OWN_FEATURES, STORY_FEATURES
    from gazetteer.resolve.resolver import Weights

    rows = OWN_FEATURES + STORY_FEATURES
    names = [f.name for f in rows]
    assert len(names) == len(set(names)), "two features share a name"
    named = {w for f in rows for w in f.weights}
    known = {f.name for f in fields(Weights)}
    assert named <= known, f"features name weights that do not exist: {sorted(named - known)}"
    # the ranking's own: the confidence spread, the floor for hinted names, the stray-town test,
    # and the coherence kernel computed before ranking
    ranking = {"temperature", "floor", "stray_km", "stray_share", "coherence_km", "coherence_cap"}
    assert known - named - ranking == set()


def test_a_story_feature_can_rule_a_candidate_out():
    # "Palestine district" is never the State of Palestine: the level-word feature vetoes it.
    index = FakeIndex([
        ("ne:PS", "Palestine", 31.9, 35.2, "country", "PS", None, 5_000_000, None, []),
        ("gn:99", "Palestine", 36.33, 43.13, "district", "IQ", "Nineveh", 0, None, []),
    ])
    text = "Fighting reached the Palestine district on Monday."
    a = text.index("Palestine")
    resolver = Resolver(index)
    bare = resolver.resolve(text, [Mention(a, a + 9, "Palestine", "gold")])[0]
    assert bare.place is not None and bare.place.id == "ne:PS"   # without the level word, the country wins
    hinted = resolver.resolve(text, [Mention(a, a + 9, "Palestine", "gold", "district")])[0]
    assert hinted.place is None or hinted.place.id == "gn:99"
    assert all(p.id != "ne:PS" for p, _ in hinted.alternatives)


def test_a_context_without_one_name_is_the_context_combined_without_it(real_geoparser, seeds_dir):
    # `Context.without` recounts only what the name left out voted for; it must give what combining
    # every other name's votes again gives, on the seed stories' real readings (several names share a
    # country, some a region or a point), with and without a dateline's country.
    from gazetteer.names import normalize
    from gazetteer.resolve.context import Context

    for path in sorted(seeds_dir.glob("*.txt")):
        tops = real_geoparser.parse(path.read_text(encoding="utf-8"))
        keys = [normalize(t.mention.text) for t in tops]
        best = [[(t.place, t.score), *t.alternatives] if t.place else [] for t in tops]
        assert len(set(keys)) > 10
        for dateline_cc in (None, "IQ", "US"):
            whole = Context.build(keys, best, dateline_cc)
            for key in set(keys):
                fast, again = whole.without(key), Context._combine(whole._by_key, dateline_cc, skip=key)
                for field in Context.__slots__:
                    assert getattr(fast, field) == getattr(again, field), (path.name, key, field)
                assert fast.without(keys[0]).countries == Context._combine(whole._by_key, dateline_cc, skip=keys[0]).countries


def test_a_feature_a_scene_leaves_out_adds_nothing_there(real_geoparser, seeds_dir, monkeypatch):
    # A scene asks only the features whose `applies` holds; each one it leaves out must add exactly 0.0
    # (never a veto) to every candidate of that scene, or leaving it out would change a score.
    from gazetteer.resolve import features, resolver

    seen = {"asked": 0, "left out": 0}

    def checked(c, k):
        for f in features.STORY_FEATURES:
            if f.score not in k.scorers:
                k.start(c)
                assert f.score(c, k) == 0.0, (f.name, k.mention.text, c.place.id)
                seen["left out"] += 1
        seen["asked"] += 1
        return features.story_score(c, k)

    monkeypatch.setattr(resolver, "story_score", checked)
    for path in sorted(seeds_dir.glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        real_geoparser.parse(text)
        real_geoparser.parse(text, dateline_places=("MOSUL",), dateline_country="Iraq")
    assert seen["asked"] > 100 and seen["left out"] > seen["asked"]
