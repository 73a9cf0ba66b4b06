"""Messages of the shared spreadsheet import toolkit (kaohe.sheets): reading a file, its header, its cells."""

MESSAGES: dict[str, str] = {
    # Where an error is: a data row, a field of a data row, or the header row.
    "sheets.at_row": "第 {row} 行：{detail}",
    "sheets.at_row_field": "第 {row} 行「{field}」：{detail}",
    "sheets.at_header": "第 {row} 行（表头）：{detail}",
    # The file as a whole.
    "sheets.file.too_large": "文件大小 {size} MB，超过上限 {limit} MB，请拆分后再导入",
    "sheets.file.empty": "文件为空",
    "sheets.file.unsupported": "不支持的文件类型「{ext}」，请上传 .xlsx 或 .csv 文件",
    "sheets.file.unsupported_xls": "不支持旧版 Excel 文件（.xls），请在 Excel 中另存为 .xlsx 后再导入",
    "sheets.file.corrupt_xlsx": "无法读取 Excel 文件，文件可能已损坏或不是 .xlsx 格式",
    "sheets.file.no_worksheet": "Excel 文件中没有工作表",
    "sheets.file.bad_encoding": "无法识别 CSV 文件的编码，请另存为 UTF-8 或 GB18030（GBK）编码后再导入",
    "sheets.file.bad_csv": "CSV 文件格式错误，无法解析（约在第 {row} 行）",
    "sheets.file.no_data": "文件中没有数据行",
    "sheets.file.too_many_rows": "数据超过 {limit} 行的上限，请拆分后再导入",
    "sheets.file.too_many_scanned_rows": "工作表超过 {limit} 行（含空行）的上限，请删除多余的空行后再导入",
    "sheets.file.too_many_columns": "第 {row} 行第 {column} 列有内容，超过 {limit} 列的上限，请删除多余的列后再导入",
    "sheets.file.nul": "第 {row} 行第 {column} 列含有空字符（NUL），文件可能已损坏，无法安全读取",
    "sheets.file.too_many_digits": (
        "第 {row} 行第 {column} 列的数字超过 {limit} 位，Excel 无法准确保存这么长的数字，"
        "请把该列设为文本格式后重新填写"
    ),
    # A hostile or damaged .xlsx, refused before or while it is unpacked (kaohe.sheets.archive).
    "sheets.file.too_many_parts": "Excel 文件包含 {count} 个部件，超过 {limit} 个的上限，文件可能已损坏或不是普通的表格",
    "sheets.file.unpacked": "文件解压后超过 {limit} MB 的上限，请删除多余的工作表、图片或空行后再导入",
    "sheets.file.zip_bomb": "文件中有部件的压缩比达 {ratio} 倍，超过 {limit} 倍的上限，疑似恶意构造的压缩包，无法安全读取",
    "sheets.file.shared_strings": "共享字符串表超过 {limit} 条的上限，请删除多余的内容或拆分后再导入",
    "sheets.file.dimension": "工作表声明的范围 {ref} 超过 {columns} 列或 {rows} 行的上限，请删除多余的行列后再导入",
    "sheets.file.too_many_merges": "工作表有 {count} 个以上合并单元格，超过 {limit} 个的上限，请取消合并后再导入",
    "sheets.file.too_slow": "解析超过 {seconds} 秒，已停止，请检查文件是否过大或已损坏，拆分后再导入",
    "sheets.file.merged_data": (
        "第 {row} 行：{ref} 是合并单元格，无法确定每一行的值，请取消合并并在每个单元格中填写后再导入"
    ),
    # The header row.
    "sheets.header.missing": "缺少必填列：{names}",
    "sheets.header.unknown": "无法识别的列：{names}（可用的列：{allowed}）",
    "sheets.header.duplicate": "列名重复：{names}",
    "sheets.row.unnamed_columns": "第 {columns} 列没有表头，但填写了数据",
    # One cell.
    "sheets.cell.required": "不能为空",
    "sheets.cell.injection": "内容不能以 = + - @ 开头（疑似公式注入）",
    "sheets.cell.control_chars": "不能包含换行、制表符等控制字符",
    "sheets.cell.control_chars_multiline": "不能包含换行和制表符以外的控制字符",
    "sheets.cell.not_integer": "「{value}」不是整数",
    "sheets.cell.not_number": "「{value}」不是有效的数字",
    "sheets.cell.too_many_digits": "「{value}」超过 {limit} 位数字，无法准确读取",
    "sheets.cell.not_date": "「{value}」不是有效日期，请使用 2023-07-01、2023/7/1 或 2023年7月1日 格式",
}
