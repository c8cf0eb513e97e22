"""Demo products and a year of orders for `manage.py load_demo`. Idempotent and deterministic.

Products are matched by SKU and get a generated picture (Pillow, no downloads) stored as a Wagtail
image. Orders come from a seeded random generator, have the source "demo" and go through
shop.services like a webhook delivery (matching, payment, cancellation and refunds, with their
signals), so a second run finds every order and refund already there and changes nothing.

The shop is the lowest layer and knows nothing of the demo members: their orders are placed with
their e-mail addresses, and at the end every order still without a member is given to the member
who verified its address (when the members exist already, as on a second run).
"""

import datetime
import io
import random
from decimal import ROUND_HALF_UP, Decimal

from django.core.files.images import ImageFile
from django.db import transaction
from django.utils import timezone
from PIL import Image, ImageDraw
from wagtail.images import get_image_model

from . import payloads, services
from .csv_import import unique_slug
from .models import Order, Product, ProductImage

SOURCE = "demo"
SEED = 2026
SHOP_URL = "https://shop.example.com/products/"
CENTS = Decimal("0.01")

# sku, name, price (EUR), kind (the drawing), colour, description
PRODUCTS = [
    ("LIN-SHIRT-SAND", "Linen shirt – sand", "79.00", "shirt", "#d8c3a0", "Washed European linen, relaxed fit, shell buttons."),
    ("LIN-SHIRT-INDIGO", "Linen shirt – indigo", "79.00", "shirt", "#2f3e6b", "The same shirt, dyed with plant indigo."),
    ("LIN-SHIRT-SS", "Short-sleeve linen shirt", "69.00", "tee", "#f1ede4", "Camp collar, boxy cut, for the hottest weeks."),
    ("LIN-TROUSERS", "Linen drawstring trousers", "89.00", "trousers", "#6d7150", "Heavy linen, drawstring waist, deep pockets."),
    ("LIN-SHORTS", "Linen shorts", "59.00", "shorts", "#b9a27a", "Seven-inch inseam, drawstring waist."),
    ("LIN-DRESS", "Linen shirt dress", "119.00", "dress", "#9c4f3c", "A long shirt dress with a tie belt."),
    ("LIN-SCARF", "Αιγαίο linen scarf", "45.00", "scarf", "#3f7fa6", "A light scarf in the blue of the Aegean, hand-fringed."),
    ("WOOL-SOCKS-MERINO", "Merino wool socks, 2-pack", "24.00", "socks", "#7d7d80", "Fine merino, reinforced heel and toe."),
    ("WOOL-SOCKS-RAGG", "Ragg wool socks – rust", "19.00", "socks", "#a4502a", "Thick, warm, made for boots."),
    ("WOOL-SOCKS-HIKE", "Hiking socks", "22.00", "socks", "#4c6b3c", "Cushioned sole, merino and recycled nylon."),
    ("WOOL-SOCKS-BOX", "Sock gift box – Balaton", "49.00", "box", "#5b8fa3", "Three pairs in lake colours, in a recycled box."),
    ("WOOL-GLOVES", "Wool gloves", "32.00", "gloves", "#5a4636", "Knitted lambswool, touch-screen fingertips."),
    ("WOOL-BEANIE", "Ribbed beanie", "29.00", "beanie", "#c0392b", "Chunky rib knit, fold-over cuff."),
    ("WOOL-SCARF", "Lambswool scarf", "49.00", "scarf", "#8e6c4a", "Brushed lambswool, two metres long."),
    ("KNIT-FISHERMAN", "Fisherman's jumper", "149.00", "knit", "#e8e0cf", "Cable-knit in undyed wool, as warm as it looks."),
    ("KNIT-CARDIGAN", "Lambswool cardigan", "129.00", "knit", "#556b2f", "Five horn buttons, two patch pockets."),
    ("KNIT-CSIKOS", "Csíkos striped jumper", "119.00", "knit", "#1f3a5f", "Breton stripes, knitted in Hungary."),
    ("RAIN-FJORD", "Fjord raincoat – ø edition", "229.00", "coat", "#d4a017", "Bonded seams, a deep hood, a map pocket."),
    ("RAIN-CITY", "City raincoat", "199.00", "coat", "#2e4a3f", "A trench-length shell that packs into its own pocket."),
    ("RAIN-PONCHO", "Packable rain poncho", "89.00", "dress", "#e0662c", "For festivals, ferries and sudden showers."),
    ("PARKA-TROMSO", "Winter parka – Tromsø", "289.00", "coat", "#1b2a38", "Recycled down and a fleece-lined collar."),
    ("GILET-DOWN", "Down gilet", "129.00", "gilet", "#7a2e3b", "A warm layer without the bulk of sleeves."),
    ("JACKET-CHORE", "Canvas chore jacket", "169.00", "shirt", "#3b5f7a", "Heavy organic canvas that softens with every wash."),
    ("OVERSHIRT-WOOL", "Wool overshirt", "139.00", "shirt", "#6b4b3a", "Melton wool, two chest pockets."),
    ("TEE-WHITE", "Organic cotton tee – white", "35.00", "tee", "#fafafa", "Heavyweight organic cotton jersey."),
    ("TEE-BLACK", "Organic cotton tee – black", "35.00", "tee", "#222222", "Heavyweight organic cotton jersey."),
    ("TEE-LONG", "Long-sleeve tee", "42.00", "shirt", "#a7b8a8", "Soft slub cotton, ribbed cuffs."),
    ("CAP-WAXED", "Waxed cotton cap", "39.00", "cap", "#4a3b2a", "Six panels of waxed cotton, adjustable strap."),
    ("BAG-TOTE", "Canvas tote bag", "29.00", "bag", "#d9cbb0", "Sturdy canvas with long handles."),
    ("BAG-ROLLTOP", "Roll-top backpack", "119.00", "bag", "#2b2b2b", "Waterproof, with a padded laptop sleeve."),
]

# A product's type, by its drawing: reviews ask the questions editors set per type (the reviews'
# demo sets some).
PRODUCT_TYPES = {
    "shirt": "Shirts", "tee": "Tops", "trousers": "Trousers", "shorts": "Trousers", "dress": "Dresses",
    "scarf": "Accessories", "gloves": "Accessories", "beanie": "Accessories", "cap": "Accessories",
    "socks": "Socks", "box": "Socks", "knit": "Knitwear", "coat": "Outerwear", "gilet": "Outerwear", "bag": "Bags",
}

MEMBERS = {  # e-mail: (number of orders, (newest, oldest) in days ago, favourite kinds)
    "eleni@example.com": (6, (5, 350), ("shirt", "tee", "trousers", "dress", "scarf", "shorts")),
    "maya@example.com": (5, (10, 330), ("knit", "socks", "shirt", "bag")),
    "asne@example.com": (2, (30, 240), ("coat", "socks", "gloves")),
    "jonas@example.com": (2, (20, 150), ("tee", "cap", "bag")),
    "zoltan@example.com": (3, (305, 360), ("socks", "knit", "trousers")),  # lapsed: nothing in the last ten months
}
GUESTS = [
    "ingrid.dahl", "kostas.r", "petra.nagy", "tom.hughes", "sofia.lind", "nikos.pap", "anna.szabo", "oliver.k",
    "marit.haugen", "giorgos.m", "eszter.toth", "liam.o", "kari.nordmann", "dimitra.k", "balazs.f", "chloe.b",
    "henrik.s", "maria.k", "laszlo.v", "emma.w", "sindre.b", "eleftheria", "reka.h", "noah.p", "thea.l", "yannis",
    "zsofia.k", "jack.r", "live.a", "despina.t", "gabor.n", "isla.m", "ola.h", "katerina.v",
]
GUEST_ORDERS = 40
CODES = ("WELCOME10", "SUMMER15", "FRIEND-ELENI")


def product_image(sku, kind, colour, size=800):
    """A flat drawing of the product on a pale background, seeded by its SKU. JPEG bytes."""
    rnd = random.Random(sku)
    base = tuple(int(colour[i:i + 2], 16) for i in (1, 3, 5))
    background = tuple(235 + rnd.randint(0, 15) for _ in range(3))
    img = Image.new("RGB", (size, size), background)
    draw = ImageDraw.Draw(img)
    for _ in range(40):  # a faint speckle, so pictures do not look identical
        x, y, r = rnd.randint(0, size), rnd.randint(0, size), rnd.randint(2, 6)
        draw.ellipse((x - r, y - r, x + r, y + r), fill=tuple(max(0, c - 12) for c in background))
    outline = tuple(max(0, c - 60) for c in base)
    _draw_kind(draw, kind, size, base, outline)
    out = io.BytesIO()
    img.save(out, format="JPEG", quality=85, optimize=True)
    return out.getvalue()


SHAPES = {  # outlines in fractions of the picture
    "tee": [(.30, .20), (.42, .16), (.50, .21), (.58, .16), (.70, .20), (.86, .36), (.76, .43), (.70, .37), (.70, .86),
            (.30, .86), (.30, .37), (.24, .43), (.14, .36)],
    "shirt": [(.31, .17), (.42, .14), (.50, .19), (.58, .14), (.69, .17), (.86, .76), (.78, .79), (.69, .40), (.69, .88),
              (.31, .88), (.31, .40), (.22, .79), (.14, .76)],
    "coat": [(.32, .12), (.42, .09), (.50, .15), (.58, .09), (.68, .12), (.86, .74), (.78, .77), (.68, .40), (.74, .94),
             (.26, .94), (.32, .40), (.22, .77), (.14, .74)],
    "gilet": [(.32, .16), (.43, .13), (.50, .19), (.57, .13), (.68, .16), (.72, .36), (.70, .86), (.30, .86), (.28, .36)],
    "trousers": [(.32, .10), (.68, .10), (.73, .92), (.56, .92), (.50, .36), (.44, .92), (.27, .92)],
    "shorts": [(.29, .26), (.71, .26), (.76, .66), (.54, .66), (.50, .46), (.46, .66), (.24, .66)],
    "dress": [(.39, .10), (.61, .10), (.65, .34), (.80, .92), (.20, .92), (.35, .34)],
    "socks": [(.34, .10), (.52, .10), (.52, .58), (.76, .70), (.72, .84), (.40, .78), (.34, .66)],
    "gloves": [(.34, .30), (.38, .12), (.43, .12), (.45, .28), (.48, .10), (.53, .10), (.54, .28), (.58, .13), (.63, .14),
               (.64, .40), (.72, .34), (.76, .40), (.66, .60), (.64, .86), (.36, .86)],
}


def _draw_kind(draw, kind, size, fill, outline):
    def px(points):
        return [(x * size, y * size) for x, y in points]

    width = max(2, size // 160)
    if kind in SHAPES or kind == "knit":
        draw.polygon(px(SHAPES.get(kind, SHAPES["shirt"])), fill=fill, outline=outline, width=width)
    if kind == "knit":  # ribs and a cable down the front
        for y in (.84, .86):
            draw.line(px([(.31, y), (.69, y)]), fill=outline, width=width)
        for i in range(8):
            y = .25 + i * .07
            draw.arc(px([(.44, y), (.56, y + .08)]), 200, 340, fill=outline, width=width)
    elif kind in ("shirt", "coat"):
        for i in range(5):  # buttons
            y = .26 + i * (.12 if kind == "coat" else .11)
            draw.ellipse(px([(.49, y), (.51, y + .02)]), fill=outline)
    elif kind == "socks":
        draw.rectangle(px([(.34, .10), (.52, .18)]), fill=outline)
    elif kind == "beanie":
        draw.chord(px([(.24, .22), (.76, .86)]), 180, 360, fill=fill, outline=outline, width=width)
        draw.rectangle(px([(.22, .54), (.78, .68)]), fill=outline)
        draw.ellipse(px([(.45, .14), (.55, .24)]), fill=fill, outline=outline, width=width)
    elif kind == "cap":
        draw.chord(px([(.26, .26), (.74, .80)]), 180, 360, fill=fill, outline=outline, width=width)
        draw.polygon(px([(.26, .53), (.74, .53), (.88, .62), (.40, .62)]), fill=outline)
    elif kind == "scarf":
        draw.polygon(px([(.36, .08), (.52, .08), (.66, .84), (.50, .84)]), fill=fill, outline=outline, width=width)
        for i in range(7):  # fringe
            x = .50 + i * .025
            draw.line(px([(x, .84), (x, .92)]), fill=outline, width=width)
    elif kind == "bag":
        draw.arc(px([(.36, .14), (.64, .50)]), 180, 360, fill=outline, width=width * 3)
        draw.rectangle(px([(.24, .32), (.76, .88)]), fill=fill, outline=outline, width=width)
    elif kind == "box":
        draw.rectangle(px([(.18, .30), (.82, .82)]), fill=fill, outline=outline, width=width)
        draw.rectangle(px([(.47, .30), (.53, .82)]), fill=outline)
        draw.rectangle(px([(.18, .53), (.82, .59)]), fill=outline)


LETTER_SIZES = "XS, S, M, L, XL"
SIZES = {  # by drawing; anything else is one size
    "shirt": LETTER_SIZES, "tee": LETTER_SIZES, "dress": LETTER_SIZES, "knit": LETTER_SIZES, "coat": LETTER_SIZES,
    "gilet": LETTER_SIZES, "trousers": "28, 30, 32, 34, 36", "shorts": "28, 30, 32, 34, 36",
    "socks": "36–38, 39–41, 42–44, 45–47", "gloves": "S, M, L",
}
FIBRES = {  # the first word of a name, or the drawing: what it is made of
    "Linen": "100 % European flax linen, washed for softness\nWoven in Lithuania, sewn in Portugal",
    "Αιγαίο": "100 % linen, hand-fringed on Naxos",
    "Merino": "70 % merino wool, 30 % recycled nylon\nKnitted in Italy",
    "Ragg": "80 % wool, 20 % recycled nylon\nKnitted in Norway",
    "Hiking": "60 % merino wool, 38 % recycled nylon, 2 % elastane\nKnitted in Portugal",
    "Sock": "70 % merino wool, 30 % recycled nylon\nBox: recycled card",
    "Wool": "100 % lambswool\nKnitted in Scotland",
    "Ribbed": "100 % lambswool\nKnitted in Scotland",
    "Lambswool": "100 % lambswool, brushed\nKnitted in Scotland",
    "Fisherman's": "100 % undyed wool from Shetland sheep\nHand-finished in Ireland",
    "Csíkos": "100 % merino wool\nKnitted in Hungary",
    "Fjord": "Shell: 100 % recycled polyester, PFC-free waterproofing\nLining: recycled polyester mesh",
    "City": "Shell: organic cotton and recycled polyester, PFC-free waterproofing",
    "Packable": "100 % recycled ripstop polyester, PFC-free waterproofing",
    "Winter": "Shell: recycled polyester\nFill: 90/10 recycled down\nCollar: recycled fleece",
    "Down": "Shell: recycled nylon\nFill: 90/10 recycled down",
    "Canvas": "100 % organic cotton canvas, 12 oz",
    "Organic": "100 % organic cotton jersey, 220 g/m²\nSewn in Portugal",
    "Long-sleeve": "100 % organic slub cotton\nSewn in Portugal",
    "Short-sleeve": "100 % European flax linen, washed for softness\nSewn in Portugal",
    "Waxed": "Waxed organic cotton, brass buckle",
    "Roll-top": "Recycled nylon with a waterproof coating, recycled polyester lining",
}
CARE = {  # by the first word of the materials
    "100 % European": "Wash at 40 °C with similar colours; linen softens with every wash.\n\nDry on a line in the shade, "
                      "and iron while still damp if you like it crisp. We like it creased.",
    "Waxed": "Do not wash: brush off dirt when dry and wipe with a damp cloth.\n\nRe-wax once a season with our bar "
             "to keep it shower-proof.",
    "Shell": "Wash at 30 °C on a gentle cycle with a technical detergent, zips closed.\n\nTumble dry low for twenty "
             "minutes to wake the water repellency; never dry-clean.",
    "Recycled": "Wipe clean with a damp cloth; empty it and let it air out now and then.",
}
WOOL_CARE = ("Air it instead of washing it: wool cleans itself.\n\nWhen it needs a wash, hand-wash cold with wool "
             "detergent, press out the water in a towel and dry flat, away from the sun.\n\nStore folded, with "
             "cedar against moths.")
COTTON_CARE = "Wash at 30 °C inside out with similar colours.\n\nDry on a line; a cool iron if needed."


COLOURS = {  # by SKU: the colour names the product list filters by
    "LIN-SHIRT-SAND": "Sand", "LIN-SHIRT-INDIGO": "Indigo", "LIN-SHIRT-SS": "Ecru", "LIN-TROUSERS": "Olive",
    "LIN-SHORTS": "Sand", "LIN-DRESS": "Rust", "LIN-SCARF": "Blue", "WOOL-SOCKS-MERINO": "Grey", "WOOL-SOCKS-RAGG": "Rust",
    "WOOL-SOCKS-HIKE": "Green", "WOOL-SOCKS-BOX": "Blue, Grey, Green", "WOOL-GLOVES": "Brown", "WOOL-BEANIE": "Red",
    "WOOL-SCARF": "Brown", "KNIT-FISHERMAN": "Ecru", "KNIT-CARDIGAN": "Olive", "KNIT-CSIKOS": "Navy, Ecru",
    "RAIN-FJORD": "Yellow", "RAIN-CITY": "Green", "RAIN-PONCHO": "Orange", "PARKA-TROMSO": "Navy", "GILET-DOWN": "Red",
    "JACKET-CHORE": "Blue", "OVERSHIRT-WOOL": "Brown", "TEE-WHITE": "White", "TEE-BLACK": "Black", "TEE-LONG": "Green",
    "CAP-WAXED": "Brown", "BAG-TOTE": "Sand", "BAG-ROLLTOP": "Black",
}


def product_details(sku, name, kind):
    """Sizes, colours, materials and care for a demo product, from its name and drawing."""
    colour = COLOURS.get(sku, "")
    materials = FIBRES.get(name.split(" ")[0], "")
    first_line = materials.split("\n")[0]
    if "wool" in first_line and "Shell" not in first_line:
        care = WOOL_CARE
    else:
        care = next((text for start, text in CARE.items() if materials.startswith(start)), COTTON_CARE if materials else "")
    return {"sizes": SIZES.get(kind, "One size"), "colours": colour, "materials": materials, "care_guide": care}


def _gallery_pictures(sku, kind, colour):
    """Two more pictures: a close-up of the fabric and the same piece on another ground."""
    main = Image.open(io.BytesIO(product_image(sku, kind, colour)))
    close = main.crop((200, 200, 600, 600)).resize((800, 800), Image.Resampling.LANCZOS)
    out = io.BytesIO()
    close.save(out, format="JPEG", quality=85, optimize=True)
    return [("detail", out.getvalue()), ("styled", product_image(sku + "-styled", kind, colour))]


def _product_details(product, sku, kind, colour):
    details = product_details(sku, product.name, kind)
    missing = {field: value for field, value in details.items() if value and not getattr(product, field)}
    if missing:
        for field, value in missing.items():
            setattr(product, field, value)
        product.save(update_fields=[*missing, "updated_at"])
    if not product.gallery_images.exists():
        alts = {"detail": f"A close-up of the {product.name.lower()}", "styled": f"The {product.name.lower()}, laid flat"}
        for order, (kind_of_picture, data) in enumerate(_gallery_pictures(sku, kind, colour)):
            image = get_image_model()(title=f"{product.name} ({kind_of_picture})", description=alts[kind_of_picture],
                                      file=ImageFile(io.BytesIO(data), name=f"{sku.lower()}-{kind_of_picture}.jpg"))
            image.file_size = len(data)
            image.save()
            ProductImage.objects.create(product=product, image=image, sort_order=order)


def _product_with_image(sku, name, price, kind, colour, description):
    product, created = Product.objects.get_or_create(sku=sku, defaults={
        "name": name, "slug": unique_slug(name), "price": Decimal(price), "currency": "EUR",
        "description": description, "shop_url": "", "product_type": PRODUCT_TYPES.get(kind, ""),
    })
    if not product.product_type and PRODUCT_TYPES.get(kind):  # a demo loaded before types existed
        product.product_type = PRODUCT_TYPES[kind]
        product.save(update_fields=["product_type", "updated_at"])
    if created:
        product.shop_url = SHOP_URL + product.slug + "/"
        product.save(update_fields=["shop_url"])
    if product.image_id is None:
        data = product_image(sku, kind, colour)
        image = get_image_model()(title=name, description=name,
                                  file=ImageFile(io.BytesIO(data), name=f"{sku.lower()}.jpg"))
        image.file_size = len(data)
        image.save()
        product.image = image
        product.save(update_fields=["image", "updated_at"])
    _product_details(product, sku, kind, colour)
    return product, created


# --- orders ------------------------------------------------------------------------------------

def order_plan(today, products):
    """The demo orders: a list of dicts, the same for the same day and catalogue (a seeded generator)."""
    rnd = random.Random(SEED)
    by_kind = {}
    for product in products:
        by_kind.setdefault(product["kind"], []).append(product)
    plan = []

    def add(email, days_ago, kinds, status="paid"):
        placed_at = today - datetime.timedelta(days=days_ago) + datetime.timedelta(
            hours=rnd.randint(7, 22), minutes=rnd.randint(0, 59))
        chosen = []
        for _ in range(rnd.choice((1, 1, 1, 2, 2, 3))):
            product = rnd.choice(by_kind[rnd.choice(kinds)] if kinds else products)
            if product not in chosen:
                chosen.append(product)
        lines = [payloads.LineData(external_id=str(i), sku=p["sku"], name=p["name"],
                                   quantity=rnd.choice((1, 1, 2, 3)) if p["kind"] == "socks" else 1,
                                   unit_price=Decimal(p["price"]))
                 for i, p in enumerate(chosen, start=1)]
        subtotal = sum((line.total for line in lines), Decimal("0.00"))
        code = rnd.choice(CODES) if rnd.random() < 0.25 else None
        discount = (subtotal * Decimal("0.10")).quantize(CENTS, ROUND_HALF_UP) if code else Decimal("0.00")
        plan.append({"id": f"DEMO-{len(plan) + 1001}", "email": email, "placed_at": placed_at, "lines": lines,
                     "refunded_at": min(placed_at + datetime.timedelta(days=9), today),  # if it is returned
                     "subtotal": subtotal, "discount": discount, "codes": [code] if code else [], "status": status})

    for email, (count, (newest, oldest), kinds) in MEMBERS.items():
        step = (oldest - newest) / max(count - 1, 1)
        for i in range(count):
            add(email, round(oldest - i * step) if count > 1 else oldest, kinds)
    for i in range(GUEST_ORDERS):
        add(f"{GUESTS[i % len(GUESTS)]}@example.net", rnd.randint(1, 364), ())

    def first(email):
        return next(order for order in plan if order["email"] == email)

    # what happened afterwards: returns (full and partial) and a cancellation
    maya = [order for order in plan if order["email"] == "maya@example.com"]
    maya[1]["status"] = "refunded"
    eleni = [order for order in plan if order["email"] == "eleni@example.com"]
    eleni[2]["status"] = "partial"
    first("asne@example.com")["status"] = "partial"
    jonas = [order for order in plan if order["email"] == "jonas@example.com"]
    jonas[-1]["status"] = "cancelled"
    guests = [order for order in plan if order["email"].endswith("@example.net")]
    guests[3]["status"] = "refunded"
    guests[11]["status"] = "partial"
    guests[20]["status"] = "pending"  # paid by bank transfer, not arrived yet
    return plan


def _place(entry):
    """Create (or find) one demo order through the services, with what happened to it since."""
    total = entry["subtotal"] - entry["discount"]
    data = payloads.OrderData(
        external_id=entry["id"], email=entry["email"], placed_at=entry["placed_at"], currency="EUR",
        subtotal=entry["subtotal"], discount_total=entry["discount"], total=total, discount_codes=entry["codes"],
        lines=entry["lines"], paid=entry["status"] not in ("pending", "cancelled"),
    )
    with transaction.atomic():
        order = services.order_upsert(SOURCE, data, raw={"demo": True})
        status = entry["status"]
        if status == "cancelled":
            services.order_cancel(order, entry["placed_at"] + datetime.timedelta(hours=3))
            return
        if data.paid:
            services.order_mark_paid(order, paid_at=entry["placed_at"] + datetime.timedelta(minutes=2))
        if status in ("refunded", "partial"):
            services.refund_record(SOURCE, _refund(entry, total))


def _refund(entry, total):
    """A full return, or a partial refund: one item sent back, or a goodwill refund on a single item."""
    line = entry["lines"][0]
    if entry["status"] == "refunded":
        amount, reason = total, "returned in full"
        lines = [(each.external_id, each.quantity) for each in entry["lines"]]
    elif line.unit_price < total:
        amount, reason, lines = line.unit_price, "returned one: did not fit", [(line.external_id, 1)]
    else:
        amount, reason, lines = (total * Decimal("0.30")).quantize(CENTS, ROUND_HALF_UP), "goodwill: late delivery", []
    return payloads.RefundData(
        external_id=f"{entry['id']}-R1", order_external_id=entry["id"],
        refunded_at=entry["refunded_at"], amount=amount, reason=reason, lines=lines,
    )


def load(stdout):
    created_products = 0
    products = []
    for sku, name, price, kind, colour, description in PRODUCTS:
        with transaction.atomic():
            _product, created = _product_with_image(sku, name, price, kind, colour, description)
        created_products += created
        products.append({"sku": sku, "name": name, "price": price, "kind": kind})
    today = timezone.now().replace(hour=0, minute=0, second=0, microsecond=0)
    plan = order_plan(today, products)
    before = Order.objects.filter(source=SOURCE).count()
    for entry in plan:
        _place(entry)
    created_orders = Order.objects.filter(source=SOURCE).count() - before
    stdout.write(
        f"Demo shop: {len(PRODUCTS)} products ({created_products} new), {len(plan)} orders over the last year "
        f"({created_orders} new); members' orders attach when their e-mail addresses are verified"
    )
