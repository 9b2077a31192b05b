"""ncm: the Healthy London Partnership's new-models-of-care guidance as software.

The public API (`__all__`) follows the flow load -> validate -> score -> plan -> render; every
other module is an implementation detail. Names are imported on first use, so `ncm --version`
stays as quick as Python itself.
"""

from typing import Any

__version__ = "0.1.0"

__all__ = [
    "ContentPack",
    "Diagnostic",
    "NcmError",
    "Profile",
    "Result",
    "__version__",
    "assess_readiness",
    "compare_profiles",
    "load_pack",
    "load_profile",
    "plan_profile",
    "render_report",
    "score_profile",
    "validate_paths",
]

_WHERE = {
    "assess_readiness": "api",
    "compare_profiles": "api",
    "load_pack": "api",
    "load_profile": "api",
    "plan_profile": "api",
    "render_report": "api",
    "score_profile": "api",
    "validate_paths": "api",
    "ContentPack": "content",
    "Diagnostic": "errors",
    "NcmError": "errors",
    "Profile": "profile",
    "Result": "scoring",
}


def __getattr__(name: str) -> Any:
    """Import a public name's module on first use (PEP 562)."""
    if name in _WHERE:
        import importlib

        return getattr(importlib.import_module(f".{_WHERE[name]}", __name__), name)
    raise AttributeError(f"module 'ncm_toolkit' has no attribute {name!r}")
