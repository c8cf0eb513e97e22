"""Template tags for photo posts shown elsewhere: a product page's "Seen on members"
(`{% product_member_posts product as posts %}`, used by shop/product_detail.html: templates may use
any app's tags, while shop's Python never imports community) and a campaign's countdown."""

from django import template

from .. import campaigns, showcase

register = template.Library()


@register.simple_tag(takes_context=True)
def product_member_posts(context, product, limit=showcase.PRODUCT_COUNT):
    """The newest featurable posts that tag `product`: two queries whatever the count, none while
    kept (the page names the product's scope, which their changes move)."""
    return showcase.posts_with_product(product, limit, request=context.get("request"))


@register.simple_tag
def campaign_countdown(campaign):
    return campaigns.campaign_countdown(campaign)


@register.simple_tag(takes_context=True)
def hashtag_member_posts(context, hashtag, limit=4):
    """The newest featurable posts under `hashtag` (written with or without the #): a lookbook's look
    shows the members wearing it. Two queries, none while kept."""
    return showcase.posts_tagged(hashtag, limit, request=context.get("request"))
