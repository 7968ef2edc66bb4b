"""The console's suggestion from the stored catalog, duty map and closed requests."""

from shuzheng.hotline import selectors
from shuzheng.hotline.services import Intake, reply, submit_request
from shuzheng.orgs.models import Region, Unit

SMOKE = "楼下烧烤店的排烟管道正对着我家窗户"


def test_the_suggestion_names_the_unit_of_the_region_s_duty_entry(catalog):
    xingqing = Region.objects.get(code="640104")
    (first, *_) = selectors.suggestions("解放街的垃圾堆了好几天没人清运", xingqing)
    assert first.code == "urban-appearance"
    assert "垃圾" in first.words
    assert first.duty.region == "640104"
    assert Unit.objects.filter(code=first.unit).exists()


def test_a_closed_request_teaches_the_next_suggestion(catalog):
    assert selectors.suggestions(SMOKE)[0].code != "environment"
    request = submit_request(
        Intake(
            service_code="environment",
            description="烧烤店排烟熏得睡不着，排烟管道天天冒烟",
            address_string="银川市兴庆区解放西街12号",
        )
    )
    # Open requests do not teach: the category may still change.
    assert selectors.suggestions(SMOKE)[0].code != "environment"
    unit = request.assignments.get().unit
    reply(request, unit, text="已责令加装油烟净化设施。", actor=None)
    (first, *_) = selectors.suggestions(SMOKE)
    assert first.code == "environment"
    assert "排烟" in first.words or "烧烤店" in first.words


def test_near_duplicates_are_found_while_the_operator_types(catalog):
    first = submit_request(
        Intake(
            service_code="environment",
            description="解放西街一家饭店的油烟直冲居民楼，窗户都不敢开",
            address_string="银川市兴庆区解放西街12号",
        )
    )
    submit_request(
        Intake(
            service_code="wage-arrears",
            description="老板拖欠工资三个月",
            address_string="银川市兴庆区解放西街12号",
        )
    )
    found = selectors.near_duplicates("解放西街饭店油烟直冲居民楼", first.region)
    assert [request for request, _ in found] == [first]
    assert "油烟" in found[0][1].shared
    elsewhere = Region.objects.get(code="640205")
    assert selectors.near_duplicates("解放西街饭店油烟直冲居民楼", elsewhere) == []
