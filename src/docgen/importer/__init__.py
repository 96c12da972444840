"""The reverse direction: a published notice (text, DOCX, HTML) into a source."""
