"""Places named in a text (pipeline.index.regions): provinces and prefecture-level cities mapped to
their province, and the re-ranking feature that marks a candidate about another province."""

from __future__ import annotations

from pipeline.index.regions import names_any, other_region, provinces


def test_provinces_and_cities_map_to_their_province() -> None:
    assert provinces("河南省在保障生活物资供应方面有哪些政策") == {"41"}
    assert provinces("南阳市税务局") == {"41"}  # a city counts as its province
    assert provinces(["内蒙古自治区", "呼和浩特"]) == {"15"}
    assert provinces(["吉林省长春市", "广东"]) == {"22", "44"}


def test_a_text_naming_no_place_has_no_province() -> None:
    assert provinces("国务院关于做好疫情防控工作的通知") == set()
    assert provinces([]) == set()


def test_other_region_needs_a_place_on_both_sides_and_no_overlap() -> None:
    henan = provinces("河南省有哪些政策")
    assert other_region(henan, "吉林省多部门联手出台34项具体措施") == 1.0
    assert other_region(henan, "国家税务总局南阳市税务局关于支持疫情防控的通知") == 0.0
    assert other_region(henan, "国务院办公厅关于做好疫情防控工作的通知") == 0.0  # national
    assert other_region(set(), "吉林省多部门联手出台34项具体措施") == 0.0  # the question names none
    assert other_region(henan, "吉林省与河南省联合发布") == 0.0  # the asked one is among them


def test_only_the_opening_says_whose_text_it_is() -> None:
    # a 河南 notice that cites another province's experience further down is still 河南's
    text = "河南省人民政府关于稳定经济增长的通知" + "。" * 300 + "借鉴吉林省的做法"
    assert other_region(provinces("吉林省"), text) == 1.0
    assert other_region(provinces("河南省"), text) == 0.0


def test_a_national_notice_names_no_province() -> None:
    # the addressee line of a national notice, and the 县级以上 of its rules, name no place:
    # cpca's table lists Chongqing's counties under a prefecture called 县
    opening = ("关于阶段性减免企业社会保险费的通知 各省、自治区、直辖市人民政府，新疆生产建设兵团："
               "企业和个人通过县级以上人民政府及其部门捐赠")
    assert provinces(opening) == set()
    assert other_region(provinces("辽宁省中小微企业社保缴费有哪些优惠政策"), opening) == 0.0
    assert provinces("新疆维吾尔自治区人民政府") == {"65"}  # Xinjiang itself still counts


def test_names_any_finds_the_asked_province_or_its_cities_anywhere() -> None:
    henan = provinces("河南省有哪些政策")
    assert names_any(henan, "。" * 500 + "国家税务总局南阳市税务局")
    assert not names_any(henan, "吉林省多部门联手出台34项具体措施")
    assert not names_any(set(), "河南省")
