"""Every form that does something wide or irreversible asks first, saying what it will do: publishing a
scheme, closing a month, reviewing records in a batch, replacing a calendar year, importing a roster or
records, resetting a password, switching an account on or off, revoking a token, deactivating a person,
opening an appraisal year, moving a quarter on or reopening it, signing a written feedback or answering it, marking a
quarterly warning handled."""

import re
from importlib.resources import files

TEMPLATES = files("kaohe") / "web" / "templates"
# Form actions (as the templates write them) whose every submit button must carry data-confirm.
WIDE = (r"/scheme/versions/[^\"]*/publish", r"/records/month/close", r"/records/review", r"/calendar/import",
        r"/calendar/seed", r"/roster/import", r"/records/import", r"/admin/users/[^\"]*/reset-password",
        r"/admin/users/[^\"]*/active", r"/account/tokens/[^\"]*/revoke", r"/staff/[^\"]*/status",
        r"/quarterly/open", r"/quarterly/[^\"]*/advance", r"/quarterly/[^\"]*/reopen",
        r"/metrics/import", r"/metrics/collect-records", r"/feedback/[^\"]*/sign", r"/feedback/[^\"]*/answer",
        r"/warnings/[^\"]*/handle")
FORM = re.compile(r'<form\b[^>]*\baction="([^"]+)"[^>]*>(.*?)</form>', re.S)
SUBMIT = re.compile(r'<button\b(?:(?!>).)*type="submit"(?:(?!>).)*>', re.S)


def _forms() -> list[tuple[str, str, str]]:
    out = []
    for path in TEMPLATES.rglob("*.html"):  # type: ignore[attr-defined]
        text = path.read_text(encoding="utf-8")
        out += [(path.name, action, body) for action, body in FORM.findall(text)]
    return out


def test_every_wide_or_irreversible_form_asks_first() -> None:
    found, missing = set(), []
    for name, action, body in _forms():
        wide = next((w for w in WIDE if re.fullmatch(w, action)), None)
        if wide is None:
            continue
        found.add(wide)
        for button in SUBMIT.findall(body):
            question = re.search(r'data-confirm="([^"]+)"', button)
            if question is None or len(question.group(1)) < 6:
                missing.append(f"{name}: {action}: {button}")
    assert not missing, "\n".join(missing)
    assert found == set(WIDE), f"no form found for {set(WIDE) - found}"


def test_a_batch_review_names_how_many_records_and_nothing_is_ticked_for_the_leader() -> None:
    review = (TEMPLATES / "records" / "review.html").read_text(encoding="utf-8")
    assert 'data-confirm-count="record_ids"' in review and "{n} 条记录" in review
    assert not re.search(r'name="record_ids"[^>]*\bchecked\b', review)
    assert 'data-select="all"' in review and 'data-select="none"' in review
