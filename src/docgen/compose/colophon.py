"""版记 (GB/T 9704 7.4): 主送 (when moved here), 抄送, 印发机关 and 印发日期, with their lines.

The rows sit on the grid at the foot of the last page (the layout puts them there); a thick
line over the first row and under the last, thin lines between the rows. A letter's 版记
has no 印发 row and no lines (10.1).
"""

from __future__ import annotations

from dataclasses import replace

from docgen.compose.paragraphs import Align, Anchor, DrawnLine, Para, ParaKind, Span, Tab
from docgen.model import Colophon, Kind
from docgen.profile import Profile
from docgen.roles import Role
from docgen.text.numbering import official_date
from docgen.units import mm_to_pt

_ROLE = Role.COLOPHON


def colophon_paras(
    colophon: Colophon | None, moved_addressees: tuple[str, ...], kind: Kind, profile: Profile
) -> list[Para]:
    """The 版记's rows, each kept with the next so the block never splits across pages."""
    if colophon is None and not moved_addressees:
        return []
    colophon = colophon or Colophon()
    side = profile.colophon.side_indent_chars * profile.roles[_ROLE].size_pt / profile.roles[Role.BODY].size_pt
    rows = []
    for label, names in (("主送：", moved_addressees), ("抄送：", colophon.copy_to)):
        if names:
            text = label + "，".join(names) + "。"
            rows.append(
                Para(
                    ParaKind.COLOPHON,
                    (Span(text, _ROLE),),
                    first_indent_chars=side,
                    right_indent_chars=side,
                    hang_at=len(label),
                )
            )
    if kind is not Kind.LETTER and colophon.printer and colophon.print_date:
        unit = profile.char_unit_pt(Role.BODY)
        date = Tab(
            (Span(official_date(colophon.print_date) + "印发", _ROLE),),
            profile.page.block_width_pt - side * unit,
            Align.RIGHT,
        )
        rows.append(
            Para(ParaKind.COLOPHON, (Span(colophon.printer, _ROLE),), Align.LEFT, first_indent_chars=side, tabs=(date,))
        )
    rows = [replace(row, keep_with_next=index < len(rows) - 1, at_foot=True) for index, row in enumerate(rows)]
    if kind is Kind.LETTER or not rows:
        return rows
    return _ruled(rows, profile)


def _ruled(rows: list[Para], profile: Profile) -> list[Para]:
    """A thick line over the first row and under the last, thin ones between (7.4.1)."""
    rules = profile.colophon
    block = profile.page.block_width_pt
    thick, thin = mm_to_pt(rules.thick_mm), mm_to_pt(rules.thin_mm)
    ruled = []
    for index, row in enumerate(rows):
        lines = [DrawnLine(0.0, 0.0, block, thick if index == 0 else thin, "000000")]
        if index == len(rows) - 1:
            lines.append(DrawnLine(0.0, 0.0, block, thick, "000000", Anchor.PARA_END))
        ruled.append(replace(row, decorations=row.decorations + tuple(lines)))
    return ruled
