"""Messages of the pure records core: the ledger, the quality signals and the record score."""

MESSAGES: dict[str, str] = {
    # Ledger verification (R5).
    "records.ledger.ok": "账本校验通过：共 {count} 条，末条哈希 {head}。",
    "records.ledger.changed": "第 {seq} 号账本条目内容被改动",
    "records.ledger.removed": "第 {seq} 号账本条目被删除",
    "records.ledger.reordered": "第 {seq} 号账本条目的顺序被调换",
    "records.ledger.inserted": "第 {seq} 号账本条目处被插入了条目",
    # The anchor published outside the system.
    "records.ledger.anchor": "考核账本锚点：第 {seq} 号条目，哈希 {hash}，锚定时间 {at}",
    # Quality signals for leaders and inspectors (R2–R4).
    "records.signals.duplicate": (
        "记录 {second} 与记录 {first} 高度相似（相似度 {similarity:.0%}），请核实是否复制粘贴。"
    ),
    "records.signals.duplicate_colleague": (
        "记录 {second}（{second_author}）与同事的记录 {first}（{first_author}）高度相似"
        "（相似度 {similarity:.0%}），请核实是否复制粘贴。"
    ),
    "records.signals.burst": (
        "{author} 在截止时间 {deadline} 前 {hours} 小时内集中录入 {count} 条记录"
        "（占其全部记录的 {share:.0%}），疑似突击补录。"
    ),
    "records.signals.too_short": "记录 {record} 正文仅 {chars} 字，少于 {min_chars} 字，内容可能过于简略。",
    "records.signals.late": (
        "记录 {record} 在工作结束 {hours:.1f} 小时后才录入，超过 {limit} 小时的时限。"
    ),
}
