#!/bin/sh
# SHA-256 of every file `make sample`, the examples, a batch and the ledger updates write, in
# every format: a refactoring that must not change behaviour is checked by comparing two runs.
# Usage: scripts/output-hashes.sh [DOCGEN] > hashes.txt
set -eu
docgen=${1:-.venv/bin/docgen}
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
formats=docx,pdf,html
$docgen build data/report.yaml -o "$out/sample" -f $formats --force >/dev/null 2>&1
$docgen build examples -o "$out/examples" -f $formats --force --allow-unpublishable >/dev/null 2>&1
$docgen batch data/batch/template.yaml --data data/batch/districts.csv -o "$out/batch" -f $formats >/dev/null 2>&1
$docgen progress data/ledger.yaml -o "$out/progress" -f $formats >/dev/null 2>&1
$docgen progress data/ledger-2023-10.yaml --previous data/ledger.yaml --table -o "$out/progress-table" -f $formats >/dev/null 2>&1
cd "$out" && find . -type f \( -name '*.docx' -o -name '*.pdf' -o -name '*.html' -o -name '*.ofd' \) | LC_ALL=C sort | xargs sha256sum
