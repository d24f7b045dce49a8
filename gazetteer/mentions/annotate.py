"""Level hints and containers of mentions: "Achin district", "Odessa, Ukraine", "district of Nangarhar"."""

from __future__ import annotations

from gazetteer.mentions.lexicon import Lexicon
from gazetteer.mentions.patterns import _CAP_AFTER, _COMMA, _CONTAINER_GAP, _HINT_BEFORE, _level_word_after, _may_end_with_of
from gazetteer.model import Mention

_HINT_REACH = 30   # "the district of ", "the province of the ": a level word before a name fits in this many characters


def _annotate(text: str, mentions: list[Mention], lex: Lexicon) -> list[Mention]:
    """Set level hints ("Achin district") and containers ("Odessa, Ukraine"; "district of Nangarhar")."""
    out = []
    consumed = -1   # end of a level word that already belongs to the previous mention
    for i, m in enumerate(mentions):
        hint, hint_end = _hint(text, m, lex, consumed)
        container = None
        nxt = mentions[i + 1] if i + 1 < len(mentions) else None
        if nxt is not None:
            gap = text[hint_end:nxt.start]
            if _COMMA.fullmatch(gap) or (_CONTAINER_GAP.fullmatch(gap) and (hint or "in" in gap)):
                container = nxt.text
        consumed = hint_end
        out.append(Mention(m.start, m.end, m.text, m.source, hint, container) if (hint or container) else m)
    return out


def _hint(text: str, m: Mention, lex: Lexicon, consumed: int) -> tuple[str | None, int]:
    """The level a word after ("Achin district") or before ("district of Achin") gives the mention, and
    where the mention with its level word ends; a word before that the previous mention took does not count."""
    after = _level_word_after(text, m.end, lex.level_words)
    if after and not _CAP_AFTER.match(text, after.end()):
        # ("U.S. State Department", "U.S. District Judge": the level word opens another name)
        return lex.level_words[after.group(1).lower()], after.end()
    if _may_end_with_of(text, m.start):
        before = _HINT_BEFORE.search(text, max(0, m.start - _HINT_REACH), m.start)
        if before and before.group(1).lower() in lex.level_words and before.end(1) > consumed:
            return lex.level_words[before.group(1).lower()], m.end
    return None, m.end
