"""The ledger key of a session: bound by the composition root (`session.info[SESSION_KEY]`), else the
process's settings. Never written to the database."""

from functools import lru_cache

from sqlalchemy.orm import Session

from kaohe.config import get_settings
from kaohe.ledger.chain import Signer

SESSION_KEY = "kaohe.ledger_key"  # where the composition root puts the key in `Session.info`


@lru_cache(maxsize=8)
def signer_of(key: str) -> Signer:
    return Signer(key.encode("utf-8"))


def signer_for(db: Session) -> Signer:
    """The signer of the key bound to this session (or the process's settings)."""
    key = db.info.get(SESSION_KEY) or get_settings().ledger_key
    return signer_of(key)
