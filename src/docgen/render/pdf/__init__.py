"""The PDF: paints the laid-out document with ReportLab."""
