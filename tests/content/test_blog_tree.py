"""Editors can only build the blog's tree the right way round."""

import pytest
from wagtail.models import Page

from content.models import BlogIndexPage, BlogPage, HomePage

pytestmark = pytest.mark.django_db


def test_blog_index_goes_under_the_home_page_only(home):
    assert BlogIndexPage.can_create_at(home)
    assert not BlogIndexPage.can_create_at(Page.get_first_root_node())
    assert BlogIndexPage.allowed_parent_page_models() == [HomePage]


def test_one_blog_per_home_page(blog, home):
    assert not BlogIndexPage.can_create_at(home)


def test_posts_go_under_the_blog_only(blog, home, make_post):
    assert BlogPage.can_create_at(blog)
    assert not BlogPage.can_create_at(home)
    assert BlogIndexPage.allowed_subpage_models() == [BlogPage]
    post = make_post()
    assert BlogPage.allowed_subpage_models() == []
    assert not BlogPage.can_create_at(post)
    assert not BlogIndexPage.can_create_at(blog)
    assert not BlogIndexPage.can_create_at(post)
