"""Name material for the demo county: surnames weighted towards 赣南 (Hakka) families,
given-name characters, village name parts and the assistance units.

Drawing is by index into pre-expanded tables (one `random()` call per draw): the
generator names about four million people at the largest size.
"""

from __future__ import annotations

import random
import re

# (surname, weight): 黄, 刘, 钟, 曾, 赖, 邱, 温, 谢 are far more common in 赣州 than nationally.
SURNAMES: list[tuple[str, int]] = [
    (m[1], int(m[2]))
    for m in re.finditer(
        r"(\D+?)(\d+)\s*",
        "黄60 刘58 李52 陈50 钟40 张38 朱30 罗30 曾28 谢26 赖24 邱22 温20 肖20 王20 吴18 何16 "
        "郭16 杨15 廖15 胡14 林13 邓13 叶12 徐12 卢12 蔡11 丁10 彭10 袁10 周10 邹9 蓝9 兰8 唐8 "
        "孙8 康8 余8 魏7 江7 严7 汤6 雷6 易6 游6 龚6 宋6 郑6 戴5 许5 邝5 凌5 田5 巫5 甘5 涂5 "
        "简4 詹4 练4 古4 缪4 欧阳4 池3 阳3 伍3 潘3 姚3 傅3 聂3",
    )
]

MALE_CHARS = (
    "伟强磊勇军杰涛超明刚平辉鹏华飞鑫波斌宇浩凯健俊帆旭宁龙林阳亮成建峰晨瑞兵雷东博"
    "彬坤岩文利德福贵荣发富财生根水金木火土山石海江河春秋冬国庆志忠义礼信仁智勤俭"
    "永长远新兴旺隆昌盛家宗祖光耀祥瑞泉源清茂松柏桂槐樟杉锦鸿运达海峰承恩泽辰"
)
FEMALE_CHARS = (
    "芳娜敏静秀英丽艳娟霞兰燕玲桂丹萍红玉梅莉珍婷凤晶颖雪慧倩琴云洁柳淑春莹荣"
    "琳欣香华芝花璐瑜蓉菊莲翠珠美娥妹娣连招娇嫦彩霖梦怡欢佳琪雅思涵悦诗月"
)
# Generation names (字辈): many rural cousins share a first given-name character.
GENERATION_CHARS = "德宗启承光明传家永世忠孝仁义礼智远振兴祖荣华富贵长春庆定"

VILLAGE_PREFIXES = "上下大小新老东西南北高长石黄白龙金竹茶梅樟杉松桐坪岗塘河田水"
VILLAGE_SUFFIXES = "坑坪岭塘湖溪田岗背洲口源陂坝湾垄山"

# 帮扶单位 at county level (the five county departments of the seed migration are left
# out: their names are taken at the county area by department org units).
ASSISTANCE_UNITS = [
    "县委办公室",
    "县人大常委会办公室",
    "县政府办公室",
    "县政协办公室",
    "县纪委监委机关",
    "县委组织部",
    "县委宣传部",
    "县委统战部",
    "县委政法委",
    "县发展和改革委员会",
    "县工业和信息化局",
    "县公安局",
    "县司法局",
    "县自然资源局",
    "县住房和城乡建设局",
    "县交通运输局",
    "县水利局",
    "县卫生健康委员会",
    "县市场监督管理局",
    "县林业局",
]

# 11-digit mobiles: the three-digit network prefixes in common use.
PHONE_PREFIXES = [
    str(n) for n in (*range(130, 140), 147, *range(150, 154), *range(155, 160), 166, 173, *range(175, 179),
                     *range(180, 190), 191, 198, 199)
]  # fmt: skip


def _expand(weighted: list[tuple[str, int]]) -> list[str]:
    table: list[str] = []
    for item, weight in weighted:
        table.extend([item] * weight)
    return table


SURNAME_TABLE = _expand(SURNAMES)


class NameDrawer:
    """Draws Chinese names from a seeded random source; `surname()` and `given()` cost
    one or two `random()` calls each."""

    def __init__(self, rng: random.Random) -> None:
        self.random = rng.random

    def surname(self) -> str:
        return SURNAME_TABLE[int(self.random() * len(SURNAME_TABLE))]

    def given(self, male: bool, generation: str = "") -> str:
        r = self.random
        chars = MALE_CHARS if male else FEMALE_CHARS
        first = chars[int(r() * len(chars))]
        roll = r()
        if roll < 0.22:
            return first
        if generation and male and roll < 0.55:
            return generation + first
        return first + chars[int(r() * len(chars))]

    def generation_char(self) -> str:
        return GENERATION_CHARS[int(self.random() * len(GENERATION_CHARS))]

    def full(self, male: bool) -> str:
        return self.surname() + self.given(male)

    def phone(self) -> str:
        r = self.random
        prefix = PHONE_PREFIXES[int(r() * len(PHONE_PREFIXES))]
        return f"{prefix}{int(r() * 100_000_000):08d}"
