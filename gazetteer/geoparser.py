"""The geoparser: find place mentions in a text and resolve them with the article as context."""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable, Sequence

from gazetteer.index.lookup import GazetteerIndex
from gazetteer.mentions.lexicon import DATA
from gazetteer.mentions.matcher import MATCHER_FORMAT, Matcher
from gazetteer.model import Mention, Place, Toponym
from gazetteer.names import NAMES_VERSION, skeleton
from gazetteer.paths import clean_stale
from gazetteer.resolve.parts import place_parts
from gazetteer.resolve.resolver import Resolver, haversine_km

__all__ = ["Geoparser"]


class Geoparser:
    """Finds and resolves toponyms; build once per process with `open`, then call `parse` per text."""

    def __init__(self, index, matcher: Matcher, *, resolver: Resolver | None = None, online=None, max_mentions: int = 2000,
                 demonyms: bool = False):
        self.index = index
        self.matcher = matcher
        self.matcher.demonyms = demonyms
        self.resolver = resolver or Resolver(index, aliases=matcher.alias_keys)
        self.online = online
        self.max_mentions = max_mentions
        if hasattr(index, "candidates_by_skeleton"):
            self.matcher.skeleton_lookup = self._known_by_skeleton

    @classmethod
    def open(
        cls,
        gazetteer_path=None,
        *,
        online: bool = False,
        geocoder: str = "nominatim",
        geonames_username: str | None = None,
        max_mentions: int = 2000,
        demonyms: bool = False,
    ) -> "Geoparser":
        """Open (building if needed) the local index and the mention matcher cached beside it."""

        index = GazetteerIndex.open(gazetteer_path)
        matcher = _cached_matcher(index)
        geo = None
        if online:
            # lazy: geopy is needed only with --online
            from gazetteer.layers.online import OnlineGeocoder

            geo = OnlineGeocoder(geocoder, username=geonames_username) if geonames_username else OnlineGeocoder(geocoder)
        return cls(index, matcher, online=geo, max_mentions=max_mentions, demonyms=demonyms)

    @classmethod
    def from_index(cls, index, **kwargs) -> "Geoparser":
        """A geoparser over an already opened index (tests, fakes); builds the matcher in memory."""
        return cls(index, Matcher.build(index.iter_keys()), **kwargs)

    def _known_by_skeleton(self, name: str) -> bool:
        skel = skeleton(name)
        return len(skel) >= 3 and bool(self.resolver.candidates(name))

    def find_mentions(self, text: str, *, skip: Sequence[tuple[int, int]] = (), dateline_places: Sequence[str] = ()) -> list[Mention]:
        """Place mentions in `text`, in text order."""
        return self.matcher.find(text, skip=skip, dateline_places=dateline_places)

    def annotate(self, text: str, mentions: Sequence[Mention]) -> list[Mention]:
        """Mentions found elsewhere (gold spans) with the containers the text names after them ("Paris, Idaho")."""
        return self.matcher.annotate(text, mentions)

    def resolve(self, text: str, mentions: Sequence[Mention], *, dateline_places=(), dateline_country=None) -> list[Toponym]:
        """One Toponym per mention, in the same order (unresolved ones keep place=None)."""
        return self._resolve(text, mentions, dateline_places, dateline_country, new_mentions=False)

    def parse(self, text, *, dateline_places=(), dateline_country=None, skip=(), warn: Callable[[str], None] | None = None) -> list[Toponym]:
        """Find and resolve; when more than `max_mentions` are found only the first ones are kept.

        A part of a town the text names ("the Wahda district of east Mosul") also gains its later
        bare uses ("advanced into Wahda") and its sibling ("al-Thaura and al-Saha districts").
        """
        mentions = self.find_mentions(text, skip=skip, dateline_places=dateline_places)
        if len(mentions) > self.max_mentions:
            if warn is not None:
                warn(f"{len(mentions):,} place mentions found; only the first {self.max_mentions:,} were resolved (--max-mentions)")
            mentions = mentions[: self.max_mentions]
        return self._resolve(text, mentions, dateline_places, dateline_country, new_mentions=True)

    def _resolve(self, text, mentions, dateline_places, dateline_country, *, new_mentions: bool) -> list[Toponym]:
        toponyms = self.resolver.resolve(text, mentions, dateline_places=dateline_places, dateline_country=dateline_country)
        toponyms = place_parts(text, toponyms, new_mentions=new_mentions)
        if self.online is not None:
            toponyms = self._ask_online(toponyms, dateline_country)
        return toponyms

    def lookup(self, name: str, *, country: str | None = None, near: tuple[float, float] | None = None, limit: int = 10) -> list[tuple[Place, float]]:
        """Candidates for a name, best first, scored by weight and the optional country / nearby point."""
        cc = None
        if country:
            cc = country.upper() if len(country) == 2 else self.resolver._country_code(country)
        scored = []
        for c in self.resolver.candidates(name):
            s = c.prior + (0.15 if c.exact else 0.0) - (0.3 if c.skel else 0.0)
            if cc:
                s += 1.0 if c.cc == cc else -0.5
            if near is not None:
                s += 1.0 / (1.0 + haversine_km(c.place.lat, c.place.lon, near[0], near[1]) / 100.0)
            scored.append((c.place, s))
        scored.sort(key=lambda t: -t[1])
        top = scored[0][1] if scored else 0.0
        return [(p, round(max(0.0, min(1.0, s / max(top, 1e-9))), 4)) for p, s in scored[:limit]]

    def _ask_online(self, toponyms: list[Toponym], dateline_country) -> list[Toponym]:
        """Ask the online geocoder (cached, rate limited) about names the layers lack, once per name."""
        cc = self.resolver._country_code(dateline_country) if dateline_country else None
        if cc is None:
            counts: dict[str, int] = {}
            for t in toponyms:
                if t.place is not None and t.place.country_code:
                    counts[t.place.country_code] = counts.get(t.place.country_code, 0) + 1
            cc = max(counts, key=counts.__getitem__) if counts else None
        answers: dict[str, Place | None] = {}
        out = []
        for t in toponyms:
            if t.place is None and t.mention.source != "demonym":
                name = t.mention.text
                if name not in answers:
                    answers[name] = self.online.geocode(name, country=cc)
                if answers[name] is not None:
                    t = Toponym(t.mention, answers[name], 0.5)
            out.append(t)
        return out


def _build_id(index) -> str:
    """Identity of the index content the matcher was built from, cheap to compute on every open."""
    path = getattr(index, "path", None)
    try:
        st = os.stat(path) if path else None
    except OSError:
        st = None
    # Any write (rebuild, user import) changes the file's size or mtime; the counts in info()
    # would be exact but cost a full scan of the name table.
    bid = f"{path}|{st.st_size}|{st.st_mtime_ns}" if st else repr(sorted((index.info() or {}).items()))
    return hashlib.sha1(f"{bid}|{NAMES_VERSION}|{MATCHER_FORMAT}|{_lexicon_stamp()}".encode()).hexdigest()[:16]


def _lexicon_stamp() -> str:

    digest = hashlib.sha1()
    for name in ("stopwords.txt", "name_variants.csv", "demonyms.csv", "demonym_regions.csv", "surnames.txt"):
        try:
            digest.update((DATA / name).read_bytes())
        except OSError:
            digest.update(b"-")
    return digest.hexdigest()[:12]


def _cached_matcher(index) -> Matcher:
    bid = _build_id(index)
    path = getattr(index, "path", None)
    cache = f"{path}.matcher.pickle" if path else None
    if cache:
        clean_stale(*os.path.split(os.path.abspath(cache)))     # a save killed mid-way
        m = Matcher.load(cache, bid)
        if m is not None:
            return m
    m = Matcher.build(index.iter_keys(), build_id=bid)
    if cache:
        try:
            m.save(cache)
        except OSError:
            pass  # a read-only index folder: keep the matcher in memory only
    return m
