"""Prompts for the LLM path. The SQL prompt is built from the database's metadata.

No prompt carries data rows: only table and column descriptions, the metric
definitions (口径) and worked examples, so no customer data reaches a remote LLM.
"""
from __future__ import annotations

import sqlglot

from db.semantic import DIMENSIONS, METRICS, Filter, QuerySpec, compile_spec

ROUTER_SYSTEM = """你是银行零售客群经营助手的路由器。根据用户问题选择一个路由并抽取槽位：
- sql：客户数量、资产、分布、占比、排名等可以直接从数据库统计的问题；
- prediction：某客户成为高价值客户（3个月内资产升至100万+）的概率及原因、影响因素、容易/不容易提升的客户名单；
- segmentation：客户分群、客群特征与策略、某客户属于哪一类；
- basket：产品推荐、产品组合、关联规则；
- forecast：某客户或全行 AUM 的未来走势、未来可能资产下降的客户；
- marketing：精准营销——生成外呼/营销/交叉销售/挽留名单、名单转化率、需要关注的预警；
- help：问候、问能做什么、与银行客群经营无关的问题，或要求修改/删除数据（本助手只读）。
客户号形如 CUST000172。若问题用“他/她/该客户”指代，且给出了上文客户号，填入该客户号。"""

SPECIALIST_SYSTEM = """你是银行零售客群经营助手的{route}专家。必须调用工具获取数字，不要编造。
拿到工具结果后，用简洁的中文回答：先给结论和关键数字，再给原因或建议。不要输出客户姓名。"""

SQL_RULES = """规则：
1. 只写一条 SQLite SELECT 语句，放在 ```sql 代码块中；不要写任何修改数据的语句。
2. 关于“当前/目前/基准月”的问题用 customer_snapshot（每位客户一行，基准月数据，in_asof=1 表示基准月有记录）。
3. 趋势问题用 monthly_summary（每月一行）。不要查询 sqlite_master 等内部表。
4. 不要选择客户姓名（name）。明细查询加 LIMIT 100。
5. 比例用 * 1.0 避免整数除法。"""

SUMMARY_SYSTEM = """你是银行零售客群经营助手。根据问题、执行的 SQL 和查询结果，用两三句中文回答，
给出关键数字（金额用万元/亿元），说明口径。不要编造结果中没有的数字，不要输出客户姓名。"""

_EXAMPLES = (
    ("我行目前有多少客户？总资产管理规模是多少？", QuerySpec(["customers", "aum"])),
    ("不同客户等级的资产占比及客户数量是多少？",
     QuerySpec(["customers", "aum", "aum_share"], "customer_tier")),
    ("一线城市40岁以上客户的平均资产", QuerySpec(["avg_assets"], None, [
        Filter("city_level", "=", "一线城市", "一线城市"), Filter("age", ">=", 40, "40岁及以上")])),
)


def _inline(sql: str, params: list) -> str:
    for p in params:
        sql = sql.replace("?", repr(p) if isinstance(p, str) else str(p), 1)
    return sql


def schema_description(database) -> str:
    tables = database.select("SELECT table_name, label_zh, description_zh FROM meta_tables").frame.values.tolist()
    columns = database.select("SELECT table_name, column_name, sql_type, label_zh, description_zh, value_domain "
                              "FROM meta_columns").frame.values.tolist()
    as_of = database.build_info().get("as_of_month")
    lines = [f"基准月：{as_of}", ""]
    for name, label, description in tables:
        if name in ("data_quality", "build_info", "meta_tables", "meta_columns"):
            continue
        lines.append(f"表 {name}（{label}）：{description}")
        for t, col, typ, zh, desc, domain in columns:
            if t == name:
                lines.append(f"  - {col} {typ}：{zh}" + (f"；{desc}" if desc else "") + (f"；取值：{domain}" if domain else ""))
    return "\n".join(lines)


_DIALECT_NAMES = {"sqlite": "SQLite", "postgres": "PostgreSQL", "mysql": "MySQL"}


def sql_system_prompt(database) -> str:
    """The schema, 口径 and examples, written in the database's own dialect (the semantic layer's SQLite
    definitions rendered by sqlglot)."""
    dialect = database.dialect
    said = lambda sql: sqlglot.transpile(sql, read="sqlite", write=dialect)[0]  # noqa: E731
    definitions = "\n".join(f"- {m.label}：{m.definition}；SQL：{said(m.sql)}" for m in METRICS.values())
    dims = "、".join(f"{d.label}({d.column.removeprefix('s.')})" for d in DIMENSIONS.values())
    examples = "\n\n".join(f"问题：{q}\n```sql\n{said(_inline(*compile_spec(spec)))}\n```" for q, spec in _EXAMPLES)
    return (f"你是银行数据分析师，把中文问题写成 {_DIALECT_NAMES[dialect]} 查询。\n\n数据表：\n"
            f"{schema_description(database)}\n\n"
            f"指标口径（customer_snapshot 的别名为 s）：\n{definitions}\n\n常用维度：{dims}\n\n{SQL_RULES}\n\n"
            f"示例：\n{examples}")
