"""Messages of the roster feature: staff roster import and export."""

MESSAGES: dict[str, str] = {
    # Where an error is: a data row, a field of a data row, or the header row.
    "roster.at_row": "第 {row} 行：{detail}",
    "roster.at_row_field": "第 {row} 行「{field}」：{detail}",
    "roster.at_header": "第 1 行（表头）：{detail}",
    # The file as a whole.
    "roster.file.too_large": "文件大小 {size} MB，超过上限 {limit} MB，请拆分后再导入",
    "roster.file.empty": "文件为空",
    "roster.file.unsupported": "不支持的文件类型「{ext}」，请上传 .xlsx 或 .csv 文件",
    "roster.file.unsupported_xls": "不支持旧版 Excel 文件（.xls），请在 Excel 中另存为 .xlsx 后再导入",
    "roster.file.corrupt_xlsx": "无法读取 Excel 文件，文件可能已损坏或不是 .xlsx 格式",
    "roster.file.no_worksheet": "Excel 文件中没有工作表",
    "roster.file.bad_encoding": "无法识别 CSV 文件的编码，请另存为 UTF-8 或 GB18030（GBK）编码后再导入",
    "roster.file.bad_csv": "CSV 文件格式错误，无法解析（约在第 {row} 行）",
    "roster.file.no_data": "文件中没有数据行",
    "roster.file.too_many_rows": "数据超过 {limit} 行的上限，请拆分后再导入",
    # The header row.
    "roster.header.missing": "缺少必填列：{names}",
    "roster.header.unknown": "无法识别的列：{names}（可用的列：{allowed}）",
    "roster.header.duplicate": "列名重复：{names}",
    "roster.row.unnamed_columns": "第 {columns} 列没有表头，但填写了数据",
    # Any field.
    "roster.field.required": "不能为空",
    "roster.field.injection": "内容不能以 = + - @ 开头（疑似公式注入）",
    "roster.field.control_chars": "不能包含换行、制表符等控制字符",
    "roster.field.too_long": "不能超过 {limit} 个字",
    "roster.field.choice": "{field}「{value}」无效，可选：{allowed}",
    # Particular fields.
    "roster.employee_no.format": (
        "工号「{value}」格式不正确：只能包含字母、数字和“-”，以字母或数字开头，长度 1–32 位"
    ),
    "roster.employee_no.duplicate": "工号「{value}」与第 {first} 行重复",
    "roster.name.length": "姓名「{value}」长度应为 2–20 个字",
    "roster.department.unknown": "部门「{value}」不存在",
    "roster.hired_on.invalid": (
        "入职日期「{value}」无法识别，请使用 YYYY-MM-DD、YYYY/MM/DD 或 YYYY年M月D日 格式"
    ),
    "roster.phone.invalid": "手机号「{value}」不是有效的 11 位手机号码",
    "roster.supervisor.format": "分管领导工号「{value}」格式不正确",
    "roster.supervisor.self": "分管领导不能是本人",
    "roster.supervisor.unknown": "分管领导工号「{value}」不存在（既不在本文件中，也不在系统中）",
    "roster.supervisor.cycle": "分管关系形成循环：{chain}",
}
