"""Rewrite a version-1 profile as version 2, every comment and line kept.

Version 2 is a superset of version 1, so migrating only sets `schema_version: 2`. The edit is
made in the file's text at the position the YAML parser reports for the key (or, when the key
is absent, before the first key), not by dumping a re-parsed document: a round-trip dump can
re-wrap long lines, re-indent lists and move comments, and a profile's comments carry its
citations. The result is validated before it replaces the file, atomically.
"""

from ncm_toolkit.read.yamlfile import compose_nodes


def migrate_text(text: str) -> str:
    """The profile text with `schema_version: 2`; raises ValueError if the file is not a
    mapping at the top."""
    _, root = compose_nodes(text)
    if root is None or root.tag != "tag:yaml.org,2002:map" or not root.value:
        raise ValueError("the profile is not a mapping of fields")
    for key, value in root.value:
        if key.value == "schema_version":
            start, end = value.start_mark.index, value.end_mark.index
            # the value's last word: an anchor or a tag before it (`&v 1`, `!!int 1`) stays,
            # so an alias of it still resolves (and the caller refuses what it would change)
            word = text[start:end].rstrip()
            start += len(word) - len(word.split()[-1]) if word.split() else 0
            return text[:start] + "2" + text[end:]
    first = root.value[0][0]
    if root.flow_style:  # {name: ..., objectives: ...}
        at = first.start_mark.index
        return text[:at] + "schema_version: 2, " + text[at:]
    # before the first key, at its column: a mapping indented as a whole (`  name: ...`, or
    # after `--- ` on the same line) stays one mapping
    at, column = int(first.start_mark.index), int(first.start_mark.column)
    before = text[at - column : at]
    if before.rstrip().endswith("?"):  # an explicit key (`? name`): the line goes above the `?`
        column = before.rindex("?")
        at -= len(before) - column
    return text[:at] + "schema_version: 2" + _line_end(text) + " " * column + text[at:]


def _line_end(text: str) -> str:
    """The file's own line break (Windows CRLF, old Mac CR, else LF), so that the inserted line
    does not leave a file with two kinds."""
    cr, lf = text.find("\r"), text.find("\n")
    if cr < 0 or 0 <= lf < cr:
        return "\n"
    return "\r\n" if lf == cr + 1 else "\r"
