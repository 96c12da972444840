"""Write data/ledger.xlsx: data/ledger.yaml as an Excel workbook, the same ledger (and the same bytes each run).

    .venv/bin/python scripts/make-ledger-xlsx.py [LEDGER.yaml [OUT.xlsx]]

tests/test_ledger_excel.py checks that the committed workbook is what this writes, and that
`docgen progress` gives the same update from either file.
"""

from __future__ import annotations

import sys
from pathlib import Path

from docgen.files.atomic import write_atomically
from docgen.ledger.excel_writer import ledger_workbook
from docgen.ledger.reader import load_ledger, view

ROOT = Path(__file__).resolve().parent.parent


def main(arguments: list[str]) -> None:
    source = Path(arguments[0]) if arguments else ROOT / "data" / "ledger.yaml"
    target = Path(arguments[1]) if len(arguments) > 1 else source.with_suffix(".xlsx")
    write_atomically(target, ledger_workbook(view(load_ledger(source))))
    print(f"wrote {target}")


if __name__ == "__main__":
    main(sys.argv[1:])
