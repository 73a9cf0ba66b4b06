"""The JSON Schema of scheme files, generated from the models (committed as docs/scheme.schema.json)."""

import json

from kaohe.scheme.models import Scheme


def scheme_json_schema() -> str:
    """The JSON Schema of `Scheme`, as the exact text of docs/scheme.schema.json."""
    return json.dumps(Scheme.model_json_schema(), ensure_ascii=False, indent=2) + "\n"
