"""site_builder: a static-site generator for bilingual French/English explainer sites."""

__version__ = "0.1.0"
