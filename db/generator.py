"""Synthetic bank data with planted structure, generated with numpy (no per-row loop).

`DemoDataGenerator(config).customer_base()` returns the customer table;
`.behavior_months()` then yields one raw (dirty) monthly DataFrame per month,
carrying each customer's state forward so assets have real dynamics:

- persona drift, income and behaviour drive monthly log-asset growth;
- year-end seasonality (December bonus, January dip) and noise;
- 流失 / 流失预警 customers decline from a hidden start month;
- "intent" episodes: two months of visible signals (product comparisons,
  longer wealth-page views, more investments) precede a large inflow, so who
  reaches 100万+ within three months is predictable from the past;
- "leaving" episodes: two months of fading activity (fewer app logins and
  transactions, extra branch visits, refused calls) precede moving 40–80% of
  the assets out, so part of the ≥30% falls is announced; the rest of the
  money that leaves (a house, another bank) gives no warning. Leaving draws
  come from their own random stream, so the rest of the data is unchanged.

Dirty values are injected from a separate random stream, so changing the dirty
rate never changes the clean data underneath.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from db.definitions import ASSET_LEVELS, band_of
from db.personas import (BRANCHES_BY_CITY_LEVEL, CITY_MIX, OCCUPATION_INCOME,
                         OCCUPATION_MIX, OCCUPATIONS_BY_TYPE, PERSONAS,
                         PLANTED_RULES, SHARE_WEIGHTS, param)
from db.schema import CONTACT_RESULTS, CUSTOMER_BEHAVIOR

DIRTY_DATES = np.array(["444", "111", "0000-00-00", ""], dtype=object)
_SURNAMES = list("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾萧田董袁潘")
_GIVEN = list("伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍鹏辉建国志红梅琳晨宇浩然婷雪")
_EPOCH = np.datetime64("1970-01-01", "D")


@dataclass(frozen=True)
class GeneratorConfig:
    customers: int = 10_000
    months: int = 24
    end_month: str = "2026-10"
    seed: int = 42
    dirty_rate: float = 0.01

    def __post_init__(self):
        if self.customers < 1:
            raise ValueError("customers must be at least 1")
        if self.months < 1:
            raise ValueError("months must be at least 1")
        if not 0 <= self.dirty_rate <= 0.5:
            raise ValueError("dirty_rate must be between 0 and 0.5")
        pd.Period(self.end_month, freq="M")  # raises on a malformed month

    @property
    def month_labels(self) -> list[str]:
        end = pd.Period(self.end_month, freq="M")
        return [str(end - k) for k in range(self.months - 1, -1, -1)]


def _pick(rng, probs: np.ndarray) -> np.ndarray:
    """One categorical draw per row, each row with its own probabilities."""
    cum = np.cumsum(probs, axis=1)
    u = rng.random(len(probs)) * cum[:, -1]
    return (u[:, None] >= cum).sum(axis=1)


def customer_ids(n: int) -> np.ndarray:
    """CUST000001 … in generation order (7 digits past 999,999 customers)."""
    return np.char.add("CUST", np.char.zfill(np.arange(1, n + 1).astype(str), 6)).astype(object)


def _dates(days: np.ndarray) -> np.ndarray:
    """Day numbers (days since 1970-01-01, -1 = none) to 'YYYY-MM-DD' or ''."""
    out = np.datetime_as_string(_EPOCH + np.maximum(days, 0), unit="D").astype(object)
    out[days < 0] = ""
    return out


@dataclass
class _State:
    """What carries from one month to the next (one entry per customer)."""
    log_assets: np.ndarray
    intent_left: np.ndarray   # months of intent signals left; inflow follows
    last_login: np.ndarray    # day numbers, -1 = never
    last_contact: np.ndarray
    last_txn: np.ndarray
    contact_result: np.ndarray
    cool_until: np.ndarray    # day number when the marketing cool period ends
    leave_left: np.ndarray    # months of leaving signals left; the outflow follows


@dataclass
class _Customers:
    """Static hidden attributes drawn with the customer table."""
    persona: np.ndarray
    age: np.ndarray
    income_z: np.ndarray
    open_month: np.ndarray     # index into the month window; <= 0 means before it
    flags: np.ndarray          # (n, 4) product holdings
    weights: np.ndarray        # (n, 4) share of assets per held product
    drift: np.ndarray
    decline_start: np.ndarray  # month index, large = never declines
    activity: np.ndarray       # per-customer activity multiplier
    extras: dict = field(default_factory=dict)


class DemoDataGenerator:
    def __init__(self, config: GeneratorConfig):
        self.config = config

    # -- customer table -------------------------------------------------
    def customer_base(self) -> pd.DataFrame:
        cfg = self.config
        rng = np.random.default_rng([cfg.seed, 1])
        n, months = cfg.customers, cfg.month_labels
        persona = _pick(rng, np.tile(param("share"), (n, 1)))

        age = np.clip(np.round(rng.normal(param("age_mu")[persona], param("age_sd")[persona])),
                      18, 85).astype(int)
        occ_type_idx = _pick(rng, OCCUPATION_MIX[persona])
        types = list(OCCUPATIONS_BY_TYPE)
        occupation_type = np.array(types, dtype=object)[occ_type_idx]
        occupation = np.empty(n, dtype=object)
        for k, name in enumerate(types):  # loop over 7 types, not rows
            rows = occ_type_idx == k
            choices = np.array(OCCUPATIONS_BY_TYPE[name], dtype=object)
            occupation[rows] = choices[rng.integers(0, len(choices), rows.sum())]
        income_z = rng.normal(0, 1, n)
        income = np.round(param("income")[persona] * np.asarray(OCCUPATION_INCOME)[occ_type_idx]
                          * np.exp(param("income_sd")[persona] * income_z), -2)

        # Tenure: most opened before the window, ~8% inside it (new customers).
        window_start = pd.Period(months[0], freq="M").start_time
        new_in_window = (rng.random(n) < 0.08) & (cfg.months > 1)
        open_month = np.where(new_in_window, rng.integers(1, max(cfg.months, 2), n), 0)
        tenure_years = np.minimum(rng.exponential(7.0, n), age - 18)
        open_days = np.where(
            new_in_window,
            self._month_start_days()[np.minimum(open_month, cfg.months - 1)]
            + rng.integers(0, 28, n),
            (window_start - pd.Timestamp("1970-01-01")).days - 1
            - np.round(tenure_years * 365.25).astype(int),
        )

        flags = self._holdings(rng, persona)
        weights = SHARE_WEIGHTS[persona] * np.exp(rng.normal(0, 0.3, (n, 4))) * flags
        weights /= np.maximum(weights.sum(axis=1, keepdims=True), 1e-12)

        declines = (rng.random(n) < param("p_decline")[persona]) & ~new_in_window
        churned = declines & (rng.random(n) < 0.5)  # 流失; the rest 流失预警
        m = cfg.months
        decline_start = np.full(n, 10**6)
        decline_start[churned] = rng.integers(0, max(m - 7, 1), churned.sum())
        warn = declines & ~churned
        decline_start[warn] = rng.integers(max(m - 6, 0), max(m - 1, 1), warn.sum())

        drift = (param("drift")[persona] + 0.003 * income_z + rng.normal(0, 0.006, n))
        log_assets0 = (np.log(param("assets")[persona]) + 0.35 * income_z
                       + rng.normal(0, 1, n) * param("assets_sd")[persona])

        tenure_at_end = (m - open_month) / 12 + np.where(new_in_window, 0, tenure_years)
        lifecycle = np.select(
            [churned, warn, new_in_window & (open_month >= m - 6), tenure_at_end < 2,
             np.isin(persona, [2, 3]) | (log_assets0 >= np.log(50e4)), tenure_at_end >= 8],
            ["流失客户", "流失预警客户", "新客户", "成长客户", "价值客户", "忠诚客户"],
            default="成熟客户").astype(object)

        married = rng.random(n) < param("p_married")[persona]
        marriage = np.where(married, "已婚",
                            np.where((age > 35) & (rng.random(n) < 0.3), "离异", "未婚")).astype(object)
        city_idx = _pick(rng, CITY_MIX[persona])
        city_levels = list(BRANCHES_BY_CITY_LEVEL)
        branch = np.empty(n, dtype=object)
        for k, level in enumerate(city_levels):
            rows = city_idx == k
            choices = np.array(BRANCHES_BY_CITY_LEVEL[level], dtype=object)
            branch[rows] = choices[rng.integers(0, len(choices), rows.sum())]

        self._customers = _Customers(
            persona=persona, age=age, income_z=income_z, open_month=open_month, flags=flags,
            weights=weights, drift=drift, decline_start=decline_start,
            activity=rng.gamma(4.0, 0.25, n),
            extras={"log_assets0": log_assets0, "new": new_in_window, "open_days": open_days,
                    "income": income})

        ids = customer_ids(n)
        given = np.array(_GIVEN, dtype=object)
        names = (np.array(_SURNAMES, dtype=object)[rng.integers(0, len(_SURNAMES), n)]
                 + given[rng.integers(0, len(given), n)]
                 + np.where(rng.random(n) < 0.7, given[rng.integers(0, len(given), n)], ""))

        dirty = np.random.default_rng([cfg.seed, 2])
        open_dates = _dates(open_days)
        bad = dirty.random(n) < cfg.dirty_rate / 2
        open_dates[bad] = DIRTY_DATES[dirty.integers(0, len(DIRTY_DATES), bad.sum())]
        income_out = income.copy()
        income_out[dirty.random(n) < cfg.dirty_rate * 5] = np.nan

        return pd.DataFrame({
            "customer_id": ids,
            "name": names,
            "age": age,
            "gender": np.where(rng.random(n) < 0.5, "男", "女").astype(object),
            "occupation": occupation,
            "occupation_type": occupation_type,
            "monthly_income": income_out,
            "open_account_date": open_dates,
            "lifecycle_stage": lifecycle,
            "marriage_status": marriage,
            "city_level": np.array(city_levels, dtype=object)[city_idx],
            "branch_name": branch,
        })

    def _holdings(self, rng, persona: np.ndarray) -> np.ndarray:
        """Product holdings with the planted rules applied on top of persona rates."""
        n = len(persona)
        deposit = rng.random(n) < param("p_deposit")[persona]
        financial = rng.random(n) < param("p_financial")[persona]
        fund_p = param("p_fund")[persona] * np.where(financial, PLANTED_RULES[0]["factor"], 0.6)
        fund = rng.random(n) < np.clip(fund_p, 0, 0.97)
        ins_p = param("p_insurance")[persona] * np.where(fund, PLANTED_RULES[1]["factor"], 1.0)
        insurance = rng.random(n) < ins_p
        flags = np.stack([deposit, financial, fund, insurance], axis=1).astype(int)
        flags[flags.sum(axis=1) == 0, 0] = 1  # everyone keeps at least an account balance
        return flags

    def truth(self) -> tuple[pd.DataFrame, list[dict]]:
        """Hidden truth for evaluation only: persona and decline per customer, planted rules."""
        c = self._require_customers()
        frame = pd.DataFrame({
            "customer_id": customer_ids(len(c.persona)),
            "persona": np.array(PERSONAS, dtype=object)[c.persona],
            "declining": (c.decline_start < self.config.months).astype(int),
            "decline_start_month": np.where(
                c.decline_start < self.config.months,
                np.array(self.config.month_labels + [""], dtype=object)[
                    np.minimum(c.decline_start, self.config.months)], None),
            "monthly_drift": c.drift.round(5),
        })
        return frame, [dict(rule) for rule in PLANTED_RULES]

    # -- monthly panel --------------------------------------------------
    def _month_start_days(self) -> np.ndarray:
        starts = [pd.Period(m, freq="M").start_time for m in self.config.month_labels]
        return np.array([(s - pd.Timestamp("1970-01-01")).days for s in starts])

    def _require_customers(self) -> _Customers:
        if not hasattr(self, "_customers"):
            self.customer_base()
        return self._customers

    def behavior_months(self):
        """Yield one raw DataFrame per month, oldest first."""
        cfg, c = self.config, self._require_customers()
        rng = np.random.default_rng([cfg.seed, 3])
        dirty = np.random.default_rng([cfg.seed, 4])
        n = len(c.persona)
        starts = self._month_start_days()
        lengths = np.array([pd.Period(m, freq="M").days_in_month for m in cfg.month_labels])
        ids = customer_ids(n)

        active_before = rng.random(n) < np.where(c.persona == 5, 0.4, 0.95)
        state = _State(
            log_assets=c.extras["log_assets0"].copy(),
            intent_left=np.zeros(n, dtype=int),
            last_login=np.where(active_before & ~c.extras["new"],
                                starts[0] - rng.integers(1, 60, n), -1),
            last_contact=np.where(~c.extras["new"], starts[0] - rng.integers(1, 365, n), -1),
            last_txn=np.where(~c.extras["new"],
                              starts[0] - np.where(active_before, rng.integers(1, 30, n),
                                                   rng.integers(30, 400, n)), -1),
            contact_result=rng.integers(0, len(CONTACT_RESULTS), n),
            cool_until=np.zeros(n, dtype=int),
            leave_left=np.zeros(n, dtype=int),
        )
        leaving = np.random.default_rng([cfg.seed, 5])
        next_id = 1
        for t, month in enumerate(cfg.month_labels):
            frame = self._month(t, month, starts[t], lengths[t], c, state, rng, ids, leaving)
            self._make_dirty(frame, dirty)
            frame.insert(0, "id", np.arange(next_id, next_id + len(frame)))
            next_id += len(frame)
            yield frame[CUSTOMER_BEHAVIOR.names]

    def _month(self, t, month, start, length, c, s: _State, rng, ids, leaving) -> pd.DataFrame:
        n = len(c.persona)
        p = c.persona
        month_of_year = int(month[5:])
        declining = t >= c.decline_start
        churned_now = declining & (c.decline_start < self.config.months - 6)

        # Asset dynamics (month 0 keeps the initial draw).
        if t > 0:
            season = {12: 0.025, 1: -0.012, 6: 0.006}.get(month_of_year, 0.0)
            step = c.drift + season + rng.normal(0, 0.025, n)
            step = np.where(declining, -rng.uniform(0.03, 0.08, n), step)
            inflow = s.intent_left == 1
            assets = np.exp(s.log_assets)
            # Bonuses, property sales, inheritances: sized so they can lift a
            # 20万 customer as well as an 80万 one over 100万.
            lump = np.where(rng.random(n) < 0.8, rng.uniform(15e4, 90e4, n), 0.0)
            jump = np.where(inflow, assets * rng.uniform(0.1, 0.5, n) + lump, 0.0)
            # Money also leaves (a house, a business, another bank) without warning.
            outflow = np.where(rng.random(n) < 0.03, rng.uniform(0.5, 0.85, n), 1.0)
            leave_now = s.leave_left == 1
            outflow = np.where(leave_now, leaving.uniform(0.2, 0.6, n), outflow)
            s.log_assets = np.log(np.maximum(assets * np.exp(step) * outflow + jump, 1.0))
            s.intent_left = np.maximum(s.intent_left - 1, 0)
            s.leave_left = np.maximum(s.leave_left - 1, 0)
        # New intent episodes, likelier with high income; window shoppers show
        # the same signals without money following, so signals are imperfect.
        rate = param("intent_rate")[p] * np.exp(0.4 * c.income_z)
        starting = (s.intent_left == 0) & (rng.random(n) < rate) & ~declining
        s.intent_left[starting] = 3  # two signal months, inflow in the third
        intent = (s.intent_left >= 1) | (rng.random(n) < 0.02)
        # Leaving episodes: about 1% of active customers a month start one (none in the last months'
        # intent or decline); more often among customers who were called and refused.
        begin = (s.leave_left == 0) & (s.intent_left == 0) & ~declining & (t >= 1) & \
            (leaving.random(n) < np.where(s.contact_result == 2, 0.02, 0.008))
        s.leave_left[begin] = 3   # two signal months, the money leaves in the third
        fading = s.leave_left >= 2

        assets = np.minimum(np.exp(s.log_assets), 5e7)
        balances = np.round(assets[:, None] * c.weights, 2)
        balances = np.where(c.flags == 1, np.maximum(balances, 100.0), 0.0)
        total = balances.sum(axis=1).round(2)

        # Behaviour.
        age_factor = np.exp(-0.025 * (c.age - 35))
        decay = np.where(churned_now, 0.05, np.where(declining, 0.35, 1.0))
        logins = rng.poisson(param("app_rate")[p] * age_factor * c.activity * decay)
        logged_in = logins > 0
        view = np.where(logged_in, rng.gamma(2.0, param("view_minutes")[p] / 2, n), 0.0)
        view = np.round(view * np.where(intent, 3.0, 1.0), 1)
        compare = rng.poisson(param("compare_rate")[p] * logged_in) + rng.poisson(5 * intent)
        invest = rng.poisson(param("invest_rate")[p] * c.activity * decay
                             + 40 * np.maximum(c.drift, 0) + 1.5 * intent)
        repurchase = rng.poisson(param("repurchase_rate")[p] * decay) * c.flags[:, 1]
        card_season = {12: 1.3, 2: 1.25, 11: 1.15}.get(month_of_year, 1.0)
        has_card = rng.random(n) < param("p_card")[p]
        card = np.where(has_card, np.round(param("card_spend")[p] * card_season
                                           * np.exp(0.5 * c.income_z + rng.normal(0, 0.4, n)), 2), 0.0)
        txn = rng.poisson(param("txn_rate")[p] * c.activity * decay)
        logins = np.where(fading, leaving.binomial(logins, 0.3), logins)
        logged_in = logins > 0
        view = np.where(logged_in, view, 0.0)
        txn = np.where(fading, leaving.binomial(txn, 0.4), txn)
        txn_amount = np.round(txn * 800 * np.exp(0.5 * c.income_z + rng.normal(0, 0.5, n)), 2)
        branch_visits = rng.poisson(param("branch_rate")[p] * np.exp(0.02 * (c.age - 40)))
        branch_visits = branch_visits + np.where(fading, leaving.poisson(1.5, n), 0)

        day_in_month = start + rng.integers(0, length, n)
        s.last_login = np.where(logged_in, day_in_month, s.last_login)
        s.last_txn = np.where(txn > 0, start + rng.integers(0, length, n), s.last_txn)
        contact_p = 0.10 + 0.35 * (total >= 50e4) + 0.2 * (total >= 100e4)
        contacted = rng.random(n) < contact_p
        contact_day = start + rng.integers(0, length, n)
        s.last_contact = np.where(contacted, contact_day, s.last_contact)
        result = _pick(rng, np.tile([0.55, 0.2, 0.1, 0.15], (n, 1)))
        result = np.where(contacted & fading & (leaving.random(n) < 0.5), 2, result)   # leavers refuse calls
        s.contact_result = np.where(contacted, result, s.contact_result)
        cool_days = np.where(result == 2, 60, np.where(result == 0, 15, 0))
        s.cool_until = np.where(contacted & (cool_days > 0), contact_day + cool_days, s.cool_until)
        month_end = start + length - 1
        cool_left = np.maximum(s.cool_until - month_end, 0)

        rows = c.open_month <= t
        flags = (balances > 0).astype(int)
        frame = pd.DataFrame({
            "customer_id": ids,
            "total_assets": total,
            "deposit_balance": balances[:, 0],
            "financial_balance": balances[:, 1],
            "fund_balance": balances[:, 2],
            "insurance_balance": balances[:, 3],
            "asset_level": band_of(total, ASSET_LEVELS),
            "deposit_flag": flags[:, 0],
            "financial_flag": flags[:, 1],
            "fund_flag": flags[:, 2],
            "insurance_flag": flags[:, 3],
            "product_count": flags.sum(axis=1),
            "financial_repurchase_count": repurchase,
            "credit_card_monthly_expense": card,
            "investment_monthly_count": invest,
            "app_login_count": logins,
            "app_financial_view_time": view,
            "app_product_compare_count": compare,
            "last_app_login_time": _dates(s.last_login),
            "last_contact_time": _dates(s.last_contact),
            "contact_result": np.array(CONTACT_RESULTS, dtype=object)[s.contact_result],
            "marketing_cool_period": cool_left,
            "stat_month": month,
            "monthly_transaction_count": txn,
            "monthly_transaction_amount": txn_amount,
            "last_transaction_date": _dates(s.last_txn),
            "branch_visit_count": branch_visits,
        })
        return frame[rows].reset_index(drop=True)

    def _make_dirty(self, frame: pd.DataFrame, rng) -> None:
        """Inject the glossary's dirty values: invalid dates and negative balances."""
        n, rate = len(frame), self.config.dirty_rate
        for column in ("last_app_login_time", "last_contact_time", "last_transaction_date"):
            bad = np.flatnonzero(rng.random(n) < rate)
            frame.loc[bad, column] = DIRTY_DATES[rng.integers(0, len(DIRTY_DATES), len(bad))]
        # A sign error on one held balance; the export's total and flags still
        # follow the wrong sign, as a bank system summing the fields would.
        bad = np.flatnonzero(rng.random(n) < rate / 10)
        column = np.array(["deposit_balance", "financial_balance", "fund_balance",
                           "insurance_balance"])[rng.integers(0, 4, len(bad))]
        for col in np.unique(column):
            rows = bad[column == col]
            rows = rows[frame.loc[rows, col].to_numpy() > 0]
            frame.loc[rows, col] = -frame.loc[rows, col]
            frame.loc[rows, "total_assets"] = frame.loc[rows, ["deposit_balance", "financial_balance",
                                                              "fund_balance", "insurance_balance"]
                                                       ].sum(axis=1).round(2)
