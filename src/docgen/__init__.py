"""docgen: structured YAML sources to GB/T 9704-2012 official documents (DOCX and PDF)."""

__version__ = "0.1.0"
