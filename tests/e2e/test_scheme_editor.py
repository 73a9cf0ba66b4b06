"""HR revises the scheme in the browser: a weight breaks the sibling sum, the error shows, HR fixes it,
the fix is saved as a new version, and HR publishes it."""

import re

import pytest
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.e2e


def test_hr_changes_a_weight_sees_the_sum_error_fixes_it_and_publishes(page: Page, sign_in) -> None:
    sign_in(page, "hr")
    page.get_by_role("navigation", name="主导航").get_by_role("link", name="考核方案").click()
    expect(page).to_have_url(re.compile(r"/scheme$"))
    expect(page.get_by_role("heading", name=re.compile("年度考核方案"))).to_be_visible()

    page.get_by_role("button", name="新建草稿").click()
    expect(page).to_have_url(re.compile(r"/scheme/versions/\d+/edit\?done=draft_created$"))
    draft_url = page.url

    page.get_by_label("任务完成（JI.1）权重").fill("60")
    page.get_by_role("button", name="校验并保存").click()
    problem = page.locator('.nodeproblem[data-path="indicators[3].children"]')
    expect(problem).to_contain_text("同级权重之和为 110，应为 100")
    expect(page.locator(".problemlist")).to_contain_text("绩 的下级指标")
    expect(page.get_by_label("任务完成（JI.1）权重")).to_have_value("60")  # what HR typed is kept

    page.get_by_label("质量效益（JI.2）权重").fill("20")
    page.get_by_role("button", name="校验并保存").click()
    expect(page.get_by_role("status")).to_contain_text("草稿已保存")
    expect(page.locator(".nodeproblem")).to_have_count(0)
    assert page.url.split("?")[0] != draft_url  # the saved change is a new version; the draft is kept (S8)

    page.get_by_role("button", name="发布此版本").click()
    expect(page).to_have_url(re.compile(r"/scheme/versions/\d+\?saved=published$"))
    expect(page.get_by_role("status")).to_contain_text("已发布")
    expect(page.locator("li[data-code='JI.1'] .weight").first).to_have_text("60%")


def test_the_scheme_tree_fits_a_phone(new_context, sign_in) -> None:
    page = new_context(viewport={"width": 375, "height": 740}).new_page()
    sign_in(page, "staff")
    page.goto("/scheme/mine")
    expect(page.get_by_role("heading", name=re.compile("我的考核指标"))).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
