"""Named build errors; the CLI turns them into a friendly Chinese message."""


class BuildError(Exception):
    """Base class: the message is meant for the person running the build."""


class MissingColumnError(BuildError):
    def __init__(self, table: str, missing: list[str], suggestions: dict[str, str],
                 unknown: dict[str, list[str]] | None = None):
        self.table, self.missing, self.suggestions = table, missing, suggestions
        self.unknown = unknown or {}
        parts = []
        for name in missing:
            hint = suggestions.get(name)
            parts.append(f"{name}（文件中的“{hint}”可能就是它）" if hint else name)
        message = f"{table} 缺少必需列：{'、'.join(parts)}。"
        if self.unknown:
            message += "文件中未识别的表头：" + "；".join(
                f"“{h}”（最接近：{'、'.join(c)}）" for h, c in list(self.unknown.items())[:8]) + "。"
        super().__init__(message + "请按数据字典改列名，或用 --columns 映射文件（“文件中的表头: 列名”）指明后重新导入。")


class ColumnUnreadableError(BuildError):
    """Most of a column's values cannot be read: the file's format is not one the import knows."""

    def __init__(self, table: str, column: str, bad: int, total: int, examples: list[str], accepted: str,
                 file: str = ""):
        self.details = (table, column, bad, total, examples, accepted)
        self.table, self.column, self.file = table, column, file
        where = f"文件 {file}（{table}）" if file else table
        super().__init__(
            f"{where} 的列 {column} 有 {bad:,}/{total:,} 个非空值无法识别（例如 {'；'.join(examples)}）。"
            f"可识别的格式：{accepted}。导入已停止，原数据库保持不变；请修正该列或导出为上述格式后重试。")

    @classmethod
    def in_file(cls, error: "ColumnUnreadableError", file: str) -> "ColumnUnreadableError":
        return cls(*error.details, file=file)


class InputFileError(BuildError):
    """A file that cannot be read as CSV, or is empty."""


class NoUsableDataError(BuildError):
    """Nothing valid to build from (e.g. no row with a valid stat_month)."""
