"""The workspace: each person's home page (待办, what they would look at first), the 待办 page, the
navigation badge and `GET /api/v1/todo`. It composes the other features and owns no tables."""
