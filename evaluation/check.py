"""Does an answer say the expected thing? Checks tied to labels, on the answer's facts.

An answer's `facts` (provenance) are its numbers, each with its group and
measure. A check finds the number next to the label it expects (一线城市's
客户数), so a table that happens to contain the value elsewhere does not pass.
"""
from __future__ import annotations

import math

import pandas as pd

from evaluation.reference import evaluate

REL, ABS = 0.005, 1e-4


def close(a, b) -> bool:
    try:
        a, b = float(a), float(b)
    except (TypeError, ValueError):
        return False
    if math.isnan(a) or math.isnan(b):
        return False
    return abs(a - b) <= max(REL * abs(b), ABS)


def _facts(answer) -> list[dict]:
    return list(answer.provenance.get("facts", [])) if answer.ok else []


def _last(group: dict) -> str:
    return str(list(group.values())[-1]) if group else ""


def _cell(values) -> tuple:
    return tuple(sorted(str(v) for v in values))


def check(answer, expect: dict, db_path, artifacts_dir=None) -> tuple[bool, str]:
    """(passed, why) for one expectation of a suite case."""
    facts = _facts(answer)
    if "unanswerable" in expect:
        if facts:
            return False, f"gave figures: {facts[:2]}"
        return True, "no figure given"
    if "route" in expect:
        # a model question: the right specialist, and (when given) the model's figure next to its label
        if answer.route != expect["route"]:
            return False, f"route {answer.route}"
        if not any(k in expect for k in ("value", "values", "groups", "top", "ranking", "customers")):
            return True, f"route {answer.route}"
    if "value" in expect or "values" in expect:
        items = expect.get("values") or [expect["value"]]
        for item in items:
            want = evaluate(item["pandas"], db_path, artifacts_dir)
            mine = [f for f in facts if f["measure"] == item["measure"]]
            scalar = [f for f in mine if not f["group"]]
            pool = scalar if ("value" in expect and scalar) else mine
            if not any(close(f["value"], want) for f in pool):
                return False, f"{item['measure']}: want {want}, have {[f['value'] for f in mine][:4]}"
        return True, "values match"
    if "groups" in expect:
        item = expect["groups"]
        want = evaluate(item["pandas"], db_path, artifacts_dir)
        want = want if isinstance(want, pd.Series) else pd.Series(want)
        grouped = [f for f in facts if f["measure"] == item["measure"] and f["group"]]
        if not grouped:
            return False, f"no grouped {item['measure']} in answer"
        # a cross table's cell is labelled by every value of its group (一线城市, 女), in either order
        cross = len(want) > 0 and isinstance(want.index[0], tuple)
        mine = {(_cell(f["group"].values()) if cross else _last(f["group"])): f["value"] for f in grouped}
        for label, value in want.items():
            key = _cell(label) if cross else str(label)
            if key not in mine:
                return False, f"group {label} missing (have {list(mine)[:6]})"
            if not close(mine[key], value):
                return False, f"{label}: want {value}, have {mine[key]}"
        return True, "every group matches"
    if "top" in expect:
        want = str(evaluate(expect["top"]["pandas"], db_path, artifacts_dir))
        if not facts:
            return False, "no facts"
        first = facts[0]
        have = _last(first["group"]) if first["group"] else str(first["value"])
        # a tie for the top, said as such (并列), holds every tied group
        tied = {_last(f["group"]) for f in facts if f["group"] and f["measure"] == first["measure"]
                and f["value"] == first["value"]} if first["group"] else {have}
        return want in tied, f"top {sorted(tied)}, want {want}"
    if "ranking" in expect:
        want = [str(x) for x in evaluate(expect["ranking"]["pandas"], db_path, artifacts_dir)]
        order = list(dict.fromkeys(_last(f["group"]) for f in facts if f["group"]))
        return order[:len(want)] == want, f"ranking {order[:len(want)]}, want {want}"
    if "customers" in expect:
        item = expect["customers"]
        want = evaluate(item["pandas"], db_path, artifacts_dir)
        mine = [f for f in facts if "customer_id" in f["group"]]
        if len(mine) != len(want):
            return False, f"{len(mine)} customers, want {len(want)}"
        values = list(want.values)
        for f, (cid, value) in zip(mine, want.items()):
            if not close(f["value"], value):
                return False, f"{f['group']['customer_id']}={f['value']}, want {cid}={value}"
            tied = sum(close(v, value) for v in values) > 1
            if not tied and f["group"]["customer_id"].lower() != str(cid).lower():
                return False, f"customer {f['group']['customer_id']}, want {cid}"
        return True, "customers match"
    raise ValueError(f"unknown expectation {expect}")
