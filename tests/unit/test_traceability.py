"""docs/traceability.md stays honest about its form: every clause ID of the scheme once, and every
file, function and test it cites exists.

Citations: in the *code* column a path is relative to `src/kaohe/` (`scheme/tree.py`, `calendar/`),
optionally with `::name` of a function or class defined there. In the *tests* column a path starts
with `tests/`, or is a bare test file name found exactly once under `tests/`; `::test_name` names a
test of that file, and a bare `::test_name` one of the file cited just before it.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
TRACEABILITY = ROOT / "docs" / "traceability.md"
CLAUSES = ROOT.parent / "shared" / "spec" / "clauses.md"
SOURCE = ROOT / "src" / "kaohe"
ROW = re.compile(r"^\| ([A-Z]\d+) \|(.*)\|\s*$")
CLAUSE = re.compile(r"^- ([A-Z]\d+) ", re.MULTILINE)
CITED = re.compile(r"`([^`]+)`")
STATUS = re.compile(r"^(done|partial|not yet)\b")


def rows() -> list[tuple[str, list[str]]]:
    out = []
    for line in TRACEABILITY.read_text(encoding="utf-8").splitlines():
        match = ROW.match(line)
        if match:
            cells = [cell.strip() for cell in match.group(2).split("|")]
            assert len(cells) == 3, f"{match.group(1)}: want status | code | tests, got {line!r}"
            out.append((match.group(1), cells))
    return out


def defines(path: Path, name: str) -> bool:
    return re.search(rf"^\s*(?:async\s+)?(?:def|class)\s+{re.escape(name)}\b", path.read_text(encoding="utf-8"),
                     re.MULTILINE) is not None


def cited_code(cell: str) -> list[str]:
    return [token for token in CITED.findall(cell) if "/" in token or token.split("::")[0].endswith(".py")]


def test_every_clause_appears_exactly_once():
    ids = [clause for clause, _cells in rows()]
    duplicates = sorted({clause for clause in ids if ids.count(clause) > 1})
    assert not duplicates, f"listed more than once: {duplicates}"
    if not CLAUSES.exists():
        pytest.skip(f"{CLAUSES} is not checked out next to the project")
    clauses = CLAUSE.findall(CLAUSES.read_text(encoding="utf-8"))
    assert len(clauses) == len(set(clauses))
    assert sorted(set(clauses) - set(ids)) == [], "clauses missing from docs/traceability.md"
    assert sorted(set(ids) - set(clauses)) == [], "rows for IDs that are not clauses"


def test_every_status_is_one_of_the_three_words():
    wrong = [clause for clause, (status, _code, _tests) in rows() if not STATUS.match(status)]
    assert not wrong


def test_every_cited_source_file_and_name_exists():
    missing = []
    for clause, (_status, code, _tests) in rows():
        for token in cited_code(code):
            path_text, _, name = token.partition("::")
            path = SOURCE / path_text
            if not path.exists():
                missing.append(f"{clause}: {token} (no such path under src/kaohe/)")
            elif name and not (path.is_file() and defines(path, name)):
                missing.append(f"{clause}: {token} ({name} is not defined there)")
    assert not missing, "\n".join(missing)


def test_every_cited_test_file_and_test_exists():
    test_files = [path for path in (ROOT / "tests").rglob("*.py") if path.is_file()]
    missing = []
    for clause, (_status, _code, tests) in rows():
        previous: Path | None = None
        for token in CITED.findall(tests):
            path_text, _, name = token.partition("::")
            if not path_text:
                path = previous
            elif path_text.startswith("tests/"):
                path = ROOT / path_text
            else:
                found = [p for p in test_files if p.name == path_text]
                path = found[0] if len(found) == 1 else None
                if len(found) > 1:
                    missing.append(f"{clause}: {token} (ambiguous: {len(found)} files; give the path)")
                    continue
            if path is None or not path.exists():
                missing.append(f"{clause}: {token} (no such test file)")
                continue
            if path.is_file():
                previous = path
            if name and not (path.is_file() and defines(path, name)):
                missing.append(f"{clause}: {token} ({name} is not a test in {path.relative_to(ROOT)})")
    assert not missing, "\n".join(missing)


def test_a_clause_marked_done_or_partial_cites_code_and_tests():
    bare = [clause for clause, (status, code, tests) in rows()
            if status.startswith(("done", "partial")) and not (cited_code(code) and CITED.findall(tests))]
    assert not bare, f"done or partial without code or tests: {bare}"
