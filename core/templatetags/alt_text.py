"""{% image_alt %}: a Wagtail image's alt text in the page's language (core.image_alt).

A library of its own: core_images has a {% picture %} of its own that would hide Wagtail's."""

from django import template
from django.conf import settings

from core.image_alt import active_language, image_alt_texts
from core.image_alt import image_alt as alt_for

register = template.Library()


@register.simple_tag(takes_context=True)
def image_alt(context, image, own_text=""):
    """`own_text` when given (a block's alt text, in the language of the text around it), else the
    image's alt text in this language, else its default one. Gives `.text` and `.lang` (the text's
    language, for the <img>'s `lang`; None when it is the surrounding text's):
    {% image_alt page.hero_image as hero_alt %}{% image page.hero_image width-640 alt=hero_alt.text lang=hero_alt.lang %}
    The language's alt texts are read once per request."""
    language = active_language()
    texts = None
    request = context.get("request")
    if request is not None and image is not None and not own_text and language != settings.LANGUAGE_CODE:
        memo = request.__dict__.setdefault("_image_alt_texts", {})
        if language not in memo:
            memo[language] = image_alt_texts(language)
        texts = memo[language]
    return alt_for(image, own_text, language=language, texts=texts)
