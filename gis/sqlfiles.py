"""SQL kept in ``.sql`` files next to the Python that runs it, loaded with importlib.resources.

Files are read **without their comments**.  A placeholder inside a comment is an injection: psycopg2
interpolates bound values client-side, and PostgreSQL ends a ``--`` comment at a carriage return or a
line feed, so a value holding ``\\r`` followed by SQL would run that SQL (issue 11).  Stripping the
comments when the file is loaded means no placeholder (``{name}`` composed with :mod:`psycopg2.sql`,
``%(name)s`` or ``:name`` bound by the driver) can ever land in one.  A placeholder inside a string
literal, a quoted identifier or a dollar-quoted body is refused when the file is loaded, for the same
reason: a bound value there would be spliced into a literal instead of being quoted as one.

The tokenizer follows PostgreSQL's lexer for what matters here: ``'…'`` (``''`` doubles a quote;
``E'…'`` also escapes with a backslash), ``"…"`` identifiers, ``$tag$…$tag$`` bodies, ``--`` comments
to the end of the line (``\\n`` or ``\\r``) and nested ``/* … */`` comments.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from importlib import metadata, resources

#: A placeholder of psycopg2.sql composition or of the driver's binding.
_PLACEHOLDER = re.compile(r"\{[A-Za-z_]\w*\}|%\([A-Za-z_]\w*\)s")
_DOLLAR_TAG = re.compile(r"\$([A-Za-z_]\w*)?\$")


class SqlFileError(ValueError):
    """An ``.sql`` file (or composed statement) that could let a value become SQL."""


@dataclass(frozen=True)
class Token:
    """A piece of SQL text: ``code``, ``literal`` (string, identifier or dollar body) or ``comment``."""

    kind: str
    text: str
    start: int


def tokens(text: str) -> list[Token]:
    """Split SQL text into code, quoted pieces and comments (PostgreSQL's lexical rules)."""
    out: list[Token] = []
    i = start = 0
    n = len(text)
    while i < n:
        end, kind = _quoted_or_comment(text, i)
        if kind is None:
            i += 1
            continue
        if start < i:
            out.append(Token("code", text[start:i], start))
        out.append(Token(kind, text[i:end], i))
        i = start = end
    if start < n:
        out.append(Token("code", text[start:], start))
    return out


def _quoted_or_comment(text: str, i: int) -> tuple[int, str | None]:
    """End and kind of the quoted piece or comment starting at ``i``; ``(i, None)`` when none does."""
    pair = text[i : i + 2]
    char = text[i]
    if pair == "--":
        return _line_end(text, i), "comment"
    if pair == "/*":
        return _block_comment_end(text, i), "comment"
    if char == "'":
        escapes = i > 0 and text[i - 1] in "eE" and not _word_char(text, i - 2)
        return _quote_end(text, i, "'", backslash=escapes), "literal"
    if char == '"':
        return _quote_end(text, i, '"', backslash=False), "literal"
    if char == "$" and not _word_char(text, i - 1):
        match = _DOLLAR_TAG.match(text, i)
        if match:
            close = text.find(match.group(0), match.end())
            if close < 0:
                raise SqlFileError(f"unterminated dollar-quoted body {match.group(0)} at offset {i}")
            return close + len(match.group(0)), "literal"
    return i, None


def _word_char(text: str, j: int) -> bool:
    return j >= 0 and (text[j].isalnum() or text[j] == "_")


def _line_end(text: str, i: int) -> int:
    ends = [p for p in (text.find("\n", i), text.find("\r", i)) if p >= 0]
    return min(ends) if ends else len(text)


def _block_comment_end(text: str, i: int) -> int:
    depth, j = 0, i
    while j < len(text):
        if text.startswith("/*", j):
            depth, j = depth + 1, j + 2
        elif text.startswith("*/", j):
            depth, j = depth - 1, j + 2
            if depth == 0:
                return j
        else:
            j += 1
    raise SqlFileError(f"unterminated /* comment at offset {i}")


def _quote_end(text: str, i: int, quote: str, *, backslash: bool) -> int:
    j = i + 1
    while j < len(text):
        char = text[j]
        if backslash and char == "\\":
            j += 2
            continue
        if char == quote:
            if text.startswith(quote * 2, j):
                j += 2
                continue
            return j + 1
        j += 1
    raise SqlFileError(f"unterminated {quote} quote at offset {i}")


def strip_comments(text: str, *, where: str = "SQL") -> str:
    """``text`` without its comments (a ``--`` comment leaves its line break, a block one a space).

    Raises :class:`SqlFileError` when a placeholder sits inside a string literal, quoted identifier
    or dollar-quoted body.
    """
    parts: list[str] = []
    for token in tokens(text):
        if token.kind == "comment":
            parts.append("" if token.text.startswith("--") else " ")
            continue
        found = _PLACEHOLDER.search(token.text) if token.kind == "literal" else None
        if found is not None:
            raise SqlFileError(
                f"{where}: placeholder {found.group(0)} inside the quoted text {token.text[:60]!r}; "
                "a bound value there would be spliced into a literal. Put the placeholder outside quotes."
            )
        parts.append(token.text)
    return "".join(parts)


def comments(text: str) -> list[str]:
    """The comments of SQL text (an empty list for a composed statement that is safe to send)."""
    return [t.text for t in tokens(text) if t.kind == "comment"]


@cache
def load_sql(package: str, name: str) -> str:
    """The text of ``<package>/sql/<name>.sql``, comments removed (see the module docstring)."""
    text = resources.files(package).joinpath("sql", f"{name}.sql").read_text(encoding="utf-8")
    return strip_comments(text, where=f"{package}/sql/{name}.sql")


def dothi_version() -> str:
    """The installed dothi version (recorded in provenance rows)."""
    try:
        return metadata.version("dothi")
    except metadata.PackageNotFoundError:
        return "unknown"
