"""Invented names (counties, townships, villages, private schools) and a county's places."""

from __future__ import annotations

import random

COUNTY_NAMES: tuple[str, ...] = (
    "青川县",
    "河西区",
    "白水县",
    "云溪县",
    "龙泉县",
    "江北区",
    "松阳县",
    "桃源县",
    "清河县",
    "石门县",
    "东湖区",
    "长宁县",
    "柳江县",
    "安平县",
    "永和县",
    "南屏县",
    "凤鸣县",
    "金川区",
    "丰乐县",
    "平川县",
    "梅溪县",
    "临水县",
    "新安县",
    "宁远县",
    "西岭区",
    "兴隆县",
    "双溪县",
    "碧江县",
    "玉屏县",
    "秀山县",
)

_TOWN_STEMS: tuple[str, ...] = (
    "石桥",
    "青龙",
    "白沙",
    "马场",
    "黄泥",
    "龙泉",
    "新店",
    "桃源",
    "柳林",
    "双河",
    "高坪",
    "杨柳",
    "清水",
    "长岭",
    "金山",
    "土门",
    "太平",
    "永安",
    "大坝",
    "三合",
    "红岩",
    "河口",
    "洪山",
    "松林",
    "花桥",
    "古城",
    "狮子",
    "凉水",
    "板桥",
    "竹园",
    "沙坪",
    "岩口",
    "麻柳",
    "茶园",
    "回龙",
    "观音",
    "枫香",
    "平坝",
    "龙井",
    "新场",
    "水口",
    "官庄",
    "柏杨",
    "大兴",
    "石龙",
    "白果",
    "双龙",
    "高桥",
    "黄土",
    "兴隆",
    "梨园",
    "新民",
    "万福",
    "安乐",
    "桂花",
    "长滩",
    "雷公",
    "金鸡",
    "龙潭",
    "铜锣",
)
_SURNAMES: tuple[str, ...] = (
    "李",
    "王",
    "张",
    "刘",
    "陈",
    "杨",
    "黄",
    "赵",
    "吴",
    "周",
    "徐",
    "孙",
    "马",
    "朱",
    "胡",
    "郭",
    "何",
    "罗",
    "高",
    "林",
    "郑",
    "梁",
    "谢",
    "唐",
    "韩",
    "冯",
    "曹",
    "彭",
    "曾",
    "肖",
)
_VILLAGE_SUFFIXES: tuple[str, ...] = ("家湾", "家坪", "家沟", "家庄", "家坝", "家岭")
_URBAN_SEATS_DISTRICT: tuple[str, ...] = ("东城街道", "西城街道", "南门街道", "新华街道")
_VILLAGES: tuple[str, ...] = tuple(s + v for s in _SURNAMES for v in _VILLAGE_SUFFIXES)
_PRIVATE_STEMS: tuple[str, ...] = ("明德", "育英", "启明", "博文", "新星", "阳光", "育才", "博雅")
_ORDINALS: tuple[str, ...] = ("一", "二", "三", "四", "五", "六", "七", "八", "九", "十")


def county_name(index: int) -> str:
    """Name of the demo county at ``index`` (0-based); numbered once the list is used up."""
    base = COUNTY_NAMES[index % len(COUNTY_NAMES)]
    rnd = index // len(COUNTY_NAMES)
    return base if rnd == 0 else f"{base}{rnd + 1}"


def _ordinal(n: int) -> str:
    return f"第{_ORDINALS[n - 1]}" if n <= len(_ORDINALS) else f"第{n}"


def _pick_names(rng: random.Random, pool: tuple[str, ...], count: int) -> list[str]:
    """``count`` distinct names from ``pool``; numbered copies once the pool is used up."""
    names = rng.sample(pool, min(count, len(pool)))
    for extra in range(count - len(names)):
        names.append(f"{pool[extra % len(pool)]}{extra // len(pool) + 2}")
    return names


class _Places:
    """A county's seat (城关镇 or a 街道), townships and villages."""

    def __init__(self, rng: random.Random, county: str, n: int, n_villages: int) -> None:
        district = county.endswith("区")
        self.county = county
        self.seat = rng.choice(_URBAN_SEATS_DISTRICT) if district else "城关镇"
        self.prefix = county[:-1] if district else "城关"
        stems = _pick_names(rng, _TOWN_STEMS, max(1, round(n / 4) - 1))
        self.towns = [stem + ("乡" if rng.random() < 0.3 else "镇") for stem in stems]
        self.villages = _pick_names(rng, _VILLAGES, n_villages)
