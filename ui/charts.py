"""ChartSpec -> Plotly figure. The one place charts are drawn, for every tab."""
from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from toolkits.results import ChartSpec
from ui.fonts import FONT_STACK

WARN = "#d9534f"
PALETTE = ("#1f5fa8", "#e07b39", "#2e9c6a", "#c0392b", "#7d5ba6", "#8c6d31", "#17a2b8", "#6c757d")
#: Column names that hold shares or changes, shown as percentages in charts and tables.
PERCENT_HINTS = ("率", "占比", "比例", "概率", "较当前", "变化")


def is_percent_column(name) -> bool:
    return any(h in str(name) for h in PERCENT_HINTS)


def _is_share(name: str, values) -> bool:
    numbers = [v for v in values if isinstance(v, (int, float))]
    return is_percent_column(name) and bool(numbers) and all(-1 <= v <= 1 for v in numbers)   # changes can fall


_MONEY_UNITS = ((1e8, "亿元"), (1e4, "万元"))


def _in_money_units(spec: ChartSpec, frame):
    """Amounts in 元 read badly on an axis (3.58B); show them in 亿元 or 万元."""
    if spec.y_label != "元":
        return frame, spec.y_label
    columns = [c for c in [*spec.y, *(spec.band or ())] if c in frame]
    top = frame[columns].abs().max().max()
    for size, unit in _MONEY_UNITS:
        if top >= size * 10:
            frame = frame.copy()
            frame[columns] = frame[columns] / size
            return frame, unit
    return frame, spec.y_label


def empty_figure(title: str, height: int) -> go.Figure:
    """A chart with nothing to draw says 无数据 instead of empty axes running −1…6."""
    fig = go.Figure()
    fig.add_annotation(text="无数据", showarrow=False, font={"size": 18, "color": "#888"}, x=0.5, y=0.5,
                       xref="paper", yref="paper")
    fig.update_layout(title={"text": title, "font": {"size": 15}}, height=height, font={"family": FONT_STACK},
                      plot_bgcolor="white", xaxis={"visible": False}, yaxis={"visible": False})
    return fig


def figure(spec: ChartSpec, height: int = 360) -> go.Figure:
    frame, y_label = _in_money_units(spec, spec.table.to_frame())
    numbers = frame[[c for c in spec.y if c in frame]].apply(pd.to_numeric, errors="coerce")
    if frame.empty or not numbers.notna().any().any() or not numbers.fillna(0).abs().to_numpy().any():
        return empty_figure(spec.title, height)
    fig = go.Figure()
    x = frame[spec.x].astype(str) if spec.kind in ("bar", "barh", "pie") else frame[spec.x]
    if spec.kind == "pie":
        fig.add_pie(labels=x, values=frame[spec.y[0]], hole=0.35, sort=False, marker={"colors": PALETTE},
                    textinfo="label+percent", textposition="outside")
    elif spec.series:
        for i, (name, part) in enumerate(frame.groupby(spec.series, sort=False)):
            fig.add_scatter(x=part[spec.x], y=part[spec.y[0]], name=str(name), mode="lines",
                            line={"color": PALETTE[i % len(PALETTE)]})
        if spec.x == "假阳性率":   # the chance line makes a ROC curve readable
            fig.add_scatter(x=[0, 1], y=[0, 1], name="随机", mode="lines", line={"dash": "dot", "color": "#999"})
    else:
        for i, column in enumerate(spec.y):
            color = PALETTE[i % len(PALETTE)]
            if spec.kind == "bar":
                colors = [WARN if str(v) in spec.warn else color for v in x] if spec.warn else color
                fig.add_bar(x=x, y=frame[column], name=column, marker_color=colors)
            elif spec.kind == "barh":
                values = frame[column]
                colors = [PALETTE[3] if isinstance(v, (int, float)) and v < 0 else color for v in values]
                fig.add_bar(y=x, x=values, name=column, orientation="h", marker_color=colors)
            elif spec.kind == "histogram":
                fig.add_histogram(x=frame[column], name=column, marker_color=color)
            elif spec.kind == "scatter":
                fig.add_scatter(x=frame[spec.x], y=frame[column], name=column, mode="markers", marker_color=color)
            else:
                fig.add_scatter(x=frame[spec.x], y=frame[column], name=column, mode="lines+markers",
                                line={"color": color})
        if spec.band:
            low, high = spec.band
            fig.add_scatter(x=frame[spec.x], y=frame[high], mode="lines", line={"width": 0}, showlegend=False,
                            hoverinfo="skip")
            fig.add_scatter(x=frame[spec.x], y=frame[low], mode="lines", line={"width": 0}, fill="tonexty",
                            fillcolor="rgba(31,95,168,0.18)", name="95%区间")
    # the toolbar stands upright at the right edge, off the title a phone's narrow chart would put under it
    fig.update_layout(title={"text": spec.title, "font": {"size": 15}}, height=height, modebar={"orientation": "v"},
                      font={"family": FONT_STACK}, margin={"l": 60, "r": 20, "t": 50, "b": 40},
                      legend={"orientation": "h", "y": -0.18}, showlegend=len(fig.data) > 1,
                      plot_bgcolor="white", separators=".,")
    if spec.kind != "pie":
        # 12,000 not 12k, 2025-01 not "Jan 2025": the units and months staff read
        axis = {"gridcolor": "#eee", "exponentformat": "none", "separatethousands": True}
        months = frame[spec.x].astype(str).str.fullmatch(r"\d{4}-\d{2}").all() if len(frame) else False
        fig.update_xaxes(title_text=spec.x_label or None, **axis)
        if months:
            ticks = list(dict.fromkeys(frame[spec.x].astype(str)))
            fig.update_xaxes(type="category", tickvals=ticks, ticktext=[f"{m[:4]}年{int(m[5:])}月" for m in ticks])
        fig.update_yaxes(title_text=y_label or None, **axis)
        if _is_share(spec.y[0], frame[spec.y[0]].tolist()):
            (fig.update_xaxes if spec.kind == "barh" else fig.update_yaxes)(tickformat=".0%")
        if spec.kind == "barh":
            fig.update_yaxes(autorange="reversed")
    return fig
