"""HTML renderer: the published web notice, one self-contained file that also prints as the document.

Semantic headings (h1 for the title, h2–h5 for the four levels, run-in headings too), the
portal's metadata block, every number from the layout profile, no scripts, no external
requests. All source text is escaped. The 版头 (red mark, red line), tables, 附件 pages and
the 版记 come out as a browser lays such things out; seal images are left out, as web
versions of 公文 show none.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from html import escape

from docgen.compose.paragraphs import Align, Anchor, DrawnLine, Label, Para, ParaKind, split_at, table_rows
from docgen.i18n import _
from docgen.layout.document import LaidOutDocument
from docgen.model import Document, Table
from docgen.profile import Profile
from docgen.roles import Role
from docgen.text.cjk import set_width_in_chars
from docgen.text.numbering import official_date

_HEADING_TAG = {ParaKind.HEADING1: "h2", ParaKind.HEADING2: "h3", ParaKind.HEADING3: "h4", ParaKind.HEADING4: "h5"}
_WEEKDAYS = "一二三四五六日"
_HEX_COLOR = re.compile(r"[0-9A-Fa-f]{6}")
# Free faces after the office ones, for browsers on machines without them.
_FREE_FALLBACKS = {
    "xiaobiaosong": ["STZhongsong", "Noto Serif CJK SC", "Source Han Serif SC", "serif"],
    "fangsong": ["STFangsong", "Noto Serif CJK SC", "serif"],
    "heiti": ["STHeiti", "Noto Sans CJK SC", "Source Han Sans SC", "sans-serif"],
    "kaiti": ["STKaiti", "Noto Serif CJK SC", "serif"],
    "songti": ["STSong", "Noto Serif CJK SC", "serif"],
}


# Words of a 附注 (7.3.6) that keep a document from publication: 此件不公开, 不予公开, 内部发行.
_NOT_FOR_PUBLICATION = ("不公开", "不予公开", "内部")


def unpublishable_reason(document: Document) -> str | None:
    """Why ``document`` must not become a public web notice, or None: a 密级 (7.2.2) or a 附注
    that keeps it from publication."""
    if document.header and document.header.secrecy:
        return _("it is marked {secrecy} (header.secrecy), and a classified document is not published").format(
            secrecy=document.header.secrecy
        )
    if document.note and any(words in document.note for words in _NOT_FOR_PUBLICATION):
        return _("its 附注 (note) says （{note}）").format(note=document.note)
    return None


def render_html(laid: LaidOutDocument, profile: Profile) -> bytes:
    """The web notice of the laid-out document's paragraphs (the browser breaks its lines)."""
    document, paras = laid.document, laid.paras
    parts = [
        "<!DOCTYPE html>",
        '<html lang="zh-CN">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{escape(document.title)}</title>",
        f'<meta name="author" content="{escape("、".join(document.organs), quote=True)}">',
        f"<style>{_stylesheet(profile)}</style>",
        "</head>",
        "<body>",
        '<article class="notice">',
        *_publication(document),
        *_body(paras, profile),
        *_editor(document),
        "</article>",
        "</body>",
        "</html>",
        "",
    ]
    return "\n".join(parts).encode("utf-8")


def _publication(document: Document) -> list[str]:
    publication = document.publication
    if publication.published is None and publication.source is None:
        return []
    lines = ['<header class="portal">']
    if publication.published:
        day = publication.published
        lines.append(
            f'<p class="page-date"><time datetime="{day.isoformat()}">'
            f"{official_date(day)} 星期{_WEEKDAYS[day.weekday()]}</time></p>"
        )
    meta = []
    if publication.published:
        meta.append(
            f'发布日期：<time datetime="{publication.published.isoformat()}">{publication.published.isoformat()}</time>'
        )
    if publication.source:
        meta.append(f"信息来源：{escape(publication.source)}")
    lines.append(f'<p class="meta">{"　".join(meta)}</p>')
    lines.append("</header>")
    return lines


def _editor(document: Document) -> list[str]:
    editor = document.publication.editor
    return [f'<footer class="portal"><p class="editor">编辑：{escape(editor)}</p></footer>'] if editor else []


def _body(paras: tuple[Para, ...], profile: Profile) -> list[str]:
    """Each paragraph in order; a signature without seals and its date become one block, a joint
    mark's stacked names and the 文件 beside them another."""
    parts: list[str] = []
    index = 0
    while index < len(paras):
        para = paras[index]
        if para.kind is ParaKind.SIGNATURE and not para.tabs:  # case 2; the sealed cases are set by tab stops
            end = _run_end(paras, index, lambda p: p.kind in (ParaKind.SIGNATURE, ParaKind.DATE) and not p.tabs)
            parts.append(_signoff(paras[index:end], profile))
        elif para.kind is ParaKind.MARK and para.align is Align.DISTRIBUTE:
            end = _run_end(paras, index, lambda p: p.kind is ParaKind.MARK)
            parts.append(_joint_mark(paras[index:end]))
        else:
            end = index + 1
            parts.extend(_with_rules(para, _paragraph(para, profile)))
        index = end
    return parts


def _run_end(paras: tuple[Para, ...], start: int, belongs: Callable[[Para], bool]) -> int:
    end = start
    while end < len(paras) and belongs(paras[end]):
        end += 1
    return end


def _joint_mark(paras: tuple[Para, ...]) -> str:
    names = "".join(f'<span class="mark-name">{escape(para.text)}</span>' for para in paras)
    suffix = "".join(escape(d.span.text) for para in paras for d in para.decorations if isinstance(d, Label))
    return (
        f'<div class="mark joint"{_size(paras[0])}><span class="mark-names">{names}</span><span>{suffix}</span></div>'
    )


def _size(para: Para) -> str:
    """A size the composer chose over the role's (a mark shrunk to fit the block)."""
    size = next((span.size_pt for span in para.spans if span.size_pt), None)
    return f' style="font-size: {size:.1f}pt"' if size else ""


def _with_rules(para: Para, html: str) -> list[str]:
    """The paragraph with its lines (the red line under the 发文字号, the 版记's lines) as <hr>s,
    and a letter's mark (a label above the block) before it."""
    before = [
        f'<p class="mark"{_size(Para(ParaKind.LABEL, (d.span,)))}>{escape(d.span.text)}</p>'
        for d in para.decorations
        if isinstance(d, Label) and d.span.role is Role.MARK and d.span.text != "★"
    ]
    after = []
    for rule in (d for d in para.decorations if isinstance(d, DrawnLine)):
        line = f'<hr class="rule" style="border-top: {rule.width_pt:.2f}pt solid {_css_color(rule.color)}">'
        (after if rule.anchor is not Anchor.PARA or rule.y_pt > 0 else before).append(line)
    return [*before, html, *after]


def _signoff(paras: tuple[Para, ...], profile: Profile) -> str:
    """Signature and date (7.3.5.2) laid out by the browser with its own text widths: a block
    that shrinks to its widest line, 2 characters in from the right, the date starting 2
    characters right of the signature."""
    rules = profile.signature
    lines = [
        f'<p class="{para.kind}"'
        + (
            f' style="padding-left: calc({rules.date_offset_chars:g} * var(--char))"'
            if para.kind is ParaKind.DATE
            else ""
        )
        + f">{escape(para.text)}</p>"
        for para in paras
    ]
    style = f"margin-right: calc({rules.right_indent_chars:g} * var(--char))"
    return f'<div class="signoff" style="{style}">{"".join(lines)}</div>'


def _paragraph(para: Para, profile: Profile) -> str:
    style = _indent_style(para, profile)
    if para.kind in (ParaKind.BLANK, ParaKind.SPACER):
        return '<p class="blank" aria-hidden="true"></p>'
    if para.table is not None:
        return _table(para.table)
    if para.tabs:
        return _tabbed(para, profile, style)
    if para.kind is ParaKind.TITLE:
        lines = split_at(para.text, para.forced_breaks)
        return f'<h1 class="title">{"<br>".join(escape(line) for line in lines)}</h1>'
    tag = _HEADING_TAG.get(para.kind)
    if tag and len(para.spans) == 1:
        return f'<{tag} class="{para.kind}"{style}>{escape(para.text)}</{tag}>'
    if tag:  # run-in: the heading sentence is a heading of its own, set inline
        heading, *rest = para.spans
        text = "".join(escape(span.text) for span in rest)
        return f'<div class="run-in"{style}><{tag} class="{para.kind}">{escape(heading.text)}</{tag}>{text}</div>'
    spans = "".join(_span(span.text, span.role, para) for span in para.spans)
    page = " page-break" if para.page_break_before else ""
    return f'<p class="{para.kind}{page}"{style or _size(para)}>{spans}</p>'


def _tabbed(para: Para, profile: Profile, style: str) -> str:
    """A line with tab stops (印发 organ and date, 签发人, a sealed signature): the pieces spread
    along the line, the last one ending where its stop puts it."""
    lead = "".join(_span(span.text, span.role, para) for span in para.spans)
    stops = "".join(
        "<span>" + "".join(_span(span.text, span.role, para) for span in tab.spans) + "</span>" for tab in para.tabs
    )
    cells = (f"<span>{lead}</span>" if para.spans else "") + f'<span class="stops">{stops}</span>'
    last = para.tabs[-1]
    width = set_width_in_chars(last.text, profile.grid.western_gap_em) * profile.char_pitch_pt
    end = last.x_pt + {Align.CENTER: width / 2, Align.LEFT: width}.get(last.align, 0.0)
    gap = f"padding-right: {max(profile.page.block_width_pt - end, 0):.1f}pt"
    style = f' style="{gap}; {style[8:-1]}"' if style else f' style="{gap}"'
    spread = "" if para.spans else " to-end"
    return f'<p class="{para.kind} tabbed{spread}"{style}>{cells}</p>'


def _table(table: Table) -> str:
    rows = table_rows(table)
    head = "".join(f"<th>{escape(cell)}</th>" for cell in rows[0])
    body = "".join("<tr>" + "".join(f"<td>{escape(cell)}</td>" for cell in row) + "</tr>" for row in rows[1:])
    widths = table.widths or (1.0,) * len(table.header)
    columns = "".join(f'<col style="width: {100 * width / sum(widths):.2f}%">' for width in widths)
    head_row = f"<thead><tr>{head}</tr></thead>"
    return f'<table class="table"><colgroup>{columns}</colgroup>{head_row}<tbody>{body}</tbody></table>'


def _span(text: str, role: Role, para: Para) -> str:
    if role in (Role.BODY, Role.SIGNATURE) or len(para.spans) == 1:
        return escape(text)
    return f'<span class="{role}">{escape(text)}</span>'


def _indent_style(para: Para, profile: Profile) -> str:
    """Indents in characters; a hanging paragraph's later lines start under its ``hang_at`` character."""
    rules = []
    first = para.first_indent_chars
    if para.hang_at:
        hang = first + set_width_in_chars(para.text[: para.hang_at], profile.grid.western_gap_em)
        rules.append(f"padding-left: calc({hang:g} * var(--char))")
        first -= hang
    if first and para.kind is not ParaKind.TITLE and para.align not in (Align.CENTER, Align.DISTRIBUTE):
        rules.append(f"text-indent: calc({first:g} * var(--char))")
    if para.right_indent_chars and para.kind is not ParaKind.MARK:
        rules.append(f"padding-right: calc({para.right_indent_chars:g} * var(--char))")
    if para.align in (Align.CENTER, Align.RIGHT):
        rules.append(f"text-align: {para.align.value}")
    return f' style="{"; ".join(rules)}"' if rules else ""


def _families(profile: Profile, face: str) -> str:
    names = [*profile.faces[face].office, *profile.faces[face].free, *_FREE_FALLBACKS.get(face, ["serif"])]
    return ", ".join(name if name in ("serif", "sans-serif") else _css_string(name) for name in names)


def _css_string(text: str) -> str:
    """``text`` as a quoted CSS string: anything but letters, digits, spaces and - _ . is written as a
    hex escape, so no name can end the string, the rule or the <style> element."""
    return '"' + "".join(char if char.isalnum() or char in " -_." else f"\\{ord(char):x} " for char in text) + '"'


def _css_color(color: str) -> str:
    """``#RRGGBB``; the profile's loader refuses anything else, and so does the stylesheet."""
    if not _HEX_COLOR.fullmatch(color):
        raise ValueError(f"not a colour as six hex digits: {color!r}")
    return f"#{color}"


def _stylesheet(profile: Profile) -> str:
    page, grid, table = profile.page, profile.grid, profile.table
    body = profile.roles[Role.BODY]
    role_rules = "\n".join(
        f".{role} {{ font-family: {_families(profile, style.face)}; font-size: {style.size_pt:g}pt; font-weight: 400;"
        f" color: {_css_color(style.color)} }}"
        for role, style in profile.roles.items()
        if role not in (Role.BODY, Role.SIGNATURE, Role.PAGE_NUMBER)
    )
    return f"""
:root {{ --char: {profile.char_pitch_pt:.2f}pt; --pitch: {grid.line_pitch_pt:g}pt; }}
body {{ margin: 0; background: #f3f3f3; color: #000; }}
.notice {{ box-sizing: content-box; width: {page.block_width_pt:.1f}pt; margin: 24px auto; padding: 36pt 48pt;
  background: #fff; font-family: {_families(profile, body.face)}; font-size: {body.size_pt:g}pt;
  line-height: var(--pitch); letter-spacing: {grid.letter_spacing_pt:g}pt; text-align: justify;
  line-break: strict; word-break: normal; overflow-wrap: anywhere; }}
.notice p, .notice h1, .notice h2, .notice h3, .notice h4, .notice h5, .notice div {{ margin: 0; }}
.portal {{ font-size: 12pt; line-height: 1.6; color: #555; letter-spacing: 0; }}
.portal .meta, .page-date {{ text-align: center; }}
.title {{ text-align: center; letter-spacing: 0; line-height: var(--pitch); margin: 0.5em 0 0; }}
.blank {{ height: var(--pitch); }}
.run-in > h3, .run-in > h4, .run-in > h5, .run-in > h2 {{ display: inline; }}
.notice .signoff {{ width: fit-content; margin-left: auto; text-align: left; }}
.mark {{ text-align: center; line-height: 1.2; margin: 0.6em 0 !important; letter-spacing: 0; }}
.mark.joint {{ display: flex; justify-content: center; align-items: center; gap: 0.25em; }}
.mark-names {{ display: flex; flex-direction: column; text-align-last: justify; }}
.tabbed {{ display: flex; justify-content: space-between; gap: 2em; }}
.tabbed.to-end {{ justify-content: flex-end; }}
.stops > span + span {{ margin-left: 1em; }}
.mark-names span {{ white-space: nowrap; }}
.rule {{ border: 0; margin: 0.3em 0; }}
.table {{ width: 100%; border-collapse: collapse; line-height: 1.5; letter-spacing: 0; }}
.table th, .table td {{ border: {table.border_mm:g}mm solid #000; padding: 0 {table.cell_padding_mm:g}mm; }}
.table th {{ font-family: {_families(profile, profile.roles[Role.TABLE_HEADER].face)}; font-weight: 400; }}
.table {{ font-family: {_families(profile, profile.roles[Role.TABLE].face)}; }}
{role_rules}
@page {{ size: A4; margin: {page.top_mm:g}mm {page.right_mm:g}mm {page.bottom_mm:g}mm {page.left_mm:g}mm; }}
@media print {{
  body {{ background: none; }}
  .notice {{ width: auto; margin: 0; padding: 0; }}
  .portal {{ display: none; }}
  h2, h3, h4, h5 {{ break-after: avoid; }}
  .page-break {{ break-before: page; }}
}}
"""
