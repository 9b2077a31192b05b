"""`ncm migrate`: rewrite version-1 profiles as version 2 in place (see `ncm_toolkit.migrate`)."""

from pathlib import Path
from typing import Annotated, Any

import typer

from ncm_toolkit.cli.core import app, fail_usage, write_err
from ncm_toolkit.errors import EXIT_INVALID, EXIT_OK, Diagnostic, UsageError
from ncm_toolkit.safe_text import term


@app.command("migrate")
def migrate(
    paths: Annotated[
        list[Path],
        typer.Argument(metavar="FILE", help="Version-1 profiles to rewrite as version 2."),
    ],
) -> None:
    """Rewrite version-1 profiles as version 2 in place, keeping every comment and line.

    Only `schema_version` changes: version 2 adds optional sections (structure, respondent,
    as_of, decision), so the profile scores as before. A file already at version 2 is left alone; an
    invalid file is reported and not touched.

    Examples:

      ncm migrate profiles/north.yaml
    """
    from ncm_toolkit.errors import format_text
    from ncm_toolkit.files import write_text
    from ncm_toolkit.migrate import migrate_text
    from ncm_toolkit.profile import Profile
    from ncm_toolkit.read.loader import locate, node_tree, parse, validate_data
    from ncm_toolkit.read.yamlfile import LoadError, read_text

    if any(str(p) == "-" for p in paths):  # it wrote a file named `-` in the current folder
        fail_usage("migrate rewrites files in place: `-` (standard input) is no file to rewrite")
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
        if profile is None and isinstance(data, dict) and data.get("schema_version", 1) == 1:
            # version 2 is a superset of 1: a version-1 file valid as version 2 holds a
            # version-2 section, and setting the version is the whole fix (its error said "run
            # `ncm migrate FILE`"; refusing it here was a loop); any other error stays its own
            profile, _ = validate_data({**data, "schema_version": 2}, Profile, name, text)
            if profile is not None:
                profile = profile.model_copy(update={"schema_version": 1})
        if profile is None:
            errors.extend(diags)
            continue
        if profile.schema_version == 2:
            print(f"{term(name)}: already version 2, unchanged")  # a name holds any character
            continue
        try:
            new = migrate_text(text)
        except ValueError as exc:
            errors.append(Diagnostic(name, 1, 1, str(exc)))
            continue
        try:
            again, diags = validate_data(parse(new), Profile, name, new)
        except LoadError:  # `schema_version: &v 1` with `*v` below: the anchor went with it
            again, diags = None, []
        if again is None or again.schema_version != 2:  # never write what would not load
            errors.extend(diags or [Diagnostic(name, 1, 1, "could not set schema_version: 2")])
            continue
        if again.model_dump(exclude={"schema_version"}) != profile.model_dump(
            exclude={"schema_version"}
        ):  # an alias of the version (`importance: *v`) would have changed with it
            errors.append(
                Diagnostic(
                    name,
                    *locate(node_tree(text), ("schema_version",)),
                    "not migrated: setting it to 2 would change another answer (an alias of "
                    "its value)",
                    "schema_version",
                    "write the version as a plain 1, without an anchor, then migrate",
                )
            )
            continue
        if _has_bom(path):  # read_text drops it; the file keeps it, as it keeps every line
            new = "\ufeff" + new
        try:
            write_text(path, new)
        except OSError as exc:
            errors.append(Diagnostic(name, 1, 1, f"cannot write: {exc.strerror or exc}"))
            continue
        except UsageError as exc:  # a symbolic link: not written through (was: internal error)
            why = str(exc).removeprefix(f"{path}: ")
            errors.append(Diagnostic(name, 1, 1, why, hint="migrate the file it points to"))
            continue
        print(f"{term(name)}: migrated to version 2")
    if errors:
        write_err(format_text(errors))
        raise typer.Exit(EXIT_INVALID)
    raise typer.Exit(EXIT_OK)


def _has_bom(path: Path) -> bool:
    try:
        with open(path, "rb") as fh:
            return fh.read(3) == b"\xef\xbb\xbf"
    except OSError:
        return False
