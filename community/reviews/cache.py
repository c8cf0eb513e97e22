"""One version number for everything anonymous visitors see of reviews (product pages and the
product list show them). The anonymous page cache (website.middleware) puts it in its keys; every
review write moves it (now and again after commit)."""

from core.versions import version_bump

REVIEWS_VERSION_KEY = "reviews:version"


def reviews_changed():
    version_bump(REVIEWS_VERSION_KEY)
