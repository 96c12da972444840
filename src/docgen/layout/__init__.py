"""Composed paragraphs → one laid-out document: fonts and glyph widths, lines, tables, pages."""
