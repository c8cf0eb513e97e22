from django_tasks import task


@task()
def delivery_process_task(delivery_pk):
    from .services import delivery_process

    delivery_process(delivery_pk)


@task()
def inbox_drain_task():
    """Apply every pending webhook delivery (shop.services.inbox_drain)."""
    from .services import inbox_drain

    return inbox_drain()


@task()
def outbound_send_task(delivery_pk):
    """Attempt one outbound delivery if it is due (shop.outbound)."""
    from .outbound import outbound_send

    delivery = outbound_send(delivery_pk)
    return delivery.state if delivery is not None else None


@task()
def outbound_send_due_task():
    from .outbound import outbound_send_due

    return outbound_send_due()
