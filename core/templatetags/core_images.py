"""{% picture %}: a stored image and its responsive renditions (see core.renditions)."""

from django import template

from core.renditions import picture_html

register = template.Library()


@register.simple_tag
def picture(file, renditions=None, *, width, height, alt="", sizes="100vw", css_class="", loading="lazy"):
    """`file` is an image field's value; `renditions` the manifest its task recorded (empty until it
    ran). `width`/`height` go on the <img>; `sizes` tells the browser how wide it is shown:
    {% picture member.avatar member.avatar_renditions width=64 height=64 sizes="64px" css_class="avatar" %}"""
    if not file:
        return ""
    return picture_html(file.storage, file.name, width, height, renditions, alt=alt, sizes=sizes,
                        css_class=css_class, loading=loading)
