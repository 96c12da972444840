"""`docgen check`: findings against GB/T 9704 from what measure reads.

- checker.py: check_file, by the file's format (a DOCX is also measured as LibreOffice renders it)
- findings.py: Finding and Severity, what every check reports
- clauses.py: the rules the PDF and DOCX checks share, worded once
- geometry.py: check_layout, the rules measured on any fixed-layout file's Layout
- formats.py: the heads (文件, 信函, 命令) and the 版记 in a Layout
- pdf.py: a PDF read into a Layout within a budget, and its fonts
- docx.py: the rules read off a DOCX's XML
"""
