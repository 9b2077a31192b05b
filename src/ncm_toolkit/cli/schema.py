"""`ncm schema`: the JSON Schemas of profiles, readiness records and content files."""

import sys
from typing import Annotated

import typer

from ncm_toolkit.cli.core import ContentOpt, app, content_folder_or_exit, fail_usage


@app.command()
def schema(
    name: Annotated[
        str,
        typer.Argument(
            help="profile, readiness; score-output or validate-output (what `--format "
            "json` prints); or a content schema: manifest, option, "
            "case-study, legal-models, considerations, "
            "background, quick-guide, scoring, currency."
        ),
    ] = "profile",
    content: ContentOpt = None,  # accepted for uniformity: the schemas do not depend on a pack
) -> None:
    """Print the JSON Schema of a profile, a content file or a JSON output, for validators.

    `score-output` and `validate-output` describe the JSON of `ncm score` and `ncm validate`,
    for pipelines that check what they read: the contract's keys are required; others may be
    added by later versions.

    Examples:

      ncm schema > profile.schema.json

      ncm schema readiness

      ncm schema score-output > score-output.schema.json
    """
    from ncm_toolkit.errors import dumps_json
    from ncm_toolkit.profile import profile_schema
    from ncm_toolkit.schemas import CONTENT_SCHEMAS

    content_folder_or_exit(content)
    if name == "profile":
        sys.stdout.write(dumps_json(profile_schema()))
        return
    if name == "readiness":
        from ncm_toolkit.readiness_schemas import Readiness

        sys.stdout.write(dumps_json(Readiness.model_json_schema()))
        return
    if name in ("score-output", "validate-output"):
        from ncm_toolkit.render.json import score_output_schema, validate_output_schema

        made = score_output_schema() if name == "score-output" else validate_output_schema()
        sys.stdout.write(dumps_json(made))
        return
    if name not in CONTENT_SCHEMAS:
        fail_usage(
            f"unknown schema '{name}'; choose profile, readiness, score-output, "
            "validate-output or one of: " + ", ".join(CONTENT_SCHEMAS)
        )
    sys.stdout.write(dumps_json(CONTENT_SCHEMAS[name].model_json_schema()))
