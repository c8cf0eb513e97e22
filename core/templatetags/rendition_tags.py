"""{% image %}, {% srcset_image %} and {% picture %} with Wagtail's syntax, that never make a
rendition in the request: a missing one is queued for the task worker and a stand-in is shown
meanwhile (core.wagtail_renditions). Load `rendition_tags` instead of `wagtailimages_tags`.

A {% picture %} or {% srcset_image %} with any rendition missing shows one <img>: the stand-in for
the largest of its specs, since the stand-in's file is in one format whatever the <source> says."""

from django import template
from wagtail.images.models import Picture, ResponsiveImage
from wagtail.images.templatetags import wagtailimages_tags as wagtail_tags

from ..wagtail_renditions import is_pending, renditions_or_pending

register = template.Library()


def _pending_only(renditions):
    """When any rendition is pending, the widest stand-in alone (see the module's docstring)."""
    pending = [(spec, r) for spec, r in renditions.items() if is_pending(r)]
    if not pending:
        return renditions
    spec, widest = max(pending, key=lambda item: item[1].width)
    return {spec: widest}


class ImageNode(wagtail_tags.ImageNode):
    def render(self, context):
        image = self.validate_image(context)
        if not image:
            return ""
        filter = self.get_filter()
        rendition = renditions_or_pending(image, [filter], context.get("request"))[filter.spec]
        if self.output_var_name:
            context[self.output_var_name] = rendition
            return ""
        return rendition.img_tag({key: value.resolve(context) for key, value in self.attrs.items()})


class SrcsetImageNode(wagtail_tags.SrcsetImageNode):
    wrapper = ResponsiveImage

    def render(self, context):
        image = self.validate_image(context)
        if not image:
            return ""
        renditions = _pending_only(renditions_or_pending(image, self.get_filters(), context.get("request")))
        if self.output_var_name:
            context[self.output_var_name] = self.wrapper(renditions)
            return ""
        attrs = {key: value.resolve(context) for key, value in self.attrs.items()}
        return self.wrapper(renditions, attrs).__html__()


class PictureNode(SrcsetImageNode):
    wrapper = Picture


NODES = {wagtail_tags.ImageNode: ImageNode, wagtail_tags.SrcsetImageNode: SrcsetImageNode,
         wagtail_tags.PictureNode: PictureNode}


def image(parser, token):
    """Wagtail's parser (same syntax, same errors), with the nodes above."""
    node = wagtail_tags.image(parser, token)
    return NODES[type(node)](node.image_expr, node.filter_specs, output_var_name=node.output_var_name,
                             attrs=node.attrs)


register.tag("image", image)
register.tag("srcset_image", image)
register.tag("picture", image)
