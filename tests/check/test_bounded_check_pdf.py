"""`docgen check` on hostile PDFs: every read ends within its time and memory budget in findings or
one clear error naming the file, never a hang, a blow-up or a traceback (issue #22).

Each PDF is generated here, a few hundred bytes to a few KB (the Flate bomb about 250 KB), by a
writer small enough to see what each file holds. The cases that would hang are given a budget of a
few seconds; the default one (docgen.check.pdf.PDF_BUDGET) scales with the file's size.
"""

from __future__ import annotations

import os
import random
import re
import signal
import subprocess
import sys
import time
import zlib
from collections import defaultdict
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pypdf import PdfWriter

from docgen.check.checker import check_file
from docgen.check.findings import Finding, collapse
from docgen.check.pdf import check_pdf
from docgen.errors import DocgenError
from docgen.files import bounded
from docgen.files.bounded import Budget
from docgen.limits import MiB
from docgen.measure.pdf import _rows
from docgen.profile import Profile
from docgen.render.pdf.writer import render_pdf
from docgen.source.loader import load_document
from support import ROOT, laid_out

SHORT = Budget(seconds=3, memory_bytes=256 * MiB)
SLACK_S = 3  # forking, killing and a loaded machine, on top of the budget's seconds

# 25 seeded cases in CI; `make fuzz` runs many more (DOCGEN_FUZZ_EXAMPLES), as in test_fuzz.py.
EXAMPLES = int(os.environ.get("DOCGEN_FUZZ_EXAMPLES", "25"))
FUZZ = settings(max_examples=EXAMPLES, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])


def pdf(*objects: bytes) -> bytes:
    """A PDF of ``objects`` (numbered from 1; the first is the catalog) with a correct xref table."""
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def stream(data: bytes, entries: bytes = b"") -> bytes:
    return b"<< /Length %d %s >>\nstream\n%s\nendstream" % (len(data), entries, data)


HELVETICA = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"
HELLO = b"BT /F1 12 Tf 72 700 Td (Hello) Tj ET"
FONTS = b"<< /Font << /F1 4 0 R >> >>"


def one_page(
    content: bytes = HELLO, resources: bytes = FONTS, mediabox: bytes = b"[0 0 595 842]", *more: bytes
) -> bytes:
    """Catalog 1, page tree 2, page 3, Helvetica 4, content stream 5, then ``more`` from 6 on."""
    page = b"<< /Type /Page /Parent 2 0 R /MediaBox %s /Resources %s /Contents 5 0 R >>" % (mediabox, resources)
    return pdf(
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        page,
        HELVETICA,
        stream(content),
        *more,
    )


def write(folder: Path, name: str, data: bytes) -> Path:
    path = folder / name
    path.write_bytes(data)
    return path


def over_budget(path: Path, profile: Profile, budget: Budget = SHORT) -> DocgenError:
    """The error check_pdf ends in within ``budget``, which must name the file."""
    started = time.monotonic()
    with pytest.raises(DocgenError) as raised:
        check_pdf(path, profile, budget)
    assert time.monotonic() - started < budget.seconds + SLACK_S
    assert str(raised.value).startswith(f"{path}: ")
    return raised.value


# -- hangs and blow-ups --------------------------------------------------------------------------


def test_a_mediabox_that_refers_to_itself_is_too_complex_to_check(tmp_path: Path, profile: Profile) -> None:
    # 6 0 obj is a reference to itself: pdfminer's resolve1 follows it for ever.
    path = write(tmp_path, "loop.pdf", one_page(HELLO, FONTS, b"6 0 R", b"6 0 R"))
    assert len(path.read_bytes()) < 700
    error = over_budget(path, profile)
    assert "too complex to check: took more than 3 s" in str(error)


def test_form_xobjects_drawing_each_other_are_too_complex_to_check(tmp_path: Path, profile: Profile) -> None:
    # Eight levels of forms, each drawing the next ten times: 10^8 words of "Hello" from 2.5 KB.
    forms = []
    for level in range(8):
        last = level == 7
        resources = FONTS if last else b"<< /XObject << /X %d 0 R >> /Font << /F1 4 0 R >> >>" % (7 + level)
        body = HELLO if last else b" ".join([b"/X Do"] * 10)
        forms.append(stream(body, b"/Type /XObject /Subtype /Form /BBox [0 0 595 842] /Resources " + resources))
    data = one_page(b"/X Do", b"<< /XObject << /X 6 0 R >> /Font << /F1 4 0 R >> >>", b"[0 0 595 842]", *forms)
    path = write(tmp_path, "forms.pdf", data)
    assert len(data) < 3000
    assert "too complex to check: took more than 3 s" in str(over_budget(path, profile))


def test_a_flate_bomb_is_stopped_at_the_memory_budget(tmp_path: Path, profile: Profile) -> None:
    # 256 KB of Flate inflating to 256 MB of spaces, against a budget of 64 MB more than the checker has.
    squeeze = zlib.compressobj(9)
    chunk = b" " * MiB
    bomb = b"".join(squeeze.compress(chunk) for _ in range(256)) + squeeze.flush()
    page = b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources %s /Contents 5 0 R >>" % FONTS
    catalog, tree = b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>"
    data = pdf(catalog, tree, page, HELVETICA, stream(bomb, b"/Filter /FlateDecode"))
    path = write(tmp_path, "bomb.pdf", data)
    error = over_budget(path, profile, Budget(seconds=20, memory_bytes=64 * MiB))
    assert "too complex to check: needed more than 64 MB of memory" in str(error)


def reference_rows(chars: list[dict], page_height: float) -> dict[float, list[dict]]:
    """The line grouping as it was first written (quadratic): each character joins the first line
    begun within 1 pt of its baseline, or begins one. The specification _rows must keep."""
    rows: dict[float, list[dict]] = defaultdict(list)
    for char in chars:
        baseline = page_height - char["matrix"][5]
        key = next((k for k in rows if abs(k - baseline) < 1.0), baseline)
        rows[key].append(char)
    return rows


def test_sixty_thousand_baselines_are_grouped_in_linear_time() -> None:
    # The quadratic grouping took 78 s on this; every character is a line of its own.
    chars = [{"matrix": (1, 0, 0, 1, 72, 842 - 1.5 * i), "x0": 72} for i in range(60_000)]
    started = time.monotonic()
    rows = _rows(chars, 842.0)
    assert time.monotonic() - started < 2
    assert list(rows) == [1.5 * i for i in range(60_000)]
    assert all(len(line) == 1 for line in rows.values())


baselines = st.one_of(
    st.floats(0, 40, allow_nan=False), st.integers(0, 80).map(lambda n: n / 2), st.sampled_from([0.999, 1.0, 1.001])
)


@settings(max_examples=300, deadline=None, derandomize=True)
@given(st.lists(baselines, max_size=40))
def test_the_linear_grouping_gives_the_reference_lines_in_their_order(ys: list[float]) -> None:
    chars = [{"matrix": (1, 0, 0, 1, 0, y), "x0": index} for index, y in enumerate(ys)]
    assert list(_rows(chars, 842.0).items()) == list(reference_rows(chars, 842.0).items())


# -- tracebacks become findings or located errors ------------------------------------------------


@pytest.mark.parametrize(
    "fonts",
    [
        pytest.param(b"<< /Font << /F1 [4 0 R] >> >>", id="font entry an array"),
        pytest.param(b"<< /Font << /F1 /Helvetica >> >>", id="font entry a name"),
        pytest.param(b"<< /Font [4 0 R] >>", id="font resources an array"),
        pytest.param(b"<< /Font 6 0 R >>", id="font resources a reference to a number"),
    ],
)
def test_font_resources_that_are_not_dictionaries_are_passed_over(
    fonts: bytes, tmp_path: Path, profile: Profile
) -> None:
    path = write(tmp_path, "fonts.pdf", one_page(HELLO, fonts, b"[0 0 595 842]", b"7"))
    findings = check_file(path, profile)
    assert findings and all(isinstance(finding, Finding) for finding in findings)
    assert "text" not in {finding.rule for finding in findings}  # the text layer was read
    assert "font not embedded" not in {finding.rule for finding in findings}  # none of them is a font


def test_a_font_dictionary_not_embedded_is_still_found(tmp_path: Path, profile: Profile) -> None:
    path = write(tmp_path, "helvetica.pdf", one_page())
    found = [finding for finding in check_file(path, profile) if finding.rule == "font not embedded"]
    assert [(finding.where, finding.measured) for finding in found] == [("page 1", "/Helvetica")]


def test_a_cyclic_page_tree_is_not_a_readable_pdf(tmp_path: Path, profile: Profile) -> None:
    page = b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources %s /Contents 5 0 R >>" % FONTS
    tree = b"<< /Type /Pages /Kids [2 0 R 3 0 R] /Count 1 >>"  # the tree is its own kid
    path = write(tmp_path, "cycle.pdf", pdf(b"<< /Type /Catalog /Pages 2 0 R >>", tree, page, HELVETICA, stream(HELLO)))
    error = over_budget(path, profile)
    assert str(error) == f"{path}: not a readable PDF (Detected cyclic page references.)"


DEEP = b"[" * 100_000 + b"]" * 100_000


@pytest.mark.parametrize(
    "data",
    [
        pytest.param(one_page(HELLO, FONTS, b"6 0 R", DEEP), id="mediabox"),
        pytest.param(
            pdf(
                b"<< /Type /Catalog /Pages 2 0 R >>",
                b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
                b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources %s /Contents 5 0 R >>" % FONTS,
                b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Widths %s >>" % DEEP,
                stream(HELLO),
            ),
            id="font widths",
        ),
    ],
)
def test_arrays_nested_100000_deep_are_too_complex_to_check(data: bytes, tmp_path: Path, profile: Profile) -> None:
    path = write(tmp_path, "deep.pdf", data)
    error = over_budget(path, profile)
    assert str(error) == f"{path}: too complex to check: its objects are nested too deeply"


def test_a_pdf_without_text_is_a_finding(tmp_path: Path, profile: Profile) -> None:
    path = write(tmp_path, "drawing.pdf", one_page(b"0 0 m 100 100 l S"))
    assert [(f.rule, f.measured) for f in check_file(path, profile)] == [("text", "no text layer")]


@pytest.fixture(scope="module")
def letter(profile: Profile) -> bytes:
    """A one-page docgen PDF: the 信函 example (its seal too)."""
    return render_pdf(laid_out(load_document(ROOT / "examples" / "letter.yaml"), profile), profile)


def test_an_encrypted_pdf_is_refused_by_name(letter: bytes, tmp_path: Path, profile: Profile) -> None:
    plain = write(tmp_path, "plain.pdf", letter)
    writer = PdfWriter(clone_from=plain)
    writer.encrypt(user_password="secret", owner_password="owner", algorithm="RC4-128")
    locked = tmp_path / "locked.pdf"
    writer.write(locked)
    error = over_budget(locked, profile)
    assert str(error) == f"{locked}: encrypted with a password; docgen check needs a copy without one"


def test_an_encrypted_pdf_anyone_may_open_is_checked(letter: bytes, tmp_path: Path, profile: Profile) -> None:
    plain = write(tmp_path, "plain.pdf", letter)
    writer = PdfWriter(clone_from=plain)
    writer.encrypt(user_password="", owner_password="owner", algorithm="RC4-128")  # printing rights only
    opened = tmp_path / "opened.pdf"
    writer.write(opened)
    assert check_file(opened, profile) == check_file(plain, profile) == []


@pytest.mark.parametrize("fraction", [0.1, 0.5, 0.99])
def test_a_truncated_pdf_is_not_readable(fraction: float, letter: bytes, tmp_path: Path, profile: Profile) -> None:
    path = write(tmp_path, "cut.pdf", letter[: int(len(letter) * fraction)])
    error = over_budget(path, profile)
    assert str(error) == f"{path}: not a readable PDF: it ends too early (cut short?)"


def test_other_bytes_named_pdf_are_not_readable(tmp_path: Path, profile: Profile) -> None:
    path = write(tmp_path, "archive.pdf", b"PK\x03\x04" + random.Random(22).randbytes(300))
    error = over_budget(path, profile)
    assert str(error).startswith(f"{path}: not a readable PDF (")


def test_a_fifo_named_pdf_is_refused_without_waiting(tmp_path: Path, profile: Profile) -> None:
    fifo = tmp_path / "pipe.pdf"
    os.mkfifo(fifo)
    started = time.monotonic()
    with pytest.raises(DocgenError, match="not a regular file"):
        check_file(fifo, profile)
    assert time.monotonic() - started < 1


# -- the budget itself -----------------------------------------------------------------------------


def _raise_docgen_error() -> None:
    raise DocgenError("x.pdf: not a readable PDF (bad)")


class _Unpicklable(Exception):
    def __init__(self, first: str, second: str) -> None:  # pickle rebuilds it with one argument: fails
        super().__init__(f"{first} {second}")


def _raise_unpicklable() -> None:
    raise _Unpicklable("lost", "arguments")


def test_the_childs_result_and_errors_come_back() -> None:
    assert bounded.call(sorted, [3, 1, 2], budget=SHORT, failure="sorting") == [1, 2, 3]
    with pytest.raises(DocgenError, match=r"^x\.pdf: not a readable PDF \(bad\)$"):
        bounded.call(_raise_docgen_error, budget=SHORT, failure="reading")
    with pytest.raises(RuntimeError) as raised:
        bounded.call(_raise_unpicklable, budget=SHORT, failure="reading")
    assert str(raised.value) == "_Unpicklable: lost arguments"
    assert "in _raise_unpicklable" in raised.value.__notes__[0]  # where the child was when it failed


def _start_sleeper_and_hang(pid_file: Path) -> None:
    sleeper = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    pid_file.write_text(str(sleeper.pid))
    time.sleep(60)


def test_over_time_the_child_and_what_it_started_are_killed(tmp_path: Path) -> None:
    pid_file = tmp_path / "sleeper.pid"
    started = time.monotonic()
    with pytest.raises(DocgenError, match=r"^hanging: took more than 2 s$"):
        bounded.call(_start_sleeper_and_hang, pid_file, budget=Budget(2, 256 * MiB), failure="hanging")
    assert time.monotonic() - started < 2 + SLACK_S
    sleeper = int(pid_file.read_text())
    deadline = time.monotonic() + 5
    while _alive(sleeper) and time.monotonic() < deadline:  # init reaps the orphan shortly
        time.sleep(0.05)
    assert not _alive(sleeper)


def _alive(pid: int) -> bool:
    try:
        status = Path(f"/proc/{pid}/stat").read_text()
    except FileNotFoundError:
        return False
    return status.rsplit(")", 1)[1].split()[0] != "Z"  # a zombie is dead, only not yet reaped


def _allocate(count: int) -> int:
    return len(bytearray(count))


def test_over_memory_the_child_reports_its_budget() -> None:
    assert bounded.call(_allocate, 16 * MiB, budget=Budget(10, 64 * MiB), failure="allocating") == 16 * MiB
    with pytest.raises(DocgenError, match=r"^allocating: needed more than 64 MB of memory$"):
        bounded.call(_allocate, 1024 * MiB, budget=Budget(10, 64 * MiB), failure="allocating")


def _die() -> None:
    os.kill(os.getpid(), signal.SIGKILL)  # as the kernel's out-of-memory killer would


def test_a_child_that_dies_without_an_answer_is_reported() -> None:
    with pytest.raises(DocgenError, match=r"^reading: the worker process crashed \(Killed\)$"):
        bounded.call(_die, budget=SHORT, failure="reading")


# -- fuzz: docgen's own PDF, damaged ----------------------------------------------------------------

FUZZ_BUDGET = Budget(seconds=10, memory_bytes=512 * MiB)
REFERENCE = re.compile(rb"\b(\d+) 0 R\b")


def rewired(data: bytes, rewires: list[tuple[float, int]]) -> bytearray:
    """``data`` with some references pointing at other objects (the same length, so the xref holds):
    a font that is a stream, a page tree that is its own kid, a MediaBox that is a page."""
    out = bytearray(data)
    references = list(REFERENCE.finditer(data))
    for where, target in rewires:
        number = references[int(where * len(references))].span(1)
        width = number[1] - number[0]
        out[slice(*number)] = str(min(target, 10**width - 1)).encode().rjust(width)
    return out


@FUZZ
@given(
    rewires=st.lists(st.tuples(st.floats(0, 1, exclude_max=True), st.integers(1, 30)), max_size=3),
    flips=st.lists(st.tuples(st.floats(0, 1, exclude_max=True), st.integers(1, 255)), max_size=8),
    cut=st.one_of(st.none(), st.floats(0, 1)),
)
def test_check_on_a_damaged_pdf_ends_in_findings_or_a_clear_error(
    letter: bytes,
    tmp_path_factory: pytest.TempPathFactory,
    profile: Profile,
    rewires: list[tuple[float, int]],
    flips: list[tuple[float, int]],
    cut: float | None,
) -> None:
    data = rewired(letter, rewires)
    for where, mask in flips:
        data[int(where * len(data))] ^= mask
    if cut is not None:
        data = data[: int(cut * len(data))]
    path = write(tmp_path_factory.mktemp("fuzz"), "damaged.pdf", bytes(data))
    started = time.monotonic()
    try:
        findings = collapse(check_pdf(path, profile, FUZZ_BUDGET))
    except DocgenError as error:
        assert str(error).startswith(f"{path}: ")
    else:
        assert all(isinstance(finding, Finding) for finding in findings)
    assert time.monotonic() - started < FUZZ_BUDGET.seconds + SLACK_S


def test_errors_come_back_alike_when_a_library_has_hooked_exception_pickling() -> None:
    """Dask installs tblib's pickling of exceptions (causes, tracebacks) for the whole process: the
    child's errors must come back the same, even with a cause 100,000 frames deep."""
    pickling_support = pytest.importorskip("tblib.pickling_support")
    pickling_support.install()
    with pytest.raises(DocgenError, match=r"^deep: nested$"):
        bounded.call(_raise_after_deep_recursion, budget=SHORT, failure="reading")
    with pytest.raises(RuntimeError, match=r"^_Unpicklable: lost arguments\n"):  # then the notes
        bounded.call(_raise_unpicklable, budget=SHORT, failure="reading")


def _recurse(depth: int) -> int:
    return depth if depth == 0 else _recurse(depth - 1) + 1


def _raise_after_deep_recursion() -> None:
    sys.setrecursionlimit(200_000)
    try:
        _recurse(100_000)
    except RecursionError as error:
        raise DocgenError("deep: nested") from error
    raise DocgenError("deep: nested") from RecursionError("reached the bottom")
