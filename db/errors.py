"""Named build errors; the CLI turns them into a friendly Chinese message."""


class BuildError(Exception):
    """Base class: the message is meant for the person running the build."""


class MissingColumnError(BuildError):
    def __init__(self, table: str, missing: list[str], suggestions: dict[str, str]):
        self.table, self.missing, self.suggestions = table, missing, suggestions
        parts = []
        for name in missing:
            hint = suggestions.get(name)
            parts.append(f"{name}（文件中有 {hint}，是否拼写错误？）" if hint else name)
        super().__init__(f"{table} 缺少必需列：{'、'.join(parts)}。请按数据字典补齐列名后重新导入。")


class InputFileError(BuildError):
    """A file that cannot be read as CSV, or is empty."""


class NoUsableDataError(BuildError):
    """Nothing valid to build from (e.g. no row with a valid stat_month)."""
