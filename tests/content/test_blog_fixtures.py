import pytest

from tests.content.blog_fixtures import make_check_blog


@pytest.mark.django_db
def test_the_page_check_blog_answers_as_listed(client):
    for path, status in make_check_blog():
        assert client.get(path).status_code == status, path
