"""`ncm migrate`: rewrite a version-1 profile as version 2, every comment and line kept.

Version 2 is a superset of version 1, so migrating only sets `schema_version: 2`. The edit is
made in the file's text at the position the YAML parser reports for the key (or, when the key
is absent, before the first key), not by dumping a re-parsed document: a round-trip dump can
re-wrap long lines, re-indent lists and move comments, and a profile's comments carry its
citations. The result is validated before it replaces the file, atomically.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from ncm_toolkit.cli import _stderr, app
from ncm_toolkit.errors import EXIT_INVALID, EXIT_OK, Diagnostic


def migrate_text(text: str) -> str:
    """The profile text with `schema_version: 2`; raises ValueError if the file is not a
    mapping at the top."""
    from ncm_toolkit.read.yamlfile import compose_nodes

    _, root = compose_nodes(text)
    if root is None or root.tag != "tag:yaml.org,2002:map" or not root.value:
        raise ValueError("the profile is not a mapping of fields")
    for key, value in root.value:
        if key.value == "schema_version":
            start, end = value.start_mark.index, value.end_mark.index
            return text[:start] + "2" + text[end:]
    first = root.value[0][0]
    if root.flow_style:  # {name: ..., objectives: ...}
        at = first.start_mark.index
        return text[:at] + "schema_version: 2, " + text[at:]
    at = first.start_mark.index - first.start_mark.column  # the start of the first key's line
    return text[:at] + "schema_version: 2\n" + text[at:]


@app.command("migrate")
def migrate(
    paths: Annotated[
        list[Path],
        typer.Argument(metavar="FILE", help="Version-1 profiles to rewrite as version 2."),
    ],
) -> None:
    """Rewrite version-1 profiles as version 2 in place, keeping every comment and line.

    Only `schema_version` changes: version 2 adds optional sections (structure, respondent,
    as_of), so the profile scores as before. A file already at version 2 is left alone; an
    invalid file is reported and not touched.

    Example:

      ncm migrate profiles/north.yaml
    """
    from ncm_toolkit.errors import format_text
    from ncm_toolkit.files import write_text
    from ncm_toolkit.profile import Profile
    from ncm_toolkit.read.loader import parse, validate_data
    from ncm_toolkit.read.yamlfile import LoadError, read_text

    errors: list[Diagnostic] = []
    for path in paths:
        name = str(path)
        try:
            text = read_text(path)
            data: Any = parse(text)
        except LoadError as exc:
            errors.append(Diagnostic(name, exc.line, exc.column, exc.message, hint=exc.hint))
            continue
        profile, diags = validate_data(data, Profile, name, text)
        if profile is None:
            errors.extend(diags)
            continue
        if profile.schema_version == 2:
            print(f"{name}: already version 2, unchanged")
            continue
        try:
            new = migrate_text(text)
        except ValueError as exc:
            errors.append(Diagnostic(name, 1, 1, str(exc)))
            continue
        again, diags = validate_data(parse(new), Profile, name, new)
        if again is None or again.schema_version != 2:  # never write what would not load
            errors.extend(diags or [Diagnostic(name, 1, 1, "could not set schema_version: 2")])
            continue
        try:
            write_text(path, new)
        except OSError as exc:
            errors.append(Diagnostic(name, 1, 1, f"cannot write: {exc.strerror or exc}"))
            continue
        print(f"{name}: migrated to version 2")
    if errors:
        _stderr(format_text(errors))
        raise typer.Exit(EXIT_INVALID)
    raise typer.Exit(EXIT_OK)
