"""The 待办 list, its badge and the home page's panels."""

MESSAGES = {
    "todo.title": "待办",
    "todo.none": "眼下没有待办事项。",
    "todo.badge_label": "{count} 项待办",
    "todo.open": "去处理",
}
