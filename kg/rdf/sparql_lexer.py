"""The one SPARQL lexer: the tokens a guard or a rewrite needs to see outside strings, IRIs and comments.

Kinds: ``comment``, ``iri``, ``string`` (any of the four quote styles; an unterminated string runs to the end
of its line, or of the text for long strings, as a parser would read it), ``var`` (``?x`` / ``$x``), ``word``
(keywords, prefixed-name parts, booleans), ``open`` / ``close`` (``{ ( [`` / ``} ) ]``), ``space`` and
``other`` (any other single character: operators, ``.``, ``;``, ``:``, ``<`` as less-than …). Every character
of the text belongs to exactly one token, so joining the tokens gives the text back.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

_TOKEN = re.compile(
    r"""(?P<comment>\#[^\r\n]*+)
      | (?P<iri><[^<>"{}|^`\\\x00-\x20]*+>)
      | (?P<string>\"\"\"(?:[^"\\]|\\.|"(?!""))*+(?:\"\"\"|\\?\Z)
                  |'''(?:[^'\\]|\\.|'(?!''))*+(?:'''|\\?\Z)
                  |"(?:[^"\\\r\n]|\\.)*+(?:"|\\?(?=[\r\n])|\\?\Z)
                  |'(?:[^'\\\r\n]|\\.)*+(?:'|\\?(?=[\r\n])|\\?\Z))
      | (?P<var>[?$][A-Za-z0-9_\u00c0-\uffff][A-Za-z0-9_\u00b7\u00c0-\uffff]*+)
      | (?P<word>[A-Za-z_][A-Za-z0-9_]*+)
      | (?P<open>[{(\[])
      | (?P<close>[})\]])
      | (?P<space>\s++)
      | (?P<other>.)""",
    re.X | re.S,
)


def tokens(text: str) -> Iterator[tuple[str, str]]:
    """(kind, text) for every token of *text*, in order."""
    for match in _TOKEN.finditer(text):
        yield match.lastgroup or "other", match.group()
