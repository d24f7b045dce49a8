"""Level hints and containers of mentions: "Achin district", "Odessa, Ukraine", "district of Nangarhar"."""

from __future__ import annotations

from gazetteer.mentions.lexicon import Lexicon
from gazetteer.mentions.patterns import _CAP_AFTER, _COMMA, _CONTAINER_GAP, _HINT_BEFORE, _level_word_after, _may_end_with_of
from gazetteer.model import Mention


def _annotate(text: str, mentions: list[Mention], lex: Lexicon) -> list[Mention]:
    """Set level hints ("Achin district") and containers ("Odessa, Ukraine"; "district of Nangarhar")."""
    out = []
    consumed = -1   # end of a level word that already belongs to the previous mention
    for i, m in enumerate(mentions):
        hint = container = None
        after = _level_word_after(text, m.end, lex.level_words)
        hint_end = m.end
        if after and not _CAP_AFTER.match(text, after.end()):
            # ("U.S. State Department", "U.S. District Judge": the level word opens another name)
            hint = lex.level_words[after.group(1).lower()]
            hint_end = after.end()
        if hint is None and _may_end_with_of(text, m.start):
            before = _HINT_BEFORE.search(text, max(0, m.start - 30), m.start)
            if before and before.group(1).lower() in lex.level_words and before.end(1) > consumed:
                hint = lex.level_words[before.group(1).lower()]
        nxt = mentions[i + 1] if i + 1 < len(mentions) else None
        if nxt is not None:
            gap = text[hint_end:nxt.start]
            if _COMMA.fullmatch(gap) or (_CONTAINER_GAP.fullmatch(gap) and (hint or "in" in gap)):
                container = nxt.text
        consumed = hint_end
        out.append(Mention(m.start, m.end, m.text, m.source, hint, container) if (hint or container) else m)
    return out
