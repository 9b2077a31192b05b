"""ncm: the Healthy London Partnership's new-models-of-care guidance as software.

The Python API follows the flow load -> validate -> score -> render:
`content.load_pack`, `profile.load_profile`, `scoring.score_profile`, `report.render`.
"""

__version__ = "0.1.0"
