"""The message catalogue: one module per key prefix, every key used exists, every key defined is used,
the enum labels come from it unchanged, and the CLI's Chinese texts are in it."""

from __future__ import annotations

import ast
import re
from importlib import import_module
from pathlib import Path

import pytest

from kaohe import messages
from kaohe.auth.roles import Role, Scope
from kaohe.messages import CATALOGUE, enum_key, module_names
from kaohe.org.enums import (
    LABELLED,
    LABELS,
    DepartmentKind,
    Level,
    PostCategory,
    StaffStatus,
    label,
    parse_label,
)

SRC = Path(__file__).resolve().parents[2] / "src" / "kaohe"
TEMPLATES = SRC / "web" / "templates"
CJK = re.compile(r"[\u4e00-\u9fff]")

# Keys no literal names, for a reason that has to be written down. Keep this list short.
ALLOWED_UNUSED: dict[str, str] = {
    # Defined for the CLI before its commands switch to them (the lead is splitting kaohe/cli.py).
    "cli.actor_name": "kaohe.clikit.CLI_ACTOR still spells 命令行 inline",
    "scheme_admin.cli.year": "kaohe/scheme/cli.py still spells its option help inline",
    "scheme_admin.cli.note": "kaohe/scheme/cli.py still spells its option help inline",
    "scheme_admin.cli.version": "kaohe/scheme/cli.py still spells its option help inline",
    "scheme_admin.cli.version_current": "kaohe/scheme/cli.py still spells its option help inline",
    "scheme_admin.cli.output": "kaohe/scheme/cli.py still spells its option help inline",
    "scheme_admin.cli.error": "kaohe/scheme/cli.py still spells its error line inline",
}
# Prefixes whose keys are checked by their own tests below (labels looked up by name, not by literal).
OWN_TESTS = ("field.", "enum.")


# --- what the source says ----------------------------------------------------------------------------

def _python_files() -> list[Path]:
    return sorted(p for p in SRC.rglob("*.py") if "migrations" not in p.parts)


def _pattern(node: ast.JoinedStr) -> str:
    """An f-string as a regular expression of the keys it can build: each {…} is one key segment."""
    out = ""
    for value in node.values:
        if isinstance(value, ast.Constant):
            out += re.escape(str(value.value))
        else:
            out += r"[A-Za-z0-9_]+"
    return out


def _calls_in_python() -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """(literal keys, key patterns) of every t(...) call in src, each with where it is; the patterns
    also come from f-strings that build a key of a catalogue prefix outside the call
    (`key = f"ledger.field.{name}"` ... `t(key)`)."""
    literals, patterns = [], []
    prefixes = tuple(f"{name}." for name in module_names())
    for path in _python_files():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            where = f"{path.relative_to(SRC)}:{getattr(node, 'lineno', 0)}"
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "t" and node.args:
                first = node.args[0]
                if isinstance(first, ast.Constant) and isinstance(first.value, str):
                    literals.append((first.value, where))
                elif isinstance(first, ast.JoinedStr):
                    patterns.append((_pattern(first), where))
            elif (isinstance(node, ast.JoinedStr) and node.values and isinstance(node.values[0], ast.Constant)
                  and str(node.values[0].value).startswith(prefixes)):
                patterns.append((_pattern(node), where))
    return literals, sorted(set(patterns))


_TEMPLATE_CALL = re.compile(r"(?<![\w.])t\(\s*([\"'])([^\"']+)\1\s*(~)?")


def _calls_in_templates() -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    literals, patterns = [], []
    for path in sorted(TEMPLATES.rglob("*.html")):
        text = path.read_text(encoding="utf-8")
        for match in _TEMPLATE_CALL.finditer(text):
            where = f"{path.relative_to(SRC)}:{text.count(chr(10), 0, match.start()) + 1}"
            if match.group(3):  # t("records.status." ~ value): a key built from a prefix
                patterns.append((re.escape(match.group(2)) + r"[A-Za-z0-9_.]+", where))
            else:
                literals.append((match.group(2), where))
    return literals, patterns


def _string_literals() -> set[str]:
    """Every string constant in src and every quoted string in the templates."""
    found: set[str] = set()
    for path in _python_files():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        definitions = {id(key) for node in ast.walk(tree) if isinstance(node, ast.Assign | ast.AnnAssign)
                       and any(isinstance(target, ast.Name) and target.id == "MESSAGES"
                               for target in (node.targets if isinstance(node, ast.Assign) else [node.target]))
                       and isinstance(node.value, ast.Dict) for key in node.value.keys}
        for node in ast.walk(tree):
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in definitions:
                found.add(node.value)
    for path in TEMPLATES.rglob("*.html"):
        found.update(m.group(2) for m in re.finditer(r"([\"'])([A-Za-z0-9_.]+)\1", path.read_text(encoding="utf-8")))
    return found


# --- the catalogue's shape ---------------------------------------------------------------------------

def test_every_module_holds_the_keys_of_its_own_prefix_only() -> None:
    wrong = [f"messages/{name}.py: {key}" for name in module_names()
             for key in import_module(f"kaohe.messages.{name}").MESSAGES if not key.startswith(f"{name}.")]
    assert wrong == []
    assert sum(len(import_module(f"kaohe.messages.{name}").MESSAGES) for name in module_names()) == len(CATALOGUE)


def test_the_loader_refuses_a_key_outside_its_module_prefix(monkeypatch: pytest.MonkeyPatch) -> None:
    module = import_module("kaohe.messages.audit")
    monkeypatch.setattr(module, "MESSAGES", {**module.MESSAGES, "records.stray": "放错了地方"})
    monkeypatch.setattr(messages, "CATALOGUE", {})
    with pytest.raises(RuntimeError, match=r"records\.stray is in messages/audit\.py"):
        messages._load()


def test_every_text_has_named_placeholders_only() -> None:
    positional = [key for key, text in CATALOGUE.items()
                  if any(not name.split(":")[0] for name in re.findall(r"{([^{}]*)}", text))]
    assert positional == [] and all(text.strip() for text in CATALOGUE.values())


# --- keys used and keys defined ------------------------------------------------------------------------

def test_every_key_the_code_and_the_templates_name_exists() -> None:
    py_literals, py_patterns = _calls_in_python()
    html_literals, html_patterns = _calls_in_templates()
    assert len(py_literals) > 200 and html_literals, "the scan found no t() calls"
    missing = [f"{where}: {key}" for key, where in py_literals + html_literals if key not in CATALOGUE]
    assert missing == []
    unmatched = [f"{where}: {pattern}" for pattern, where in py_patterns + html_patterns
                 if not any(re.fullmatch(pattern, key) for key in CATALOGUE)]
    assert unmatched == []


def test_every_key_defined_is_used() -> None:
    literals = _string_literals()
    _, py_patterns = _calls_in_python()
    _, html_patterns = _calls_in_templates()
    patterns = [re.compile(p) for p, _ in py_patterns + html_patterns
                if not any(p.startswith(re.escape(prefix)) for prefix in OWN_TESTS)]
    unused = sorted(
        key for key in CATALOGUE
        if key not in literals and key not in ALLOWED_UNUSED and not key.startswith(OWN_TESTS)
        and not any(p.fullmatch(key) for p in patterns)
    )
    assert unused == [], "defined but never used (delete them, or name why in ALLOWED_UNUSED)"


def test_the_allow_list_names_only_keys_that_exist() -> None:
    assert [key for key in ALLOWED_UNUSED if key not in CATALOGUE] == []


# --- enum labels -----------------------------------------------------------------------------------------

# The labels as kaohe.org.enums spelt them before they moved into the catalogue: they must not change.
BEFORE = {
    DepartmentKind.general: "综合管理", DepartmentKind.frontline: "业务一线", DepartmentKind.tech_support: "技术支撑",
    DepartmentKind.logistics: "后勤保障", PostCategory.management: "管理岗", PostCategory.technical: "专业技术岗",
    PostCategory.service: "工勤技能岗", Level.junior: "初级", Level.intermediate: "中级", Level.senior: "高级",
    StaffStatus.active: "在职", StaffStatus.inactive: "停用", Role.staff: "干事", Role.leader: "分管领导",
    Role.dept_head: "部门负责人", Role.liaison: "部门联络员", Role.hr: "考核办公室", Role.committee: "考核委员会委员",
    Role.inspector: "纪检监督", Role.staff_rep: "职工代表", Role.admin: "系统管理员", Scope.self_: "本人",
    Scope.supervised: "分管人员", Scope.department: "本部门", Scope.unit: "全单位",
}


def test_enum_labels_come_from_the_catalogue_unchanged() -> None:
    assert {member: label(member) for member in BEFORE} == BEFORE
    assert dict(LABELS) == BEFORE
    assert enum_key(Role.dept_head) == "enum.role.dept_head" and enum_key(Scope.self_) == "enum.scope.self"
    assert {key for key in CATALOGUE if key.startswith("enum.")} == {
        enum_key(member) for enum in LABELLED for member in enum}


def test_parse_label_reads_values_and_labels() -> None:
    assert parse_label(PostCategory, " 专业技术岗 ") is PostCategory.technical
    assert parse_label(PostCategory, "technical") is PostCategory.technical
    assert parse_label(Role, "纪检监督") is Role.inspector
    assert parse_label(Level, "特级") is None


# --- the command line ------------------------------------------------------------------------------------

def _cli_modules() -> list[Path]:
    return sorted([*SRC.rglob("cli.py"), SRC / "clikit.py"])


def _template(node: ast.JoinedStr) -> str:
    return "".join(str(v.value) if isinstance(v, ast.Constant) else "{}" for v in node.values)


def test_every_chinese_text_left_inline_in_the_cli_is_already_in_the_catalogue() -> None:
    """So switching a command to t() never changes what it prints."""
    texts = {re.sub(r"{[^{}]*}", "{}", text) for text in CATALOGUE.values()}
    inline = []
    for path in _cli_modules():
        if path.parent.name == "messages":
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        docstrings = {id(node.body[0].value) for node in ast.walk(tree)
                      if isinstance(node, ast.Module | ast.FunctionDef | ast.ClassDef) and node.body
                      and isinstance(node.body[0], ast.Expr) and isinstance(node.body[0].value, ast.Constant)}
        parts = {id(part) for node in ast.walk(tree) if isinstance(node, ast.JoinedStr) for part in node.values}
        for node in ast.walk(tree):
            if id(node) in parts:
                continue
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings:
                text = node.value
            elif isinstance(node, ast.JoinedStr):
                text = _template(node)
            else:
                continue
            if CJK.search(text) and re.sub(r"{[^{}]*}", "{}", text) not in texts:
                inline.append(f"{path.relative_to(SRC)}:{node.lineno}: {text}")
    assert inline == []
