"""Code lists of the national system export (DOMAIN.md §3), stored as their Chinese text
so that imports and exports round-trip without translation tables."""

from __future__ import annotations

from django.db import models


class HouseholdType(models.TextChoices):
    ALLEVIATED = "脱贫户", "脱贫户"
    ORDINARY = "一般农户", "一般农户"
    OTHER = "其他", "其他"


class Relation(models.TextChoices):
    HEAD = "户主", "户主"
    SPOUSE = "配偶", "配偶"
    SON = "之子", "之子"
    DAUGHTER = "之女", "之女"
    DAUGHTER_IN_LAW = "之儿媳", "之儿媳"
    SON_IN_LAW = "之女婿", "之女婿"
    GRANDSON = "之孙子", "之孙子"
    GRANDDAUGHTER = "之孙女", "之孙女"
    FATHER = "之父", "之父"
    MOTHER = "之母", "之母"
    SIBLING = "兄弟姐妹", "兄弟姐妹"
    OTHER = "其他", "其他"


class Sex(models.TextChoices):
    MALE = "男", "男"
    FEMALE = "女", "女"


class Education(models.TextChoices):
    ILLITERATE = "文盲或半文盲", "文盲或半文盲"
    PRIMARY = "小学", "小学"
    JUNIOR = "初中", "初中"
    SENIOR = "高中", "高中"
    VOCATIONAL = "中专", "中专"
    COLLEGE = "大专", "大专"
    BACHELOR = "本科及以上", "本科及以上"
    NONE = "学龄前儿童", "学龄前儿童"


PRESCHOOL = "学前教育"
SCHOOL_STAGES: list[str] = (
    [PRESCHOOL]
    + [f"小学{n}年级" for n in "一二三四五六"]
    + ["七年级", "八年级", "九年级"]
    + [f"普通高中{n}年级" for n in "一二三"]
    + [f"中职{n}年级" for n in "一二三"]
    + [f"高职高专{n}年级" for n in "一二三"]
    + [f"本科{n}年级" for n in "一二三四"]
    + ["硕士研究生", "博士研究生"]
)


class Health(models.TextChoices):
    HEALTHY = "健康", "健康"
    CHRONIC = "长期慢性病", "长期慢性病"
    SERIOUS = "患大病", "患大病"
    DISABLED = "残疾", "残疾"


class DisabilityGrade(models.TextChoices):
    FIRST = "一级", "一级"
    SECOND = "二级", "二级"
    THIRD = "三级", "三级"
    FOURTH = "四级", "四级"


class LabourSkill(models.TextChoices):
    ORDINARY = "普通劳动力", "普通劳动力"
    SKILLED = "技能劳动力", "技能劳动力"
    WEAK = "弱劳动力或半劳动力", "弱劳动力或半劳动力"
    LOST = "丧失劳动力", "丧失劳动力"
    NONE = "无劳动力", "无劳动力"


WITH_LABOUR = (LabourSkill.ORDINARY, LabourSkill.SKILLED, LabourSkill.WEAK)


class Dibao(models.TextChoices):
    URBAN = "城市低保", "城市低保"
    RURAL = "农村低保", "农村低保"
    NONE = "未享受", "未享受"


class Tekun(models.TextChoices):
    URBAN = "城市特困", "城市特困"
    RURAL = "农村特困", "农村特困"
    NONE = "不享受", "不享受"


class IdType(models.TextChoices):
    RESIDENT = "居民身份证", "居民身份证"
    DISABILITY = "残疾人证", "残疾人证"
