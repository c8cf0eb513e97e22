import factory
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.utils import timezone

PASSWORD = "correct-horse-battery-staple"


class MemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"member{n}")
    email = factory.LazyAttribute(lambda o: f"{o.username}@example.com")
    display_name = factory.Faker("name")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def verified(obj, create, extracted, **kwargs):
        obj.save()
        if create and extracted is not False:
            EmailAddress.objects.create(user=obj, email=obj.email, verified=True, primary=True)


class ProductFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "shop.Product"

    sku = factory.Sequence(lambda n: f"SKU-{n:04d}")
    name = factory.Sequence(lambda n: f"Linen shirt {n}")
    slug = factory.Sequence(lambda n: f"linen-shirt-{n}")
    price = "49.00"
    currency = "EUR"


class OrderFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "shop.Order"
        skip_postgeneration_save = True

    source = "generic"
    external_id = factory.Sequence(lambda n: f"ord-{n}")
    email = factory.Sequence(lambda n: f"buyer{n}@example.com")
    status = "paid"
    currency = "EUR"
    subtotal = "49.00"
    total = "49.00"
    placed_at = factory.LazyFunction(timezone.now)

    @factory.post_generation
    def lines(obj, create, extracted, **kwargs):
        if not create:
            return
        from shop.models import OrderLine

        for i, product in enumerate(extracted or [ProductFactory()]):
            OrderLine.objects.create(order=obj, product=product, external_id=str(i + 1), sku=product.sku, name=product.name,
                                     quantity=1, unit_price=product.price, total=product.price)
