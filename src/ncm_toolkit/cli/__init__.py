"""The `ncm` command line, and nothing else: commands parse arguments, call the Python API
and hand its results to a renderer.

- `core.py`: the typer app, the options every command shares, error translation, and helpers
  (`pack_or_exit`, `fail_usage`, `write_err`, `console`, `infer_format`).
- one module per command: `ncm X` lives in `X.py` (`models.py`, `cases.py`, `questions.py`
  for browsing; `readiness.py` holds the `ncm readiness` sub-commands).
- `main.py`: the entry point; it imports `app` and then every command module, which registers
  itself. Nothing imports `main` back, so the package has no import cycle.

Only typer is imported at start-up; each command imports what it needs inside its function,
so `ncm --help` stays as quick as typer itself. Lazy imports live here and nowhere else.
"""
