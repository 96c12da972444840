"""The DOCX: python-docx plus the WordprocessingML it has no API for."""
