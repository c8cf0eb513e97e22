def can_retry_delivery(user):
    """Running a stored delivery again changes orders, so it takes the change permission."""
    return user.is_active and user.is_staff and user.has_perm("shop.change_webhookdelivery")


def can_retry_outbound(user):
    """Sending an event to the shop again (it stores each once) takes the change permission."""
    return user.is_active and user.is_staff and user.has_perm("shop.change_outbounddelivery")
