"""The report's figures, as Plotly figures (plotly.js is inlined once by render.py)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable

import plotly.graph_objects as go
from plotly.subplots import make_subplots

from orchestration.serve.report.data import ReportData

# A channel keeps its colour in every chart and every report (Tableau 10, then extras).
CHANNEL_COLOURS = {
    "Direct": "#4E79A7",
    "Organic Search": "#59A14F",
    "Paid Search": "#F28E2B",
    "Paid Social": "#E15759",
    "Organic Social": "#76B7B2",
    "Email": "#EDC948",
    "Referral": "#B07AA1",
    "Affiliates": "#FF9DA7",
    "Display": "#9C755F",
    "Paid Video": "#D37295",
    "Organic Video": "#8CD17D",
    "Cross-network": "#499894",
    "Paid Shopping": "#F1CE63",
    "Organic Shopping": "#86BCB6",
    "Paid Other": "#D4A6C8",
    "Audio": "#A0CBE8",
    "SMS": "#FFBE7D",
    "Mobile Push Notifications": "#B6992D",
    "Unassigned": "#BAB0AC",
}
EXTRA_COLOURS = ("#17BECF", "#BCBD22", "#7F7F7F", "#8C564B", "#9467BD", "#2CA02C")
# The models and conversions are the dbt vars' (config.py); these only spell their names for
# a reader: `time_decay` is "Time decay", and two take a hyphen.
HYPHENATED = {"last non direct": "last non-direct", "position based": "position-based"}
# a model's colour is its place in millimetric__attribution_models
MODEL_PALETTE = ("#264653", "#2A9D8F", "#8AB17D", "#E9C46A", "#F4A261", "#E76F51", *EXTRA_COLOURS)
FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif"


def label(name: str) -> str:
    """A var's name as a reader's words: `last_non_direct` is "Last non-direct"."""
    words = name.replace("_", " ").strip()
    return HYPHENATED.get(words, words).capitalize()


def model_colour(models: tuple[str, ...], model: str) -> str:
    return MODEL_PALETTE[models.index(model) % len(MODEL_PALETTE)]


def channel_colour(channel: str, index: int = 0) -> str:
    return CHANNEL_COLOURS.get(channel, EXTRA_COLOURS[index % len(EXTRA_COLOURS)])


def _layout(fig: go.Figure, height: int, **extra) -> go.Figure:
    extra.setdefault("margin", {"l": 10, "r": 10, "t": 30, "b": 10})
    fig.update_layout(
        template="plotly_white",
        height=height,
        font={"family": FONT, "size": 12, "color": "#1f2933"},
        legend={"orientation": "h", "yanchor": "bottom", "y": 1.02, "x": 0},
        hoverlabel={"font": {"family": FONT}},
        **extra,
    )
    return fig


def _by_total(rows: Iterable[tuple], key: int, value: int) -> list[str]:
    totals: dict[str, float] = defaultdict(float)
    for row in rows:
        totals[row[key]] += float(row[value])
    return sorted(totals, key=lambda name: (-totals[name], name))


def daily_by_channel(rows: list[tuple[dt.date, str, int]], what: str, days: list[dt.date]):
    """Stacked bars, one per day, the largest channel at the bottom."""
    values = {(day, channel): n for day, channel, n in rows}
    fig = go.Figure()
    for i, channel in enumerate(_by_total(rows, 1, 2)):
        fig.add_bar(
            name=channel,
            x=days,
            y=[values.get((day, channel), 0) for day in days],
            marker_color=channel_colour(channel, i),
            hovertemplate=f"%{{x|%a %d %b}}<br>{channel}: %{{y:,}} {what}<extra></extra>",
        )
    fig.update_xaxes(tickformat="%d %b", showgrid=False)
    fig.update_yaxes(title_text=what, tickformat=",")
    return _layout(fig, 380, barmode="stack", bargap=0.15)


def attribution_comparison(data: ReportData) -> go.Figure:
    """Each configured conversion, then the ROAS conversions' revenue in the reporting
    currency, per channel under each configured model, side by side."""
    config = data.config
    cells: dict[tuple[str | None, str, str], float] = defaultdict(float)
    rows = [row for row in data.attribution if row[0] in config.conversions]
    for name, model, channel, conversions, revenue in rows:
        cells[(name, model, channel)] += float(conversions)
        if name in config.roas_conversions:
            # revenue in a currency without a rate is unknown: no bar rather than a short one
            known = float("nan") if revenue is None else float(revenue)
            cells[(None, model, channel)] += known  # None: the revenue panel
    channels = _by_total(rows, 2, 3)[::-1]  # horizontal bars draw bottom-up
    revenue_title = f"Revenue ({config.currency})"
    panels = [(name, label(name)) for name in config.conversions] + [(None, revenue_title)]
    fig = make_subplots(
        rows=1,
        cols=len(panels),
        shared_yaxes=True,
        horizontal_spacing=0.03,
        subplot_titles=[title for _, title in panels],
    )
    for col, (name, title) in enumerate(panels, start=1):
        unit = f" {config.currency}" if name is None else f" {title.lower()}"
        number = ",.2f" if name is None else ",.1f"
        for model in config.models[::-1]:
            fig.add_bar(
                name=label(model),
                legendgroup=model,
                showlegend=col == 1,
                orientation="h",
                y=channels,
                x=[cells.get((name, model, channel), 0.0) for channel in channels],
                marker_color=model_colour(config.models, model),
                hovertemplate=f"%{{y}}<br>{label(model)}: %{{x:{number}}}{unit}<extra></extra>",
                row=1,
                col=col,
            )
        fig.update_xaxes(tickformat=",", row=1, col=col)
    fig.update_xaxes(title_text=config.currency, row=1, col=len(panels))
    height = 120 + 16 * len(config.models) * max(len(channels), 1)
    fig.update_annotations(font={"size": 13})
    return _layout(fig, min(max(height, 360), 1100), barmode="group", legend_traceorder="reversed")


def _shade(share: float, top: float) -> str:
    """A blue from pale (0) to deep (the best rate shown): darker converts better."""
    t = share / top if top > 0 else 0.0
    low, high = (0xC6, 0xDB, 0xEF), (0x1D, 0x5A, 0x96)
    return "#" + "".join(f"{round(a + (b - a) * t):02x}" for a, b in zip(low, high, strict=True))


def top_rows(rows: list[tuple], label: str) -> go.Figure:
    """Sessions per row as bars, shaded and labelled by conversion rate."""
    rows = rows[::-1]
    rates = [row[3] / row[2] if row[2] else 0.0 for row in rows]
    top = max(rates, default=0.0)
    fig = go.Figure(
        go.Bar(
            orientation="h",
            y=[row[0] for row in rows],
            x=[row[2] for row in rows],
            text=[f"{rate:.1%} conv." for rate in rates],
            textposition="outside",
            textfont={"color": "#1f2933"},
            cliponaxis=False,
            marker_color=[_shade(rate, top) for rate in rates],
            customdata=[[row[3], rate] for row, rate in zip(rows, rates, strict=True)],
            hovertemplate=f"{label} %{{y}}<br>%{{x:,}} sessions<br>%{{customdata[0]:,}} "
            "conversions (%{customdata[1]:.1%})<extra></extra>",
        )
    )
    fig.update_xaxes(title_text="sessions", tickformat=",", automargin=True)
    fig.update_yaxes(automargin=True)
    return _layout(fig, 110 + 34 * max(len(rows), 1), margin={"l": 10, "r": 70, "t": 30, "b": 10})


def devices_per_person(rows: list[tuple[int, int]]) -> go.Figure:
    labels = {1: "1 device", 2: "2 devices", 3: "3 devices", 4: "4 or more"}
    fig = go.Figure(
        go.Bar(
            x=[labels[devices] for devices, _ in rows],
            y=[people for _, people in rows],
            text=[f"{people:,}" for _, people in rows],
            textposition="outside",
            textfont={"color": "#1f2933"},
            cliponaxis=False,
            marker_color="#4E79A7",
            hovertemplate="%{x}: %{y:,} people<extra></extra>",
        )
    )
    fig.update_yaxes(title_text="people", tickformat=",")
    return _layout(fig, 320)


def stitched_by_channel(rows: list[tuple[str, int, int]]) -> go.Figure:
    rows = rows[::-1]
    shares = [stitched / sessions if sessions else 0.0 for _, sessions, stitched in rows]
    fig = go.Figure(
        go.Bar(
            orientation="h",
            y=[channel for channel, _, _ in rows],
            x=shares,
            text=[f"{share:.0%}" for share in shares],
            textposition="outside",
            textfont={"color": "#1f2933"},
            cliponaxis=False,
            marker_color=[channel_colour(channel, i) for i, (channel, _, _) in enumerate(rows)],
            customdata=[[stitched, sessions] for _, sessions, stitched in rows],
            hovertemplate="%{y}: %{customdata[0]:,} of %{customdata[1]:,} sessions "
            "(%{x:.1%})<extra></extra>",
        )
    )
    fig.update_xaxes(tickformat=".0%", range=[0, 1])
    return _layout(fig, 110 + 30 * max(len(rows), 1))
