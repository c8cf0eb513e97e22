from django_tasks import task


@task()
def delivery_process_task(delivery_pk):
    from .services import delivery_process

    delivery_process(delivery_pk)
