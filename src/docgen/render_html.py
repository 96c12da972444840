"""HTML renderer: the published web notice, one self-contained file that also prints as the document.

Semantic headings (h1 for the title, h2–h5 for the four levels, run-in headings too), the
portal's metadata block, every number from the layout profile, no scripts, no external
requests. All source text is escaped.
"""

from __future__ import annotations

from html import escape

from docgen.compose import compose
from docgen.model import Document
from docgen.numbering import official_date
from docgen.paras import Para, split_at
from docgen.profile import Profile

_HEADING_TAG = {"heading1": "h2", "heading2": "h3", "heading3": "h4", "heading4": "h5"}
_WEEKDAYS = "一二三四五六日"
# Free faces after the office ones, for browsers on machines without them.
_FREE_FALLBACKS = {
    "xiaobiaosong": ["STZhongsong", "Noto Serif CJK SC", "Source Han Serif SC", "serif"],
    "fangsong": ["STFangsong", "Noto Serif CJK SC", "serif"],
    "heiti": ["STHeiti", "Noto Sans CJK SC", "Source Han Sans SC", "sans-serif"],
    "kaiti": ["STKaiti", "Noto Serif CJK SC", "serif"],
    "songti": ["STSong", "Noto Serif CJK SC", "serif"],
}


def render_html(document: Document, profile: Profile) -> bytes:
    paras = compose(document, profile)
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
    body = [_paragraph(para, profile) for para in paras if para.kind not in ("signature", "date")]
    signoff = [para for para in paras if para.kind in ("signature", "date")]
    return [*body, _signoff(signoff, profile)] if signoff else body


def _signoff(paras: list[Para], profile: Profile) -> str:
    """Signature and date (7.3.5.2) laid out by the browser with its own text widths: a block
    that shrinks to its widest line, 2 characters in from the right, the date starting 2
    characters right of the signature."""
    rules = profile.signature
    lines = [
        f'<p class="{para.kind}"'
        + (f' style="padding-left: calc({rules.date_offset_chars:g} * var(--char))"' if para.kind == "date" else "")
        + f">{escape(para.text)}</p>"
        for para in paras
    ]
    style = f"margin-right: calc({rules.right_indent_chars:g} * var(--char))"
    return f'<div class="signoff" style="{style}">{"".join(lines)}</div>'


def _paragraph(para: Para, profile: Profile) -> str:
    style = _indent_style(para, profile)
    if para.kind == "blank":
        return '<p class="blank" aria-hidden="true"></p>'
    if para.kind == "title":
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
    return f'<p class="{para.kind}"{style}>{spans}</p>'


def _span(text: str, role: str, para: Para) -> str:
    if role in ("body", "signature") or len(para.spans) == 1:
        return escape(text)
    return f'<span class="{role}">{escape(text)}</span>'


def _indent_style(para: Para, profile: Profile) -> str:
    rules = []
    if para.first_indent_chars and para.kind != "title":
        rules.append(f"text-indent: calc({para.first_indent_chars:g} * var(--char))")
    return f' style="{"; ".join(rules)}"' if rules else ""


def _families(profile: Profile, face: str) -> str:
    names = [*profile.faces[face].office, *profile.faces[face].free, *_FREE_FALLBACKS.get(face, ["serif"])]
    return ", ".join(name if name in ("serif", "sans-serif") else f'"{name}"' for name in names)


def _stylesheet(profile: Profile) -> str:
    page, grid = profile.page, profile.grid
    body = profile.roles["body"]
    role_rules = "\n".join(
        f".{role} {{ font-family: {_families(profile, style.face)}; font-size: {style.size_pt:g}pt; font-weight: 400 }}"
        for role, style in profile.roles.items()
        if role not in ("body", "signature", "page_number")
    )
    return f"""
:root {{ --char: {profile.char_pitch_pt:.2f}pt; --pitch: {grid.line_pitch_pt}pt; }}
body {{ margin: 0; background: #f3f3f3; color: #000; }}
.notice {{ box-sizing: content-box; width: {page.block_width_pt:.1f}pt; margin: 24px auto; padding: 36pt 48pt;
  background: #fff; font-family: {_families(profile, body.face)}; font-size: {body.size_pt:g}pt;
  line-height: var(--pitch); letter-spacing: {grid.letter_spacing_pt}pt; text-align: justify;
  line-break: strict; word-break: normal; overflow-wrap: anywhere; }}
.notice p, .notice h1, .notice h2, .notice h3, .notice h4, .notice h5, .notice div {{ margin: 0; }}
.portal {{ font-size: 12pt; line-height: 1.6; color: #555; letter-spacing: 0; }}
.portal .meta, .page-date {{ text-align: center; }}
.title {{ text-align: center; letter-spacing: 0; line-height: var(--pitch); margin: 0.5em 0 0; }}
.blank {{ height: var(--pitch); }}
.run-in > h3, .run-in > h4, .run-in > h5, .run-in > h2 {{ display: inline; }}
.notice .signoff {{ width: fit-content; margin-left: auto; text-align: left; }}
{role_rules}
@page {{ size: A4; margin: {page.top_mm}mm {page.right_mm}mm {page.bottom_mm}mm {page.left_mm}mm; }}
@media print {{
  body {{ background: none; }}
  .notice {{ width: auto; margin: 0; padding: 0; }}
  .portal {{ display: none; }}
  h2, h3, h4, h5 {{ break-after: avoid; }}
}}
"""
