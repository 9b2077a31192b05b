"""`ncm schema`: the JSON Schemas of profiles, readiness records and content files."""

import sys
from typing import Annotated

import typer

from ncm_toolkit.cli.core import ContentOpt, app, fail_usage


@app.command()
def schema(
    name: Annotated[
        str,
        typer.Argument(
            help="profile, readiness, or a content schema: manifest, option, "
            "case-study, legal-models, considerations, "
            "background, quick-guide, scoring, currency."
        ),
    ] = "profile",
    content: ContentOpt = None,  # accepted for uniformity: the schemas do not depend on a pack
) -> None:
    """Print the JSON Schema of a profile (or of a content file), for editors and validators.

    Examples:

      ncm schema > profile.schema.json

      ncm schema readiness
    """
    from ncm_toolkit.errors import dumps_json
    from ncm_toolkit.profile import profile_schema
    from ncm_toolkit.schemas import CONTENT_SCHEMAS

    if name == "profile":
        sys.stdout.write(dumps_json(profile_schema()))
        return
    if name == "readiness":
        from ncm_toolkit.readiness_schemas import Readiness

        sys.stdout.write(dumps_json(Readiness.model_json_schema()))
        return
    if name not in CONTENT_SCHEMAS:
        fail_usage(
            f"unknown schema '{name}'; choose profile, readiness or one of: "
            + ", ".join(CONTENT_SCHEMAS)
        )
    sys.stdout.write(dumps_json(CONTENT_SCHEMAS[name].model_json_schema()))
