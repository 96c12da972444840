"""Hypothesis strategies shared by the property tests: random documents of any Unicode, and formal
ones with every element of GB/T 9704 (seeded: the same cases every run)."""

from __future__ import annotations

import io
import os
from dataclasses import replace
from datetime import date

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from PIL import Image as PILImage

from docgen.files.images import image_from_bytes
from docgen.model import (
    Attachment,
    Attendance,
    Colophon,
    Document,
    Header,
    Item,
    Kind,
    Paragraph,
    ProblemLead,
    Section,
    Signature,
    Signer,
    Table,
)
from docgen.profile import load_profile
from support import SAMPLE_SOURCE

PROFILE = load_profile()
SAMPLE_CHARS = sorted(set(SAMPLE_SOURCE.read_text(encoding="utf-8")) - set("\n #:-'\"[]{}"))
DRAWABLE = st.sampled_from(SAMPLE_CHARS + list("镕堃喆珺0123456789ABCxyz%.+—…“”《》（）"))
ANY = st.characters(exclude_categories=("Cc", "Cs", "Co"), exclude_characters="\ufffe\uffff")
LONG_WORD = st.text(st.sampled_from("abcdefghijklmnopqrstuvwxyz0123456789"), min_size=40, max_size=120)
# 40 seeded cases each in CI; `make fuzz` runs many more (DOCGEN_FUZZ_EXAMPLES).
EXAMPLES = int(os.environ.get("DOCGEN_FUZZ_EXAMPLES", "40"))
FUZZ = settings(max_examples=EXAMPLES, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])


def _seal_png() -> bytes:
    picture = PILImage.new("RGBA", (60, 60), (230, 0, 18, 255))
    buffer = io.BytesIO()
    picture.save(buffer, "PNG")
    return buffer.getvalue()


def texts(chars: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    return st.one_of(st.text(chars, min_size=1, max_size=120), LONG_WORD).map(str.strip).filter(bool)


def documents(chars: st.SearchStrategy[str]) -> st.SearchStrategy[Document]:
    text = texts(chars)
    items = st.builds(Item, text, st.lists(text, min_size=1, max_size=4).map(tuple), st.sampled_from(ProblemLead))
    leaves = st.one_of(st.builds(Paragraph, text), items)

    def sections(children: st.SearchStrategy) -> st.SearchStrategy[Section]:
        return st.builds(Section, text, st.none() | text, st.lists(children, max_size=3).map(tuple), st.booleans())

    level4 = sections(st.builds(Paragraph, text))
    level3 = sections(st.one_of(st.builds(Paragraph, text), level4))
    level2 = sections(st.one_of(leaves, level3))
    level1 = sections(st.one_of(leaves, level2))
    return st.builds(
        Document,
        title=text,
        signature=st.builds(Signature, st.lists(text, min_size=1, max_size=2).map(tuple), st.dates(date(1950, 1, 1))),
        preamble=st.lists(st.builds(Paragraph, text), max_size=2).map(tuple),
        sections=st.lists(level1, max_size=3).map(tuple),
        closing=st.lists(st.builds(Paragraph, text), max_size=2).map(tuple),
    )


SEAL = image_from_bytes(_seal_png(), "seal.png")


def formal_documents(chars: st.SearchStrategy[str]) -> st.SearchStrategy[Document]:
    """Documents with the rest of GB/T 9704: any format, a 版头, seals or a signature seal,
    attachments with tables, 附注, attendance and a 版记."""
    text = texts(chars)
    words = st.lists(text, max_size=3).map(tuple)
    header = st.builds(
        Header,
        copy_number=st.none() | st.from_regex(r"[0-9]{6}", fullmatch=True),
        secrecy=st.none() | st.just("秘密★1年"),
        urgency=st.none() | st.sampled_from(["特急", "加急"]),
        mark=words,
        mark_suffix=st.none() | st.sampled_from(["文件", "令", ""]),
        number=st.none() | st.integers(1, 999).map(lambda n: f"济政发〔2023〕{n}号"),
        signers=words,
    )
    table = st.integers(1, 5).flatmap(
        lambda n: st.builds(
            Table,
            st.lists(text, min_size=n, max_size=n).map(tuple),
            st.lists(st.lists(st.just("") | text, min_size=n, max_size=n).map(tuple), max_size=4).map(tuple),
            landscape=st.booleans(),
        )
    )
    attachment = st.builds(Attachment, text, st.lists(st.builds(Paragraph, text) | table, max_size=2).map(tuple))
    colophon = st.builds(Colophon, words, st.none() | text, st.none() | st.dates(date(1950, 1, 1)))

    def dressed(document: Document, extras: tuple) -> Document:
        kind, head, sealed, signer, attachments, note, groups, back = extras
        signature = document.signature
        if sealed:
            signature = replace(signature, seals=(SEAL,) * len(signature.organs))
        elif signer:
            signature = replace(signature, signer=Signer(signer, SEAL))
        return replace(
            document, kind=kind, header=head, signature=signature, attachments=attachments, note=note,
            attendance=groups, colophon=back,
        )  # fmt: skip

    extras = st.tuples(
        st.sampled_from(Kind), st.none() | header, st.booleans(), st.none() | text,
        st.lists(attachment, max_size=2).map(tuple), st.none() | text,
        st.lists(st.builds(Attendance, st.sampled_from(["出席", "请假", "列席"]), words), max_size=2).map(tuple),
        st.none() | colophon,
    )  # fmt: skip
    return st.builds(dressed, documents(chars), extras)
