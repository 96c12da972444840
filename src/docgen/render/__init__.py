"""Renderers, one folder a format: fixed layouts paint the laid-out document; DOCX and HTML read its decisions."""
