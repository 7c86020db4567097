"""The operations dashboard (经营大屏) as data: KPI cards and chart specs for a selection.

`Dashboard(database)` reads the cube once per version of the data (db.database: the SQLite file's
modification time, a server's build) and answers any branch / city selection from memory.
"""
from __future__ import annotations

import threading
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from db.dashboard import ALL, DashboardFilter, filter_cube, kpis, load_cube, ratio
from db.database import Database, open_database
from db.definitions import AGE_BANDS, CUSTOMER_TIERS, labels
from db.schema import CITY_LEVELS, LIFECYCLE_STAGES
from db.semantic import METRICS
from toolkits.formatting import FORMATS
from toolkits.results import ChartSpec, TableData

CHURN_STAGES = ("流失预警客户", "流失客户")
KPI_KEYS = ("customers", "aum", "avg_assets", "active_count", "repurchase_rate")
KPI_LABELS = {"customers": "客户总数", "aum": "总资产(AUM)", "avg_assets": "平均资产",
              "active_count": "活跃客户数", "repurchase_rate": "理财复购率"}
PRODUCTS = (("deposit_holders", "存款"), ("financial_holders", "理财"), ("fund_holders", "基金"),
            ("insurance_holders", "保险"))


@dataclass
class KpiCard:
    key: str
    label: str
    value: float | None
    text: str
    definition: str


@dataclass
class DashboardView:
    scope: str
    cards: list[KpiCard]
    charts: list[ChartSpec] = field(default_factory=list)
    as_of_month: str = ""


def _grouped(part: pd.DataFrame, by: str, order, measures: list[str]) -> pd.DataFrame:
    frame = part.groupby(by, dropna=True)[measures].sum()
    return frame.reindex([o for o in order if o in frame.index]).reset_index()


def build_view(part: pd.DataFrame, scope: str, show_churn: bool = True) -> DashboardView:
    values = kpis(part)
    empty = not values["customers"]   # a branch outside the chosen city level: no data, not 0.00元
    cards = [KpiCard(k, KPI_LABELS[k], None if empty else values[k],
                     "无数据" if empty else FORMATS[METRICS[k].fmt](values[k]), METRICS[k].definition)
             for k in KPI_KEYS]
    charts = []
    age = _grouped(part, "age_band", labels(AGE_BANDS), ["customers"])
    charts.append(ChartSpec("bar", f"客户结构：年龄段分布（{scope}）", "年龄段", ["客户数"],
                            TableData.from_frame("年龄段分布", age, {"age_band": "年龄段", "customers": "客户数"}),
                            y_label="客户数"))
    tier = _grouped(part, "customer_tier", labels(CUSTOMER_TIERS), ["aum", "asof_customers"])
    tier["aum"] = tier["aum"] / 1e8
    charts.append(ChartSpec("bar", f"资产：各客户等级 AUM（亿元，{scope}）", "客户等级", ["AUM(亿元)"],
                            TableData.from_frame("各客户等级资产", tier, {"customer_tier": "客户等级", "aum": "AUM(亿元)",
                                                                         "asof_customers": "客户数"}),
                            y_label="亿元"))
    total = part[[p for p, _ in PRODUCTS] + ["asof_customers"]].sum()
    products = pd.DataFrame({"产品": [label for _, label in PRODUCTS],
                             "持有率": [ratio(total[p], total["asof_customers"]) for p, _ in PRODUCTS]})
    charts.append(ChartSpec("bar", f"产品：持有率（{scope}）", "产品", ["持有率"],
                            TableData.from_frame("产品持有率", products), y_label="持有率"))
    active = _grouped(part, "age_band", labels(AGE_BANDS), ["active", "asof_customers"])
    active["rate"] = [ratio(a, n) for a, n in zip(active["active"], active["asof_customers"])]
    charts.append(ChartSpec("line", f"活跃：各年龄段手机银行活跃率（{scope}）", "年龄段", ["活跃率"],
                            TableData.from_frame("各年龄段活跃率", active[["age_band", "rate", "active"]],
                                                 {"age_band": "年龄段", "rate": "活跃率", "active": "活跃客户数"}),
                            y_label="活跃率"))
    stages = [s for s in LIFECYCLE_STAGES if show_churn or s not in CHURN_STAGES]
    life = _grouped(part, "lifecycle_stage", stages, ["customers"])
    title = "风险预警：生命周期阶段" + ("（流失阶段标红）" if show_churn else "（流失阶段已隐藏）")
    charts.append(ChartSpec("bar", f"{title}（{scope}）", "生命周期阶段", ["客户数"],
                            TableData.from_frame("生命周期阶段", life, {"lifecycle_stage": "生命周期阶段",
                                                                     "customers": "客户数"}), y_label="客户数",
                            warn=CHURN_STAGES))
    return DashboardView(scope, cards, charts)


class Dashboard:
    def __init__(self, database: Database | Path | str):
        self.database = open_database(database) if isinstance(database, (Path, str)) else database
        self._lock = threading.Lock()
        self._cube: pd.DataFrame | None = None
        self._stamp = None
        self.as_of_month = ""

    def cube(self) -> pd.DataFrame:
        """The cube for the data as it is now (reloaded after a rebuild or a new load)."""
        with self._lock:   # several first visitors at once read the cube once
            stamp = self.database.version()
            if self._cube is None or stamp != self._stamp:
                self._cube, self._stamp = load_cube(self.database), stamp
                self.as_of_month = self.database.build_info().get("as_of_month", "")
            return self._cube

    def options(self) -> dict[str, list[str]]:
        cube = self.cube()
        branches = sorted(b for b in cube["branch_name"].dropna().unique())
        cities = [c for c in CITY_LEVELS if c in set(cube["city_level"].dropna())]
        return {"branch": [ALL] + branches, "city_level": [ALL] + cities}

    def view(self, branch: str = ALL, city_level: str = ALL, show_churn: bool = True) -> DashboardView:
        selection = DashboardFilter(branch or ALL, city_level or ALL)
        view = build_view(filter_cube(self.cube(), selection), selection.label(), show_churn)
        view.as_of_month = self.as_of_month
        return view
