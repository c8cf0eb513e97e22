"""Forms for writing photo posts. Photos sit in PHOTOS_MAX slots, each a file input with its own
alt text field, so the alt text belongs to its photo without JavaScript (static/js/posts-upload.js
previews chosen photos and reveals the next slot). Each photo is checked and re-encoded by
core.images while the form validates: a bad file is a message on its own field, and nothing is
stored until every photo has passed."""

from urllib.parse import urlsplit

from django import forms
from django.conf import settings
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from wagtail.models import Page, Site

from core.images import IMAGE_ACCEPT, image_process, image_use
from shop.models import Product

from .hashtags import MAX_PER_TEXT, hashtags_validate
from .models import ALT_MAX, CAPTION_MAX, PHOTOS_MAX

# The rights the member grants by ticking the box. Change app_settings.RIGHTS_VERSION with it.
RIGHTS_WORDING = _("The brand may feature these photos on its site and channels, credited to me.")
ALT_HINT = _("Say what the photo shows for someone who cannot see it: who or what is in it, what they wear or do, "
             "where. For example: “Me in the green linen shirt on a pier at sunset”.")
LOOK_PAGE_MODELS = ("content.lookbookpage",)


def look_page_models():
    return tuple(getattr(settings, "POSTS_LOOK_PAGE_MODELS", LOOK_PAGE_MODELS))


class ProductsField(forms.ModelMultipleChoiceField):
    default_error_messages = {
        "invalid_choice": _("One of the products you chose is no longer in the shop's catalogue: "
                            "leave it out and try again."),
        "invalid_pk_value": _("One of the products you chose is no longer in the shop's catalogue: "
                              "leave it out and try again."),
    }

    def label_from_instance(self, obj):
        return obj.name


def products_field():
    return ProductsField(
        queryset=Product.objects.filter(active=True).order_by("name"), required=False, label=_("Products in the photos"),
        help_text=_("Optional: the shop's products you show, so others can shop the look."),
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )


def look_find(value):
    """The live lookbook page that `value` (its address on this site, or its number) names, or a
    ValidationError. Generic over page types (content sits above community): the models named in
    POSTS_LOOK_PAGE_MODELS ("app_label.model")."""
    value = (value or "").strip()
    if not value:
        return None
    pages = Page.objects.live().select_related("content_type")
    page = None
    if value.isdigit():
        page = pages.filter(pk=int(value)).first()
    else:
        path = urlsplit(value).path or "/"
        parts = [p for p in path.split("/") if p]
        if parts and parts[0] in {code for code, _name in settings.LANGUAGES}:
            parts = parts[1:]
        site = Site.objects.filter(is_default_site=True).select_related("root_page").first()
        if site is not None and parts:
            page = pages.filter(url_path=site.root_page.url_path + "/".join(parts) + "/").first()
    if page is None or f"{page.content_type.app_label}.{page.content_type.model}" not in look_page_models():
        raise forms.ValidationError(_("That is not a lookbook page of this site. Paste the address of a lookbook, "
                                      "or leave the field empty."), code="look")
    return page


class CaptionField(forms.CharField):
    def __init__(self, **kwargs):
        super().__init__(
            label=_("Caption"), required=False, max_length=CAPTION_MAX, strip=True,
            help_text=_("#hashtags put your post on their pages (letters, digits and _; a hyphen ends one; up to "
                        "%(n)d). @username tells a member.") % {"n": MAX_PER_TEXT},
            widget=forms.Textarea(attrs={"rows": 4, "maxlength": CAPTION_MAX}), **kwargs)

    def validate(self, value):
        super().validate(value)
        hashtags_validate(value)


class PostForm(forms.Form):
    caption = CaptionField()
    products = None  # set in __init__ (the queryset is read per form)
    look = forms.CharField(label=_("Lookbook look"), required=False, max_length=500,
                           help_text=_("Optional: the address of the lookbook whose look you wear."))
    rights = forms.BooleanField(label=RIGHTS_WORDING, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        megabytes = f"{image_use('post_photo').max_bytes / 1048576:g}"
        for i in range(1, PHOTOS_MAX + 1):
            self.fields[f"photo_{i}"] = forms.FileField(
                label=_("Photo %(n)d") % {"n": i}, required=False,
                help_text=_("JPEG, PNG, WebP, AVIF or HEIC, up to %(mb)s MB.") % {"mb": megabytes},
                widget=forms.ClearableFileInput(attrs={"accept": IMAGE_ACCEPT, "class": "photo-input"}))
            self.fields[f"alt_{i}"] = forms.CharField(label=_("Alt text for photo %(n)d") % {"n": i}, required=False,
                                                      max_length=ALT_MAX, help_text=ALT_HINT)
        self.fields["products"] = products_field()
        self.order_fields([f for i in range(1, PHOTOS_MAX + 1) for f in (f"photo_{i}", f"alt_{i}")]
                          + ["caption", "products", "look", "rights"])

    def slots(self):
        """[(photo bound field, alt bound field)] for the template."""
        return [(self[f"photo_{i}"], self[f"alt_{i}"]) for i in range(1, PHOTOS_MAX + 1)]

    def clean_look(self):
        return look_find(self.cleaned_data.get("look"))

    def clean(self):
        cleaned = super().clean()
        extra = [name for name in self.files if name not in self.fields]
        if extra:
            raise forms.ValidationError(_("A post has at most %(max)d photos.") % {"max": PHOTOS_MAX}, code="too_many")
        photos = []
        for i in range(1, PHOTOS_MAX + 1):
            upload, alt = cleaned.get(f"photo_{i}"), (cleaned.get(f"alt_{i}") or "").strip()
            if not upload:
                continue
            if not alt:
                self.add_error(f"alt_{i}", forms.ValidationError(
                    _("Add the alt text for photo %(n)d: %(hint)s") % {"n": i, "hint": ALT_HINT}, code="alt_missing"))
            try:
                processed = image_process(upload, "post_photo")
            except forms.ValidationError as error:
                self.add_error(f"photo_{i}", error)
                continue
            photos.append((processed.content, alt))
        if not photos and not self.errors:
            self.add_error("photo_1", forms.ValidationError(_("Add at least one photo."), code="no_photo"))
        cleaned["photos"] = photos
        return cleaned


class PostEditForm(forms.Form):
    caption = CaptionField()

    def __init__(self, *args, post, **kwargs):
        super().__init__(*args, **kwargs)
        self.post = post
        self.photo_list = list(post.photos.all())
        for photo in self.photo_list:
            self.fields[f"alt_{photo.pk}"] = forms.CharField(
                label=_("Alt text for photo %(n)d") % {"n": photo.position + 1}, max_length=ALT_MAX, help_text=ALT_HINT,
                initial=photo.alt_text,
                error_messages={"required": _("Every photo needs its alt text.")})
        field = products_field()
        linked = list(post.products.values_list("pk", flat=True))
        # A product linked before it left the catalogue stays linked unless the author removes it.
        field.queryset = Product.objects.filter(Q(active=True) | Q(pk__in=linked)).order_by("name")
        field.initial = linked
        self.fields["products"] = field
        self.fields["caption"].initial = post.caption

    def photo_fields(self):
        return [(photo, self[f"alt_{photo.pk}"]) for photo in self.photo_list]

    def alt_texts(self):
        return {photo.pk: self.cleaned_data[f"alt_{photo.pk}"] for photo in self.photo_list}

