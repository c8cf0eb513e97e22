"""The help centre for `manage.py load_demo` (after the pages): /help/ with an FAQ, a size
guide, returns and a care guide (product pages link to it). Idempotent."""

from .models import HelpIndexPage, HelpPage, HelpTopic, HomePage

PAGES = [
    ("faq", "Frequently asked questions", HelpTopic.FAQ, "Orders, delivery, accounts and points, in short.", [
        ("How long does delivery take?",
         "Two to four working days in Europe. You get a tracking e-mail when your parcel leaves."),
        ("How do I earn points?",
         "Orders, reviews, photo posts, solved forum answers and challenges all earn points. See your account."),
        ("Can I change my order?",
         "Within an hour of ordering: write to us in “Ask the team” and we catch it before it is packed."),
    ]),
    ("sizing", "Size guide", HelpTopic.SIZING, "How our clothes fit, and how to measure yourself.", [
        ("Tops and shirts", "Measure your chest at its widest. S: 88–94 cm, M: 95–101 cm, L: 102–108 cm, XL: 109–115 cm."),
        ("Trousers", "Measure your waist where your trousers sit. Our trousers are cut straight with a mid rise."),
        ("Between two sizes?", "Take the smaller size for a close fit, the larger to wear layers underneath."),
    ]),
    ("returns", "Returns and exchanges", HelpTopic.RETURNS, "30 days to change your mind, sale items too.", [
        ("How do I return something?", "Use the return form in your order e-mail; the return label is free within Europe."),
        ("When do I get my money back?", "Within five working days of the parcel reaching us."),
    ]),
    ("care", "Caring for your clothes", HelpTopic.CARE, "Wash less, wash cool, mend early: clothes that last.", [
        ("Linen", "Wash at 30 °C, hang to dry, iron while still damp. It softens with every wash."),
        ("Wool", "Air it instead of washing it; hand wash cold with wool detergent and dry it flat."),
        ("Waxed cotton", "Brush off dirt when dry; re-wax once a year. Never in the washing machine."),
    ]),
]


def _body(sections):
    blocks = []
    for heading, text in sections:
        blocks.append({"type": "paragraph", "value": f"<h2>{heading}</h2><p>{text}</p>"})
    return blocks


def load(stdout):
    home = HomePage.objects.filter(depth=2).order_by("path").first()
    if home is None:
        stdout.write("Demo help centre: skipped, there is no home page")
        return
    index = HelpIndexPage.objects.child_of(home).first()
    made = 0
    if index is None:
        index = home.add_child(instance=HelpIndexPage(
            title="Help centre", slug="help", show_in_menus=False,
            intro="Sizes, care, returns and the questions we hear most. Still stuck? Ask the team."))
        index.save_revision().publish()
        made += 1
    for slug, title, topic, intro, sections in PAGES:
        if HelpPage.objects.child_of(index).filter(slug=slug).exists():
            continue
        page = index.add_child(instance=HelpPage(title=title, slug=slug, topic=topic, intro=intro, body=_body(sections)))
        page.save_revision().publish()
        made += 1
    stdout.write(f"Demo help centre: {made} pages made (/help/)")
