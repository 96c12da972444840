"""Errors travel between processes whole: a worker's SourceError reaches the server (docgen serve) and the
batch's parent with its place, not as a pickling failure that breaks the pool."""

from __future__ import annotations

import pickle
from pathlib import Path

from docgen.errors import SourceError, SourceLocation


def test_a_source_error_pickles_with_its_place_and_message() -> None:
    error = SourceError(SourceLocation(Path("notice.yaml"), 12, 3), "expected a date")
    again = pickle.loads(pickle.dumps(error))
    assert type(again) is SourceError
    assert (again.location, again.message, str(again)) == (
        error.location,
        error.message,
        "notice.yaml:12:3: expected a date",
    )
