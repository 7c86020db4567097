"""客户360's profile: one customer's facts as of the 基准月, name masked unless allowed."""
from __future__ import annotations

from db.database import sample_customer_id
from db.schema import CUSTOMER_BASE, CUSTOMER_SNAPSHOT
from toolkits.formatting import count, money
from toolkits.results import TableData, ToolResult

PROFILE_COLUMNS = ("customer_id", "name", "age", "gender", "occupation", "occupation_type", "marriage_status",
                   "city_level", "branch_name", "open_account_date", "lifecycle_stage", "monthly_income",
                   "total_assets", "customer_tier", "deposit_balance", "financial_balance", "fund_balance",
                   "insurance_balance", "product_count", "app_login_count", "last_app_login_time",
                   "last_contact_time", "contact_result", "marketing_cool_period")
_MONEY = {"monthly_income", "total_assets", "deposit_balance", "financial_balance", "fund_balance",
          "insurance_balance"}
_LABELS = {c.name: c.label for c in CUSTOMER_BASE.columns + CUSTOMER_SNAPSHOT.columns}


def _shown(column: str, value) -> str:
    if value is None or value != value:   # NULL or NaN
        return "—"
    if column in _MONEY:
        return money(value)
    if column in ("product_count", "app_login_count", "marketing_cool_period", "age"):
        return count(value)
    return str(value)


def customer_profile(database, customer_id: str, show_name: bool = False) -> ToolResult:
    """The profile as a two-column table (项目, 内容); an unknown id is a failure naming it and an id of
    the data's own form. `database`: db.database (the SQLite build or a server)."""
    columns = ", ".join(f"s.{c}" for c in PROFILE_COLUMNS if c != "name")
    result = database.select(f"SELECT {columns} FROM customer_snapshot s WHERE s.customer_id = ?",
                             [customer_id], max_rows=1)
    if result.frame.empty:
        return ToolResult.failure(f"找不到客户 {customer_id}。请检查客户号（例如 {sample_customer_id(database)}）。")
    row = result.frame.iloc[0].to_dict()
    # a server's reading role cannot select names at all: the id stands in
    row["name"] = database.names([customer_id], unmasked=show_name).get(customer_id)
    rows = [[_LABELS.get(c, c), _shown(c, row[c])] for c in PROFILE_COLUMNS]
    text = (f"{row['name'] or customer_id}，{_shown('age', row['age'])}岁，{row['city_level']} · {row['branch_name']}，"
            f"{row['lifecycle_stage']}；总资产 {_shown('total_assets', row['total_assets'])}（{row['customer_tier'] or '基准月无记录'}）。")
    return ToolResult(True, text, [TableData("客户画像", ["项目", "内容"], rows)], sql=[result.sql])
