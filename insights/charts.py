"""Bar charts drawn on the server as SVG geometry (the template draws them with a title, a
description and the numbers as text, and every chart has its table beside it)."""

WIDTH = 640
LABEL_HEIGHT = 34
TOP = 22
PLOT_HEIGHT = 180


def columns(points, *, percent=False):
    """`points`: [(label, value or None)]. Returns {"width", "height", "bars": [{x, y, w, h, label,
    text}], "baseline"}; bars scale to the largest value; None draws no bar and says "–"."""
    values = [v for _label, v in points if v is not None]
    largest = max([abs(v) for v in values] + [0]) or 1
    count = max(len(points), 1)
    slot = WIDTH / count
    bar = max(min(slot * 0.7, 48), 2)
    bars = []
    for i, (label, value) in enumerate(points):
        h = 0 if value is None else round(abs(value) / largest * PLOT_HEIGHT, 1)
        x = round(i * slot + (slot - bar) / 2, 1)
        if value is None:
            text = "–"
        elif percent:
            text = f"{value * 100:.0f}%"
        else:
            text = f"{value:.0f}" if float(value) >= 100 or float(value).is_integer() else f"{value:.2f}"
        bars.append({"x": x, "y": round(TOP + PLOT_HEIGHT - h, 1), "w": round(bar, 1), "h": h, "label": label,
                     "text": text, "cx": round(x + bar / 2, 1), "text_y": round(TOP + PLOT_HEIGHT - h - 5, 1)})
    return {"width": WIDTH, "height": TOP + PLOT_HEIGHT + LABEL_HEIGHT, "bars": bars,
            "baseline": TOP + PLOT_HEIGHT, "label_y": TOP + PLOT_HEIGHT + 16, "small": count > 14}


def heat(share):
    """A colour step (0–5) for a cohort cell; the number is always printed too."""
    if share is None:
        return None
    return min(5, int(share * 10 + 0.999)) if share > 0 else 0
