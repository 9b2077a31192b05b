"""Text that came from a file (or a file name) made safe for where it is shown.

One convention everywhere `ncm` prints such text to a terminal or a CI log, and in CSV:
characters that a terminal or a log viewer would act on, or that would hide or reorder
text, are shown as Python-style escapes:

- C0 controls, DEL and C1 controls: `\\n`, `\\r`, `\\t`, else `\\xHH` (ESC is `\\x1b`, CSI
  `\\x9b`, BEL `\\x07`);
- bidirectional marks, embeddings, overrides and isolates (U+061C, U+200E, U+200F,
  U+202A-U+202E, U+2066-U+2069), zero-width and invisible characters (U+180E,
  U+200B-U+200D, U+2060-U+2064, U+206A-U+206F, U+FEFF), the line and paragraph separators
  (U+2028, U+2029), U+FFF9-U+FFFB and the noncharacters U+FFFE and U+FFFF (which XML, so a
  workbook or a Word document, cannot hold): `\\uHHHH`; the tag characters U+E0000-U+E007F
  (hidden ASCII text): `\\UHHHHHHHH`;
- surrogates (a file name that is not valid UTF-8, decoded by Python with `surrogateescape`):
  U+FFFD, the replacement character;
- the start of a GitHub Actions workflow command: the first of two colons as `\\x3a` (so no
  `::` is left: a table that wraps or folds a cell can put any part of it at the start of
  a line, where `::error::...` would be obeyed) and the `[` of `##[` as `\\x5b` (the runner's
  older syntax, `##[error]...`, is obeyed anywhere in a line).

JSON keeps the exact text of values: the same characters (and the `[` of `##[`) are written
as JSON `\\uHHHH` escapes, which a JSON parser turns back into the same characters; only
surrogates become U+FFFD (they cannot be encoded in UTF-8). (A JSON line never starts with
`::`: every value is after a quote.)
"""

from __future__ import annotations

import re

_SURROGATES = "\ud800-\udfff"
_NONCHARACTERS = "\ufffe\uffff"
_INVISIBLE = (
    "\u061c\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u206f\ufeff\u2028\u2029"
    "\ufff9-\ufffb\U000e0000-\U000e007f"
)
"""Bidi controls, zero-width and invisible characters (also the invisible operators
U+2061-U+2064, the deprecated format characters U+206A-U+206F, U+180E, and the tag
characters U+E0000-U+E007F, which carry hidden ASCII text: "ASCII smuggling")."""
_UNSAFE_CHARS = f"[\x00-\x1f\x7f-\x9f{_INVISIBLE}{_NONCHARACTERS}{_SURROGATES}]"
_UNSAFE = re.compile(f"{_UNSAFE_CHARS}|:(?=:)|(?<=##)\\[")
_UNSAFE_CHAR = re.compile(_UNSAFE_CHARS)
"""`_UNSAFE` without its two look-arounds, which keep a regex from scanning fast: the search
asks for these and for `::` or `##[` as substrings (four times quicker on a batch's JSON)."""
INVISIBLE = re.compile(f"[{_INVISIBLE}]")
"""The bidi, zero-width and separator characters a YAML writer puts in a file raw (YAML
counts them printable), where `cat` would reorder or hide text."""
_JSON_UNSAFE_CHARS = f"[\x7f-\x9f{_INVISIBLE}{_NONCHARACTERS}{_SURROGATES}]"
_JSON_UNSAFE = re.compile(f"{_JSON_UNSAFE_CHARS}|(?<=##)\\[")
_JSON_UNSAFE_CHAR = re.compile(_JSON_UNSAFE_CHARS)
_SURROGATE = re.compile(f"[{_SURROGATES}]")
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _shown(m: re.Match[str]) -> str:
    ch = m.group()
    code = ord(ch)
    if 0xD800 <= code <= 0xDFFF:
        return "\ufffd"
    if ch in _NAMED:
        return _NAMED[ch]
    if code > 0xFFFF:  # a tag character: Python's (and YAML's) eight-digit escape
        return f"\\U{code:08x}"
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def term(text: object) -> str:
    """One line of text, safe for a terminal or a CI log: nothing in it is acted on as a
    control, nothing can start a new line, and no workflow command (`::error::`, `##[error]`)
    is left for a CI runner to find, even where a table wraps the text."""
    s = str(text)
    if _UNSAFE_CHAR.search(s) or "::" in s or "##[" in s:
        return _UNSAFE.sub(_shown, s)
    return s


def markup(text: object) -> str:
    """`term`, then Rich markup escaped: for text put into a Rich markup string or cell."""
    from rich.markup import escape

    return escape(term(text))


def display_name(text: str) -> str:
    """A name (usually a file name) with surrogates replaced by U+FFFD and nothing else
    changed: what goes into JSON and reports, which must be valid UTF-8."""
    return _SURROGATE.sub("\ufffd", text) if _SURROGATE.search(text) else text


_XML_UNSAFE = re.compile(f"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff{_SURROGATES}]")


def xml_text(text: object) -> str:
    """Text with the characters XML 1.0 cannot hold (C0 controls but TAB, LF and CR; U+FFFE,
    U+FFFF; surrogates) shown as by `term`: what a Word document's text must be, even when a
    user template put a control into the Markdown it is made from."""
    s = str(text)
    return _XML_UNSAFE.sub(_shown, s) if _XML_UNSAFE.search(s) else s


_HTML_UNSAFE = re.compile(
    f"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f{_INVISIBLE}{_NONCHARACTERS}{_SURROGATES}]"
    "|\r(?!\n)"  # a lone CR: a terminal returns over the line, a CI runner starts a new one
)


def _html_ref(m: re.Match[str]) -> str:
    code = ord(m.group())
    return "\ufffd" if 0xD800 <= code <= 0xDFFF else f"&#x{code:x};"


_HTML_RAW_TEXT = re.compile(r"(<(style|script)\b.*?</\2\s*>)", re.S | re.I)
"""A style sheet or script, whose text a browser reads without character references."""
_HTML_COMMAND = re.compile(r"^([ \t]*):(?=:)|(?<=##)\[", re.M)


def _html_command(m: re.Match[str]) -> str:
    return "&#x5b;" if m[1] is None else m[1] + "&#x3a;"


def _no_workflow_command(page: str) -> str:
    """`::` at the start of a line with its first colon as `&#x3a;`, and the `[` of `##[` as
    `&#x5b;`, outside `<style>` and `<script>` (a style sheet's `::before` is left alone)."""
    parts = _HTML_RAW_TEXT.split(page)
    # split keeps each raw-text element (a group) and its tag name (a second group)
    for i in range(0, len(parts), 3):
        parts[i] = _HTML_COMMAND.sub(_html_command, parts[i])
    return "".join(p for i, p in enumerate(parts) if i % 3 != 2)


def html_text(page: str) -> str:
    """An HTML page with every control (but TAB, LF and CR before LF), DEL, C1, bidi and invisible
    character written as a numeric character reference (`&#x1b;`): a browser shows the same
    text, while the page's bytes hold none of them raw, so `ncm plan --format html` on a
    terminal, or `cat report.html` in a CI log, runs no escape and reorders nothing. Nor
    does a GitHub Actions runner find a workflow command in it: `::` starting a line (text
    from a file may hold a line break) and `##[` anywhere are written with a reference too."""
    return _html_safe(page)[0]


def html_bytes(page: str) -> bytes:
    """`html_text(page)` as the UTF-8 bytes of its file: the bytes the quick tests read are
    the ones written, so a board paper is encoded once (about 0.1 ms of each)."""
    return _html_safe(page)[1]


def _html_safe(page: str) -> tuple[str, bytes]:
    """`html_text(page)` and its UTF-8 bytes (it holds no surrogate: `_HTML_UNSAFE` has them)."""
    data = page.encode("utf-8", "surrogatepass")  # both quick tests read bytes: quicker
    if _html_unsafe_in(data):
        page = _HTML_UNSAFE.sub(_html_ref, page)
        data = page.encode("utf-8", "surrogatepass")
    if _may_hold_workflow_command(data):
        page = _no_workflow_command(page)
        data = page.encode("utf-8")
    return page, data


_ASCII_SAFE = bytes(range(0x20, 0x7F)) + b"\t\n"
"""The printable ASCII characters, TAB and LF: none of them is in `_HTML_UNSAFE` (a CR is,
when no LF follows it; a page with CRLF line ends is then searched again, whole)."""


def _utf8(page: str | bytes) -> bytes:
    return page if isinstance(page, bytes) else page.encode("utf-8", "surrogatepass")


def _html_unsafe_in(page: str | bytes) -> bool:
    """Whether `_HTML_UNSAFE` matches anywhere in PAGE (or in the page of these UTF-8 bytes),
    found in what is left without `_ASCII_SAFE` (on a board paper, a few dozen characters).
    UTF-8 writes every other character with bytes above 0x7F only, so taking those bytes out
    (a C loop, three times quicker than the regular expression reading the whole page)
    leaves every other character whole; surrogates go and come back as they were."""
    rest = _utf8(page).translate(None, _ASCII_SAFE)
    return bool(rest) and _HTML_UNSAFE.search(rest.decode("utf-8", "surrogatepass")) is not None


def _may_hold_workflow_command(page: str | bytes) -> bool:
    """`##[` anywhere, or `::` with only spaces or tabs before it on its line: the quick test
    before `_no_workflow_command`, whose regular expression costs about 2 ms on a board
    paper. A style sheet's `::before` follows its selector, so a page whose text holds no
    command skips the rewrite. (Searched in UTF-8, where `#`, `[`, `:`, space, TAB and LF are
    single bytes found in no other character's: the same answer, quicker.)"""
    data = _utf8(page)
    if _holds_hash_bracket(data):
        return True
    found = _TWO_COLONS.search(data)
    while found is not None:
        at = found.start()
        if not data[data.rfind(b"\n", 0, at) + 1 : at].strip(b" \t"):
            return True
        found = _TWO_COLONS.search(data, at + 2)
    return False


_TWO_COLONS = re.compile(b"::")
"""`::` (the regular expression's search for it is about twice as quick as `bytes.find`'s
over a board paper, whose every style declaration has a colon)."""


_BRACKETS_LOOKED_AT = 64
"""`[`s `_holds_hash_bracket` looks behind before it searches for `##[` itself."""


def _holds_hash_bracket(data: bytes) -> bool:
    """`##[` in DATA. A page has few `[`, each found by `memchr`; the `#` of every colour in the
    style sheet makes the search for all three bytes about 60 µs of a board paper. Past
    `_BRACKETS_LOOKED_AT` of them (text full of `[`), that search after all."""
    at = data.find(b"[")
    for _ in range(_BRACKETS_LOOKED_AT):
        if at == -1:
            return False
        if at >= 2 and data[at - 2 : at] == b"##":
            return True
        at = data.find(b"[", at + 1)
    return at != -1 and b"##[" in data[max(at - 2, 0) :]


_BUT_ZWJ = _INVISIBLE.replace("\u200b-\u200f", "\u200b\u200c\u200e\u200f")
"""`_INVISIBLE` but U+200D: the zero-width joiner Markdown puts into `www.`"""
_PAGE_CHARS = f"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f{_BUT_ZWJ}{_NONCHARACTERS}{_SURROGATES}]"
_PAGE_UNSAFE = re.compile(f"{_PAGE_CHARS}|\r(?!\n)")
_PAGE_UNSAFE_CHAR = re.compile(_PAGE_CHARS)
"""`_PAGE_UNSAFE` without its look-ahead, for a quick search (see `_UNSAFE_CHAR`)."""


def page_text(page: str) -> str:
    """A whole text page (a Markdown paper, a user template's included) with every control
    but TAB, LF and CRLF shown as by `term` (and U+200D kept: the Markdown escapes put it into
    an address so that it does not become a link): a user template's own literal text can hold
    ESC or a lone CR too, and `cat paper.md` must run no escape and overwrite no line."""
    if _PAGE_UNSAFE_CHAR.search(page) or "\r" in page:
        return _PAGE_UNSAFE.sub(_shown, page)
    return page


def _json_escape(m: re.Match[str]) -> str:
    code = ord(m.group())
    if code > 0xFFFF:  # JSON has no eight-digit escape: a surrogate pair, one character
        high, low = divmod(code - 0x10000, 0x400)
        return f"\\u{0xD800 + high:04x}\\u{0xDC00 + low:04x}"
    return "\ufffd" if 0xD800 <= code <= 0xDFFF else f"\\u{code:04x}"


def yaml_escape(m: re.Match[str]) -> str:
    """A character as a YAML double-quoted scalar's escape: `\\uHHHH`, or `\\UHHHHHHHH` for
    one beyond U+FFFF (YAML reads no surrogate pair); a lone surrogate as U+FFFD."""
    code = ord(m.group())
    return f"\\U{code:08x}" if code > 0xFFFF else _json_escape(m)


def json_text(encoded: str, yaml: bool = False) -> str:
    """JSON text (from `json.dumps`, which escapes C0 controls itself) with DEL, C1, bidi and
    invisible characters, and the `[` of `##[`, written as `\\uHHHH` escapes (a tag character
    as a surrogate pair), and surrogates as U+FFFD. Outside strings JSON text is ASCII with no
    `#`, so every such character is inside a string value. `yaml`: for a YAML double-quoted
    scalar, which reads no surrogate pair: a tag character as `\\UHHHHHHHH`."""
    if _JSON_UNSAFE_CHAR.search(encoded) or "##[" in encoded:
        return _JSON_UNSAFE.sub(yaml_escape if yaml else _json_escape, encoded)
    return encoded


def shell_word(text: object) -> str:
    """A path as one word of a command `ncm` suggests (`next: ncm validate PATH`), to copy
    into a POSIX shell: quoted where needed (a space, a quote, `$`), `./` before a leading
    `-` so that it is not read as an option, controls shown as by `term`."""
    import shlex

    s = str(text)
    return term(shlex.quote("./" + s if s.startswith("-") else s))


_FORMULA_START = frozenset("=+-@")
_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")


def csv_cell(text: object) -> str:
    """A CSV text cell a spreadsheet will not run (OWASP's advice on CSV injection): a cell
    that starts with `=`, `+`, `-`, `@`, TAB or CR, also after leading spaces, gets a `'`
    in front. A cell that is a plain number is left as it is. Controls are escaped as by
    `term`, so a cell never holds a raw line break either."""
    raw = str(text)
    cell = term(raw)
    if _NUMBER.fullmatch(cell):
        return cell
    if raw[:1] in ("\t", "\r") or cell.lstrip()[:1] in _FORMULA_START:
        return "'" + cell
    return cell
