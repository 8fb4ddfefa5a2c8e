"""Chart geometry for the results page, drawn as inline SVG by the templates (no JavaScript).

`cv_charts`: per level, each indicator's CV as a horizontal bar with the level's limit marked.
`distribution_chart`: one indicator's values across the units of one level, ascending, with the
standard drawn as a line.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from dudao.evaluation.stored import StoredRun, level_label, status_label

WIDTH = 760
LABEL_WIDTH = 280
ROW_HEIGHT = 26
BAR_HEIGHT = 16
PLOT_TOP = 20
COLOURS = {"pass": "#4caf50", "fail": "#e53935", "met": "#6abf69", "near": "#f6c343"}
COLOURS |= {"below": "#e57373", "": "#b0bec5"}  # "": no value


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    fill: str
    label: str
    value: str
    title: str

    @property
    def text_y(self) -> float:
        """Baseline of the text beside a horizontal bar."""
        return round(self.y + self.height - 4, 1)

    @property
    def value_x(self) -> float:
        return round(self.x + self.width + 4, 1)

    @property
    def label_x(self) -> float:
        return self.x - 8


@dataclass(frozen=True)
class Tick:
    position: float
    text: str


@dataclass
class CvChart:
    level: str
    title: str
    height: float
    bars: list[Bar]
    limit_x: float
    limit_text: str
    ticks: list[Tick] = field(default_factory=list)
    width: int = WIDTH

    @property
    def axis_y(self) -> float:
        return self.height - 20

    @property
    def tick_y(self) -> float:
        return self.height - 6


def _scale(top: float) -> float:
    return top * 1.15 if top > 0 else 1.0


def cv_charts(stored: StoredRun) -> list[CvChart]:
    """One chart per level whose CVs are known, each bar against the level's limit."""
    county = stored.county
    charts = []
    for level in stored.levels:
        cvs = county.get("cv", {}).get(level, {})
        limit = county.get("cv_limits", {}).get(level)
        known = [(i, cvs.get(i.key)) for i in stored.indicators if cvs.get(i.key) is not None]
        if not known or limit is None:
            continue
        top = _scale(max([limit] + [float(v) for _, v in known]))
        span = WIDTH - LABEL_WIDTH - 60
        bars = []
        for row, (ind, cv) in enumerate(known):
            ok = float(cv) <= limit
            bars.append(
                Bar(
                    x=LABEL_WIDTH,
                    y=PLOT_TOP + row * ROW_HEIGHT,
                    width=round(span * float(cv) / top, 1),
                    height=BAR_HEIGHT,
                    fill=COLOURS["pass" if ok else "fail"],
                    label=ind.label,
                    value=f"{cv:.3f}",
                    title=f"{ind.label}：{cv:.3f}（标准 {limit:.2f}，{'达标' if ok else '超标'}）",
                )
            )
        charts.append(
            CvChart(
                level=level,
                title=f"{level_label(level)}差异系数与标准",
                height=PLOT_TOP + len(bars) * ROW_HEIGHT + 24,
                bars=bars,
                limit_x=round(LABEL_WIDTH + span * limit / top, 1),
                limit_text=f"标准 {limit:.2f}",
                ticks=[
                    Tick(round(LABEL_WIDTH + span * f, 1), f"{top * f:.2f}") for f in (0, 0.5, 1)
                ],
            )
        )
    return charts


DIST_HEIGHT = 280
DIST_LEFT = 70
DIST_RIGHT = 20
DIST_TOP = 20
DIST_BOTTOM = 40
MAX_BAR_WIDTH = 48


@dataclass
class DistributionChart:
    indicator: str
    level: str
    title: str
    bars: list[Bar]
    standard_y: float | None
    standard_text: str
    ticks: list[Tick]
    missing: int
    width: int = WIDTH
    height: int = DIST_HEIGHT
    plot_left: int = DIST_LEFT
    plot_right: int = WIDTH - DIST_RIGHT
    baseline: int = DIST_HEIGHT - DIST_BOTTOM

    @property
    def tick_x(self) -> int:
        return self.plot_left - 6

    @property
    def standard_label_y(self) -> float:
        return (self.standard_y or 0) - 4

    @property
    def caption_y(self) -> int:
        return self.height - 14


def distribution_chart(stored: StoredRun, indicator: str, level: str) -> DistributionChart | None:
    """The chosen indicator's values across the included units of one level, ascending."""
    ind = stored.indicator(indicator)
    if ind is None or level not in stored.levels:
        return None
    units = [u for u in stored.units if u["level"] == level and not u.get("excluded")]
    values = [(u, u["values"].get(indicator)) for u in units]
    known = sorted(((u, float(v)) for u, v in values if v is not None), key=lambda p: p[1])
    standard = ind.standard.get(level)
    top = _scale(max([standard or 0.0] + [v for _, v in known]))
    plot_h = DIST_HEIGHT - DIST_TOP - DIST_BOTTOM
    span = WIDTH - DIST_LEFT - DIST_RIGHT
    step = min(span / max(len(known), 1), MAX_BAR_WIDTH / 0.8)
    bars = []
    for k, (unit, value) in enumerate(known):
        h = round(plot_h * value / top, 1)
        status = unit["status"].get(indicator)
        bars.append(
            Bar(
                x=round(DIST_LEFT + k * step + step * 0.1, 1),
                y=round(DIST_TOP + plot_h - h, 1),
                width=round(step * 0.8, 1),
                height=h,
                fill=COLOURS.get(status or "", COLOURS[""]),
                label=unit["school_name"],
                value=f"{value:.2f}",
                title=f"{unit['school_name']}：{value:.2f}{ind.unit}（{status_label(status)}）",
            )
        )

    def y(value: float) -> float:
        return round(DIST_TOP + plot_h - plot_h * value / top, 1)

    return DistributionChart(
        indicator=indicator,
        level=level,
        title=f"{level_label(level)} · {ind.label}（{ind.unit}）",
        bars=bars,
        standard_y=None if standard is None else y(standard),
        standard_text="" if standard is None else f"标准 {standard:g}",
        ticks=[Tick(y(top * f), f"{top * f:.2f}") for f in (0, 0.5, 1)],
        missing=len(values) - len(known),
    )
