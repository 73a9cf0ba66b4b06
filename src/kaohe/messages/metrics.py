"""Messages of metric collection (Q2, Q6, P3): quarters, sources, mappings, imports, the API, the CLI."""

MESSAGES: dict[str, str] = {
    "metrics.quarter.label": "{year}年第{name}季度",
    "metrics.quarter.invalid": "「{value}」不是有效的季度，请写成 2026Q3、2026-Q3 或 2026年第三季度",
    # Sources.
    "metrics.source.unknown": "数据来源「{value}」不在考核方案中，可选：{allowed}",
    "metrics.source.records_only": "「{name}」的数据由系统从日常记录自动采集，不能导入",
    "metrics.source.nothing": "考核方案中没有数据来源为「{name}」的定量指标",
    # The column mapping.
    "metrics.mapping.refused": "列对应关系未保存",
    "metrics.mapping.foreign": "指标 {codes} 的数据来源不是这个系统，不能对应",
    "metrics.mapping.no_employee_column": "请填写工号所在列的表头",
    "metrics.mapping.empty": "至少要为一个指标填写表头",
    "metrics.mapping.repeated": "表头「{header}」填写了不止一次，每一列只能对应一项",
    # Reading a file.
    "metrics.header.found": "文件中的列为：{names}，请核对列对应关系",
    "metrics.header.none": "（无）",
    "metrics.employee.unknown": "工号「{value}」在系统中不存在",
    "metrics.row.duplicate": "工号「{value}」与第 {first} 行重复",
    "metrics.value.formula": "「{value}」是公式，请在 Excel 中复制后“选择性粘贴为数值”再导入",
    "metrics.value.ambiguous_percent": (
        "{value} 无法判断是 {value}% 还是 {percent}%（同一列其他数值大于 1），请写成 {percent}% 或 {value}%"
    ),
    "metrics.value.not_percent": "「{value}」是百分数，这个指标的单位不是百分比",
    "metrics.value.not_whole": "{value} 不是整数，这个指标按次数或个数计",
    "metrics.value.range_percent": "{value}% 超出 {low}%–{high}% 的范围",
    "metrics.value.range_score": "{value} 分超出 {low}–{high} 分的范围",
    "metrics.value.range_count": "{value} 不能小于 {low}",
    "metrics.import_failed": "文件未导入，共 {count} 处错误，数据库未作任何改动",
    "metrics.import_empty": "文件中没有任何数值，未导入",
    "metrics.replace_needed": (
        "该来源{quarter}已有 {count} 条数据。如确认用这次的数据替换（原数据留存历史），请勾选“替换已有数据”"
        "（命令行加 --replace，API 设 replace 为 true）后重新提交"
    ),
    # The API.
    "metrics.api.at_item": "第 {index} 项：{detail}",
    "metrics.api.foreign_code": "指标编码「{value}」不是「{source}」的定量指标",
    "metrics.api.duplicate": "与第 {first} 项重复（同一工号、同一指标）",
    "metrics.api.key_reused": "这个幂等键（Idempotency-Key）已用于内容不同的请求，请换一个新的幂等键",
    "metrics.api.key_in_flight": "同一幂等键的请求正在处理，请稍后重试",
    # Pages.
    "metrics.staff_not_found": "没有找到这个人员",
    "metrics.channel.file": "文件导入",
    "metrics.channel.api": "接口报送",
    "metrics.channel.records": "日常记录采集",
    # Audit.
    "metrics.audit.mapping": "修改「{name}」的列对应关系",
    "metrics.audit.file": "导入{quarter}「{source}」指标数据文件：{count} 条（{people} 人），替换 {replaced} 条",
    "metrics.audit.api": "接口报送{quarter}「{source}」指标数据：{count} 条（{people} 人），替换 {replaced} 条",
    "metrics.audit.records": "从日常记录采集{quarter}指标数据：{count} 条（{people} 人），替换 {replaced} 条",
    # The command line.
    "metrics.cli_help": "季度指标数据：导入业务系统导出的文件、从日常记录采集。",
    "metrics.cli_import_help": "导入一个数据来源一个季度的指标数据文件（.xlsx 或 .csv），全部成功或全部不导入。",
    "metrics.cli_collect_help": "从日常记录计算一个季度的记录类指标（如工作记录及时率）。",
    "metrics.cli_source": "数据来源（考核方案 data_sources 中的 key，如 project_system）",
    "metrics.cli_quarter": "季度，如 2026Q3",
    "metrics.cli_file": "文件路径",
    "metrics.cli_replace": "替换该来源本季度已有的数据（原数据留存历史）",
    "metrics.cli_imported": "已导入{quarter} {count} 条指标数据（{people} 人），替换 {replaced} 条。",
    "metrics.cli_collected": "已从日常记录采集{quarter} {count} 条指标数据（{people} 人）。",
    "metrics.cli_collect_none": "考核方案中没有可从日常记录计算的指标，未采集。",
}
