"""`docgen check` of a PDF: read it into a Layout within a budget (a hostile file may ask the PDF
readers for hours or gigabytes), check that Layout's geometry, and check what only a PDF has: whether
its fonts are embedded.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from contextlib import ExitStack
from functools import cache
from pathlib import Path

from docgen.check.findings import Finding, Severity, page_place
from docgen.check.geometry import check_layout, has_text
from docgen.errors import DocgenError
from docgen.files import bounded
from docgen.files.bounded import Budget
from docgen.i18n import _
from docgen.limits import MiB
from docgen.measure.pdf import Layout, joined, read_layout
from docgen.profile import Profile

# Reading a PDF may take this long and this much memory, plus an allowance per MB of file: docgen's
# 456-page PDF of 5,000 paragraphs (0.55 MB) takes about 20 s and 300 MB, while a hostile file of a
# few KB can ask the PDF readers for hours or gigabytes (a reference loop, nested drawings, a Flate bomb).
PDF_BUDGET = Budget(seconds=20, memory_bytes=512 * MiB)
_PDF_SECONDS_PER_MIB = 120
_PDF_MEMORY_PER_BYTE = 1024


def check_pdf(path: Path, profile: Profile, budget: Budget | None = None) -> list[Finding]:
    """The findings for ``path``, read within ``budget`` (by default PDF_BUDGET and its allowance
    for the file's size): "too complex to check" rather than a hang, "not a readable PDF" rather than
    a traceback. Its pages are read on every core at once, each reader within the budget."""
    _import_readers()
    budget = budget or budget_for(path)
    failure = _("{path}: too complex to check").format(path=path)
    parts = _readers()
    with ExitStack() as stack:
        fonts = stack.enter_context(bounded.start(_fonts, path, budget=budget, failure=failure))
        shares = [
            stack.enter_context(bounded.start(_read, path, (part, parts), budget=budget, failure=failure))
            for part in range(parts)
        ]
        layout = joined(share.result() for share in shares)
        # Fonts not embedded matter only where there is text: a scan's fonts draw nothing.
        font_findings = fonts.result() if has_text(layout) else []
    return [*check_layout(layout, profile), *font_findings]


def _readers() -> int:
    """How many children read a PDF at once: one a core this process may use."""
    cores = os.sched_getaffinity(0) if hasattr(os, "sched_getaffinity") else range(os.cpu_count() or 1)
    return max(1, len(cores))


@cache
def _import_readers() -> None:
    """pdfplumber and pypdf imported here, once, not in each bounded child (that inherits them): a
    quarter of a second a PDF."""
    import pdfplumber  # noqa: F401
    import pypdf  # noqa: F401


def budget_for(path: Path) -> Budget:
    """PDF_BUDGET and its allowance for the size of the file at ``path`` (an OFD's too)."""
    return PDF_BUDGET.scaled(_regular_size(path), _PDF_SECONDS_PER_MIB, _PDF_MEMORY_PER_BYTE)


def _regular_size(path: Path) -> int:
    """The file's size; a pipe or a device is refused (reading one could wait for ever)."""
    try:
        status = path.stat()
    except OSError as error:
        raise DocgenError(_("{path}: cannot read it ({reason})").format(path=path, reason=error.strerror)) from None
    if not stat.S_ISREG(status.st_mode):
        raise DocgenError(
            _("{path}: not a regular file (docgen check reads .docx, .pdf and .ofd files)").format(path=path)
        )
    return status.st_size


def _read(path: Path, share: tuple[int, int]) -> Layout:
    """A share of the file's pages (run in a bounded child); a damaged file is a DocgenError."""
    try:
        return read_layout(path, share)
    except Exception as error:  # pdfminer and pypdf raise many kinds on a damaged file
        raise _unreadable(path, error) from None


def _fonts(path: Path) -> list[Finding]:
    """The file's fonts not embedded (run in a bounded child); a damaged file is a DocgenError."""
    try:
        return list(_embedded_fonts(path))
    except Exception as error:
        raise _unreadable(path, error) from None


def _unreadable(path: Path, error: Exception) -> Exception:
    """What to report for ``error``, looking behind pdfplumber's wrapping of pdfminer's exceptions."""
    from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect
    from pdfminer.psexceptions import PSEOF
    from pypdf.errors import FileNotDecryptedError

    behind = list(_chain(error))
    if any(isinstance(cause, MemoryError) for cause in behind):
        return MemoryError()  # the budget's to report, with its figure
    if any(isinstance(cause, RecursionError) for cause in behind):
        return DocgenError(_("{path}: too complex to check: its objects are nested too deeply").format(path=path))
    if any(isinstance(cause, PDFPasswordIncorrect | PDFEncryptionError | FileNotDecryptedError) for cause in behind):
        return DocgenError(
            _("{path}: encrypted with a password; docgen check needs a copy without one").format(path=path)
        )
    if any(isinstance(cause, PSEOF) for cause in behind):
        return DocgenError(_("{path}: not a readable PDF: it ends too early (cut short?)").format(path=path))
    return DocgenError(
        _("{path}: not a readable PDF ({reason})").format(path=path, reason=str(error) or type(error).__name__)
    )


def _chain(error: BaseException | None) -> Iterator[BaseException]:
    """``error`` and the exceptions it was raised from or while handling."""
    while error is not None:
        yield error
        error = error.__cause__ or error.__context__


def _embedded_fonts(path: Path) -> Iterator[Finding]:
    """A finding per font not embedded; entries that are not font dictionaries (an array, a name)
    are not fonts a reader could use, and are passed over like any other damage in the file."""
    from pypdf import PdfReader

    seen = set()
    for page in PdfReader(path).pages:
        fonts = _dictionary(_dictionary(page.get("/Resources")).get("/Font"))
        for entry in fonts.values():
            font = _dictionary(entry)
            name = str(font.get("/BaseFont", "?"))
            if font and not _embeds(font) and name not in seen:
                seen.add(name)
                yield unembedded_font(name, page_place(page.page_number + 1))


def unembedded_font(name: str, where: str) -> Finding:
    """The finding for a font a fixed-layout file names without embedding it."""
    return Finding(
        "—", Severity.REQUIRED, _("font not embedded"), where, name,
        _("every font embedded, or the print depends on the reader's fonts"),
    )  # fmt: skip


def _embeds(font: dict) -> bool:
    """Whether the font's descriptor (a composite font's: its first descendant's) holds a font file."""
    descendants = _resolved(font.get("/DescendantFonts"))
    if isinstance(descendants, list) and descendants:
        font = _dictionary(descendants[0])
    descriptor = _dictionary(font.get("/FontDescriptor"))
    return any(key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3"))


def _dictionary(value: object) -> dict:
    """``value`` (resolved) if it is a dictionary (pypdf's are dicts), else an empty one."""
    value = _resolved(value)
    return value if isinstance(value, dict) else {}


def _resolved(value: object) -> object:
    """The object an indirect reference points to, followed once (a reference to itself stays unresolved)."""
    return value.get_object() if hasattr(value, "get_object") else value
