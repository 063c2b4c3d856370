"""Fixtures: two registered households of 2020 (富有村委会 and 黄花山村委会, both in 哈尔套镇), a household
of the neighbouring county, and writers for department files (CSV in UTF-8 or GBK, .xlsx)."""

from __future__ import annotations

import csv
import datetime as dt

import openpyxl
import pytest
from registry.factories import make_household, member
from support.places import COUNTY, OTHER_VILLAGE, VILLAGE

from fupin.accounts.roles import Department, Role

MEDICAL_HEADER = ["姓名", "身份证号", "结算单号", "就诊机构", "入院日期", "结算日期", "医疗总费用", "个人自付金额"]
CIVIL_HEADER = ["姓名", "身份证号", "救助类别", "审批日期", "救助金额"]


@pytest.fixture
def family_here(areas):
    """王福's household in 富有村委会: 家庭纯收入 12,500 yuan."""
    return make_household(village=VILLAGE, members=[
        member("王福", "02", "1", dt.date(1960, 3, 2)), member("李桂兰", "10", "2", dt.date(1962, 7, 15))])


@pytest.fixture
def family_there(areas):
    """赵山's household in 黄花山村委会 (same township, another village)."""
    return make_household(village=OTHER_VILLAGE, members=[member("赵山", "02", "1", dt.date(1955, 1, 9))])


@pytest.fixture
def family_elsewhere(areas):
    """A household of 阜新县 (another county)."""
    return make_household(village="210921100202", members=[member("钱海", "02", "1", dt.date(1958, 6, 1))])


@pytest.fixture
def medical(make_user):
    return make_user(Role.DEPARTMENT_USER, COUNTY, department=Department.MEDICAL_INSURANCE)


@pytest.fixture
def officer(make_user):
    return make_user(Role.COUNTY_OFFICER, COUNTY)


def persons(household):
    return list(household.persons.order_by("person_number"))


def write_csv(path, header, rows, encoding="utf-8"):
    with open(path, "w", encoding=encoding, newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def write_xlsx(path, header, rows):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path


def claim(person, number, day="2020-05-01", out_of_pocket="100.00", total="300.00"):
    return [person.name, person.id_number, number, "彰武县人民医院", "", day, total, out_of_pocket]
