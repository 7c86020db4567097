"""Personal data: the one trusted way a customer's name reaches a screen.

Every other read goes through db.readonly, whose authorizer reads a personal column (the contract
marks `customer_base.name`) as NULL whatever the SQL does with it — alias, function, CTE, UNION,
`*`. Lists and 客户360 ask this module for the names of the ids they show, masked unless the user
holds the PII role.
"""
from __future__ import annotations

from pathlib import Path

from db.readonly import connect_readonly

MAX_IDS = 1000   # names for one answer's list, never a dump


def mask_name(name) -> str:
    """张三 -> 张*, 张小明 -> 张*明, 欧阳小明 -> 欧**明: keeps the first and last character."""
    if not isinstance(name, str) or not name:
        return name
    if len(name) <= 2:
        return name[0] + "*"
    return name[0] + "*" * (len(name) - 2) + name[-1]


def display_names(db_path: Path, customer_ids, unmasked: bool = False) -> dict[str, str | None]:
    """customer_id -> the name to show (masked unless `unmasked`), for at most MAX_IDS ids."""
    ids = list(dict.fromkeys(str(i) for i in customer_ids if i is not None))[:MAX_IDS]
    if not ids:
        return {}
    conn = connect_readonly(db_path, personal=True)
    try:
        rows = conn.execute(f"SELECT customer_id, name FROM customer_base WHERE customer_id IN "
                            f"({', '.join('?' * len(ids))})", ids).fetchall()
    finally:
        conn.close()
    return {cid: (name if unmasked else mask_name(name)) for cid, name in rows}
