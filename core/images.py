"""The image pipeline: every picture a member uploads goes through `image_process(upload, use)`.

1. Check before decoding: the byte size; the format, sniffed from the file's first bytes (never its
   name or the browser's content type); the width, height and frame count, read from the header by
   the small parsers below, before Pillow opens anything (Pillow's WebP opener, for one, allocates
   the whole canvas on open). Each use has its own caps (an avatar needs far fewer pixels than a
   photo post), absurd aspect ratios are refused, an animation is checked on frames x pixels, and a
   progressive JPEG (whose decoder keeps every coefficient of the full-size image) on its declared
   size and number of scans.
2. Decode only what is needed: the first frame of an animation, and a JPEG at the smallest DCT
   scale (`Image.draft`) that still covers the output size.
3. Re-encode: shrink or crop, apply the EXIF orientation, and write a new file (WebP by default)
   that carries no EXIF, GPS or XMP data, under a random name.

Every refusal is a ValidationError with a clear message, so a form shows it; nothing raises a 500.
Phone photos in HEIC/HEIF are read through pillow-heif; AVIF through Pillow itself.

The caps live in IMAGE_USES below, one entry per use; settings.IMAGE_USES overrides any of them,
e.g. IMAGE_USES = {"avatar": {"max_bytes": 2 * 1024 * 1024}}.
"""

import dataclasses
import io
import uuid
from typing import NamedTuple

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.translation import gettext as _
from PIL import Image

MB = 1024 * 1024


@dataclasses.dataclass(frozen=True)
class ImageUse:
    max_bytes: int  # the uploaded file
    max_pixels: int  # width x height decoded for one frame (a JPEG: after draft scaling)
    max_side: int  # the output's longer side (a square crop: its side)
    square: bool = False  # crop to a centred square
    format: str = "WEBP"  # the output format: WEBP, AVIF, JPEG or PNG
    quality: int = 85
    max_aspect: float = 20.0  # longer side / shorter side
    max_animation_pixels: int = 100_000_000  # frames x width x height an animation may declare
    max_jpeg_scans: int = 40  # a progressive JPEG usually has about 10
    rendition_widths: tuple = (320, 640, 1080, 1600)  # for core.renditions; never more than the master
    uploads_per_hour: int = 20  # for uses that have no rate limit of their own (avatars)
    fallback_width: int = 0  # core.renditions: a JPEG fallback this wide (0: none)
    # A JPEG may come out up to this share smaller than max_side when that lets it be decoded at a
    # reduced scale (a 4,032-pixel photo at half scale is 2,016 wide: a sixth of the work, no resize).
    draft_slack: float = 0.0


IMAGE_USES = {
    "avatar": {"max_bytes": 5 * MB, "max_pixels": 12_600_000, "max_side": 512, "square": True,
               "max_animation_pixels": 50_000_000, "rendition_widths": (96, 192, 384), "uploads_per_hour": 10},
    "forum_picture": {"max_bytes": 5 * MB, "max_pixels": 16_800_000, "max_side": 1600},
    # Post photos are re-encoded while the member waits: a JPEG master costs a tenth of a WebP one
    # (tests/bench/post_pages.py); the AVIF and WebP renditions are made in the background.
    "post_photo": {"max_bytes": 15 * MB, "max_pixels": 25_000_000, "max_side": 2048, "format": "JPEG", "quality": 86,
                   "draft_slack": 0.05,
                   "rendition_widths": (320, 640, 1080, 1600, 2048), "fallback_width": 1080},
    "review_photo": {"max_bytes": 10 * MB, "max_pixels": 16_800_000, "max_side": 1600},
}

# What we accept: the format the header says -> the Pillow plugin that opens it.
PILLOW_FORMATS = {"JPEG": "JPEG", "PNG": "PNG", "GIF": "GIF", "WEBP": "WEBP", "AVIF": "AVIF", "HEIF": "HEIF"}
# For <input type="file" accept="...">: what phones and browsers should offer.
IMAGE_ACCEPT = "image/jpeg,image/png,image/webp,image/gif,image/avif,image/heic,image/heif,.heic,.heif"
EXTENSIONS = {"WEBP": "webp", "AVIF": "avif", "JPEG": "jpg", "PNG": "png"}
ORIENTATION = 0x0112
TRANSPOSE = {
    2: Image.Transpose.FLIP_LEFT_RIGHT, 3: Image.Transpose.ROTATE_180, 4: Image.Transpose.FLIP_TOP_BOTTOM,
    5: Image.Transpose.TRANSPOSE, 6: Image.Transpose.ROTATE_270, 7: Image.Transpose.TRANSVERSE,
    8: Image.Transpose.ROTATE_90,
}


def _register_heif():
    try:
        from pillow_heif import register_heif_opener
    except ImportError:  # pragma: no cover - HEIC is then refused as an unknown format
        return False
    register_heif_opener()
    return True


HEIF_AVAILABLE = _register_heif()  # once, when the module is first imported


def image_use(name):
    """The ImageUse called `name`: the defaults above with settings.IMAGE_USES[name] over them."""
    if isinstance(name, ImageUse):
        return name
    overrides = getattr(settings, "IMAGE_USES", {}).get(name, {})
    return ImageUse(**{**IMAGE_USES[name], **overrides})


# --- reading headers ----------------------------------------------------------------------------

class ImageHeader(NamedTuple):
    format: str  # JPEG, PNG, GIF, WEBP, AVIF or HEIF
    width: int
    height: int
    frames: int = 1
    progressive: bool = False  # JPEG only
    scans: int = 0  # JPEG only: SOS markers seen (counting stops past the cap)

    @property
    def pixels(self):
        return self.width * self.height


class BadHeader(ValueError):
    pass


def _u16be(data, pos):
    return int.from_bytes(data[pos:pos + 2], "big")


def _u32be(data, pos):
    return int.from_bytes(data[pos:pos + 4], "big")


def _u16le(data, pos):
    return int.from_bytes(data[pos:pos + 2], "little")


def _need(data, end):
    if len(data) < end:
        raise BadHeader("truncated")


SOF_MARKERS = {0xC0, 0xC1, 0xC2, 0xC3, 0xC5, 0xC6, 0xC7, 0xC9, 0xCA, 0xCB, 0xCD, 0xCE, 0xCF}
PROGRESSIVE_SOF = {0xC2, 0xC6, 0xCA, 0xCE}


def _jpeg(data, max_scans):
    pos, size, progressive, scans = 2, None, False, 0
    n = len(data)
    while pos + 1 < n:
        if data[pos] != 0xFF:
            raise BadHeader("marker expected")
        marker = data[pos + 1]
        if marker == 0xFF:  # fill byte
            pos += 1
            continue
        if marker == 0x01 or 0xD0 <= marker <= 0xD8:  # markers without a length
            pos += 2
            continue
        if marker == 0xD9:  # end of image
            break
        _need(data, pos + 4)
        length = _u16be(data, pos + 2)
        if length < 2:
            raise BadHeader("bad segment length")
        if marker in SOF_MARKERS and size is None:
            _need(data, pos + 9)
            size = (_u16be(data, pos + 7), _u16be(data, pos + 5))
            progressive = marker in PROGRESSIVE_SOF
        pos += 2 + length
        if marker == 0xDA:  # start of scan: entropy-coded data follows, up to the next marker
            scans += 1
            if size is None:
                raise BadHeader("scan before frame header")
            if not progressive or scans > max_scans:
                break
            while True:
                pos = data.find(b"\xff", pos)
                if pos < 0 or pos + 1 >= n:
                    pos = n
                    break
                follower = data[pos + 1]
                if follower == 0x00 or 0xD0 <= follower <= 0xD7:  # a stuffed byte, a restart marker
                    pos += 2
                elif follower == 0xFF:
                    pos += 1
                else:
                    break
    if size is None or not all(size):
        raise BadHeader("no frame header")
    return ImageHeader("JPEG", size[0], size[1], 1, progressive, scans)


def _png(data):
    _need(data, 24)
    if data[12:16] != b"IHDR":
        raise BadHeader("no IHDR")
    width, height, frames, pos = _u32be(data, 16), _u32be(data, 20), 1, 8
    while pos + 8 <= len(data):  # chunks up to the image data: an animation says its frame count in acTL
        length, kind = _u32be(data, pos), data[pos + 4:pos + 8]
        if kind == b"acTL":
            _need(data, pos + 12)
            frames = max(1, _u32be(data, pos + 8))
        if kind == b"IDAT":
            break
        pos += 12 + length
    return ImageHeader("PNG", width, height, frames)


def _gif(data, max_frames):
    _need(data, 13)
    width, height, flags = _u16le(data, 6), _u16le(data, 8), data[10]
    pos, frames, n = 13, 0, len(data)
    if flags & 0x80:
        pos += 3 << ((flags & 7) + 1)

    def skip_sub_blocks(pos):
        while pos < n:
            size = data[pos]
            pos += 1 + size
            if not size:
                break
        return pos

    while pos < n and frames <= max_frames:
        block = data[pos]
        if block == 0x3B:  # trailer
            break
        if block == 0x2C:  # a frame: Pillow grows the canvas when a frame reaches past it
            _need(data, pos + 10)
            left, top = _u16le(data, pos + 1), _u16le(data, pos + 3)
            width, height = max(width, left + _u16le(data, pos + 5)), max(height, top + _u16le(data, pos + 7))
            frame_flags = data[pos + 9]
            pos += 10
            if frame_flags & 0x80:
                pos += 3 << ((frame_flags & 7) + 1)
            pos = skip_sub_blocks(pos + 1)  # after the LZW code size
            frames += 1
        elif block == 0x21:  # an extension
            pos = skip_sub_blocks(pos + 2)
        else:
            break
    if not frames:
        raise BadHeader("no frame")
    return ImageHeader("GIF", width, height, frames)


def _webp(data):
    _need(data, 30)
    kind = data[12:16]
    if kind == b"VP8 ":
        if data[23:26] != b"\x9d\x01\x2a":
            raise BadHeader("bad VP8 frame")
        return ImageHeader("WEBP", _u16le(data, 26) & 0x3FFF, _u16le(data, 28) & 0x3FFF)
    if kind == b"VP8L":
        if data[20] != 0x2F:
            raise BadHeader("bad VP8L signature")
        bits = int.from_bytes(data[21:25], "little")
        return ImageHeader("WEBP", (bits & 0x3FFF) + 1, ((bits >> 14) & 0x3FFF) + 1)
    if kind == b"VP8X":
        width = int.from_bytes(data[24:27], "little") + 1
        height = int.from_bytes(data[27:30], "little") + 1
        frames, pos = 0, 12
        while data[20] & 0x02 and pos + 8 <= len(data):  # animated: count the ANMF chunks
            size = int.from_bytes(data[pos + 4:pos + 8], "little")
            frames += data[pos:pos + 4] == b"ANMF"
            pos += 8 + size + (size & 1)
        return ImageHeader("WEBP", width, height, max(frames, 1))
    raise BadHeader("unknown WebP chunk")


def _boxes(data, start, end):
    """The ISO base media file format's boxes between start and end: (type, payload start, end)."""
    pos = start
    while pos + 8 <= end:
        size, kind, header = _u32be(data, pos), data[pos + 4:pos + 8], 8
        if size == 1:
            _need(data, pos + 16)
            size, header = int.from_bytes(data[pos + 8:pos + 16], "big"), 16
        elif size == 0:
            size = end - pos
        if size < header or pos + size > end:
            raise BadHeader("bad box size")
        yield kind, pos + header, pos + size
        pos += size


CONTAINERS = {b"meta": 4, b"iprp": 0, b"ipco": 0, b"moov": 0, b"trak": 0, b"mdia": 0, b"minf": 0, b"stbl": 0}
HEIF_BRANDS = {b"heic", b"heix", b"heim", b"heis", b"hevc", b"hevx", b"hevm", b"hevs", b"mif1", b"msf1"}


def _isobmff(data):
    """AVIF and HEIF: the brand from ftyp, the size from every ispe property (the largest counts,
    which is at least the primary image), the frames of a sequence from its sample table."""
    _need(data, 16)
    ftyp_end = _u32be(data, 0)
    _need(data, ftyp_end)
    brands = {data[8:12]} | {data[i:i + 4] for i in range(16, ftyp_end - 3, 4)}
    if brands & {b"avif", b"avis"}:
        fmt = "AVIF"
    elif brands & HEIF_BRANDS:
        fmt = "HEIF"
    else:
        raise BadHeader("unknown brand")
    best, frames = (0, 0), 1

    def walk(start, end, depth):
        nonlocal best, frames
        for kind, payload, box_end in _boxes(data, start, end):
            if kind in CONTAINERS and depth < 8:
                walk(payload + CONTAINERS[kind], box_end, depth + 1)
            elif kind == b"ispe":
                _need(data, payload + 12)
                size = (_u32be(data, payload + 4), _u32be(data, payload + 8))
                if size[0] * size[1] > best[0] * best[1]:
                    best = size
            elif kind == b"stsz":
                _need(data, payload + 12)
                frames = max(frames, _u32be(data, payload + 8))

    walk(ftyp_end, len(data), 0)
    if not all(best):
        raise BadHeader("no image size")
    return ImageHeader(fmt, best[0], best[1], frames)


def image_header(data, *, max_frames=10_000, max_scans=100):
    """The ImageHeader of `data` (the file's bytes), read without decoding anything; BadHeader when
    the bytes are not a JPEG, PNG, GIF, WebP, AVIF or HEIF image, or are cut short. Counting frames
    and JPEG scans stops past `max_frames` and `max_scans`."""
    try:
        if data[:3] == b"\xff\xd8\xff":
            return _jpeg(data, max_scans)
        if data[:8] == b"\x89PNG\r\n\x1a\n":
            return _png(data)
        if data[:6] in (b"GIF87a", b"GIF89a"):
            return _gif(data, max_frames)
        if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
            return _webp(data)
        if data[4:8] == b"ftyp":
            return _isobmff(data)
    except IndexError as error:
        raise BadHeader("truncated") from error
    raise BadHeader("unknown format")


# --- checking and re-encoding ---------------------------------------------------------------------

class ProcessedImage(NamedTuple):
    content: ContentFile  # named <random hex>.<ext>
    width: int
    height: int


def _invalid():
    return ValidationError(_("That file is not an image we can read."), code="invalid")


def _unknown_format():
    return ValidationError(_("That file is not an image we can read: upload a JPEG, PNG, WebP, GIF, AVIF or HEIC image."),
                           code="format")


def _too_many_pixels(width, height, limit):
    return ValidationError(
        _("The image has too many pixels (%(width)s × %(height)s); the limit is %(limit)s megapixels.")
        % {"width": width, "height": height, "limit": f"{limit / 1_000_000:.0f}"},
        code="too_many_pixels",
    )


def image_check(data, use):
    """Refuse `data` (bytes) unless its header fits `use`; return its ImageHeader."""
    use = image_use(use)
    try:
        header = image_header(data, max_scans=use.max_jpeg_scans)
    except BadHeader:
        if data[:2] == b"\xff\xd8" or data[:4] in (b"\x89PNG", b"GIF8", b"RIFF") or data[4:8] == b"ftyp":
            raise _invalid() from None
        raise _unknown_format() from None
    if header.format == "HEIF" and not HEIF_AVAILABLE:
        raise _unknown_format()
    width, height = header.width, header.height
    if not width or not height:
        raise _invalid()
    if max(width, height) / min(width, height) > use.max_aspect:
        raise ValidationError(
            _("The image is too long and thin (%(width)s × %(height)s); one side may be at most %(ratio)s times the other.")
            % {"width": width, "height": height, "ratio": f"{use.max_aspect:g}"},
            code="aspect",
        )
    if header.frames > 1 and header.frames * header.pixels > use.max_animation_pixels:
        raise ValidationError(_("The animation is too big (%(frames)s frames of %(width)s × %(height)s). "
                                "Upload a still picture or a shorter animation.")
                              % {"frames": header.frames, "width": width, "height": height}, code="animation")
    if header.progressive and header.scans > use.max_jpeg_scans:
        raise _invalid()
    # A JPEG is decoded at a reduced scale (see _open) unless it is progressive: libjpeg then holds
    # the coefficients of the whole image, so its declared size counts. Everything else counts in full.
    if header.format != "JPEG" or header.progressive:
        if header.pixels > use.max_pixels:
            raise _too_many_pixels(width, height, use.max_pixels)
    elif _draft_pixels(header, use) > use.max_pixels:
        raise _too_many_pixels(width, height, use.max_pixels)
    return header


def _draft_request(width, height, use):
    """The smallest size a decoder may scale to and still give the output its full size (less the
    use's draft_slack: a JPEG whose half-scale decode falls just short of max_side is decoded at half
    scale and kept at that size, instead of decoded in full and resized)."""
    if use.square:
        return use.max_side, use.max_side
    longer = max(width, height)
    side = use.max_side - int(use.max_side * use.draft_slack)
    if longer <= side:
        return width, height
    return max(1, -(-width * side // longer)), max(1, -(-height * side // longer))


def _draft_pixels(header, use):
    """The pixels Pillow's JPEG draft will decode (its scale is 1/1, 1/2, 1/4 or 1/8)."""
    want = _draft_request(header.width, header.height, use)
    scale = min(header.width // want[0], header.height // want[1])
    scale = next((s for s in (8, 4, 2, 1) if scale >= s), 1)
    return -(-header.width // scale) * -(-header.height // scale)


def _output_size(width, height, use):
    if use.square:
        side = min(use.max_side, width, height)
        return side, side
    longer = max(width, height)
    if longer <= use.max_side:
        return width, height
    return max(1, round(width * use.max_side / longer)), max(1, round(height * use.max_side / longer))


def _working_mode(img):
    """The image in L, LA, RGB or RGBA: the modes resizing works in. Grey stays one channel until
    after the resize, so a big grey or black-and-white picture costs a third of the memory."""
    if img.mode in ("I;16", "I;16L", "I;16B", "I;16N", "I"):  # 16-bit grey: scale, do not clip
        return img.convert("I").point(lambda value: value * (1 / 256)).convert("L")
    if img.mode in ("1", "F"):
        return img.convert("L")
    has_alpha = img.mode in ("RGBA", "LA", "PA", "RGBa", "La") or "transparency" in img.info
    if img.mode in ("L", "LA"):
        mode = "LA" if has_alpha else "L"
    else:
        mode = "RGBA" if has_alpha else "RGB"
    return img if img.mode == mode else img.convert(mode)


def _encode(img, header, use):
    img.load()  # decodes the first frame only; a JPEG at its draft scale
    orientation = img.getexif().get(ORIENTATION, 1) if header.format != "HEIF" else 1  # libheif rotates itself
    img = _working_mode(img)
    if orientation in (5, 6, 7, 8):  # the picture stands on its side: size it as it will be seen
        height, width = img.size
    else:
        width, height = img.size
    out_w, out_h = _output_size(width, height, use)
    if orientation in (5, 6, 7, 8):
        width, height, out_w, out_h = height, width, out_h, out_w
    box = (0, 0, width, height)
    if use.square:  # a centred square
        side = min(width, height)
        left, top = (width - side) // 2, (height - side) // 2
        box = (left, top, left + side, top + side)
    if (out_w, out_h) != img.size or box != (0, 0, *img.size):
        img = img.resize((out_w, out_h), Image.Resampling.LANCZOS, box=box, reducing_gap=3.0)
    if orientation in TRANSPOSE:
        img = img.transpose(TRANSPOSE[orientation])
    if img.mode in ("L", "LA"):
        img = img.convert("RGBA" if img.mode == "LA" else "RGB")
    if use.format == "JPEG" and img.mode == "RGBA":
        background = Image.new("RGB", img.size, (255, 255, 255))
        background.paste(img, mask=img.getchannel("A"))
        img = background
    out = io.BytesIO()
    options = {"quality": use.quality}
    if use.format == "WEBP":
        options["method"] = 4
    img.save(out, format=use.format, **options)  # a fresh image: no EXIF, XMP or ICC text is passed on
    return ProcessedImage(ContentFile(out.getvalue(), name=f"{uuid.uuid4().hex}.{EXTENSIONS[use.format]}"), *img.size)


def image_process(uploaded, use):
    """Check an uploaded file for `use` (an IMAGE_USES name or an ImageUse) and return it
    re-encoded as a ProcessedImage(content, width, height); ValidationError with a clear message
    when it is refused."""
    use = image_use(use)
    if uploaded.size > use.max_bytes:
        raise ValidationError(
            _("The image is %(size)s MB; the limit is %(limit)s MB.")
            % {"size": f"{uploaded.size / MB:.1f}", "limit": f"{use.max_bytes / MB:g}"},
            code="too_large",
        )
    uploaded.seek(0)
    data = uploaded.read(use.max_bytes + 1)
    header = image_check(data, use)
    try:
        with Image.open(io.BytesIO(data), formats=[PILLOW_FORMATS[header.format]]) as img:
            # Our parser and Pillow's must agree; a file that means one thing to one and another
            # to the other is not a picture anyone took.
            if img.size[0] * img.size[1] > header.pixels:
                raise _invalid()
            if header.format == "JPEG":
                img.draft("RGB" if img.mode == "RGB" else None, _draft_request(*img.size, use))
                if img.size[0] * img.size[1] > use.max_pixels:
                    raise _too_many_pixels(header.width, header.height, use.max_pixels)
            return _encode(img, header, use)
    except ValidationError:
        raise
    except (OSError, SyntaxError, ValueError, TypeError, EOFError, IndexError, KeyError, RuntimeError,
            MemoryError, Image.DecompressionBombError):
        raise _invalid() from None
