"""Names as a friend types them: "Been referred by a friend?" on sign-up.

`name_key` folds a name so that what a friend types and what a member calls themself meet however
either was written: Unicode compatibility forms unified (NFKC/NFKD), accents and other combining
marks removed, case folded (Greek final sigma included), punctuation dropped and spaces collapsed.
It works in any script: "Μαρία Παπαδοπούλου" and "μαρια παπαδοπουλου" give one key, as do
"Ödön Kovács" and "odon kovacs", "Åsne" and "asne", "Øyvind" and "oyvind".
"""

import unicodedata

KEY_MAX_LENGTH = 120
# Letters with a stroke or a ligature have no decomposition to strip: fold them by hand, so
# "Øyvind" meets "Oyvind" and "Łukasz" meets "Lukasz" as "Ödön" meets "Odon".
_UNDECOMPOSED = str.maketrans({
    "ø": "o", "ł": "l", "đ": "d", "ð": "d", "ħ": "h", "ŧ": "t", "ı": "i", "ŀ": "l", "ƀ": "b", "ɨ": "i",
    "æ": "ae", "œ": "oe", "þ": "th",
})


def name_key(text):
    """The matching key of a name ("" for a name with no letters or digits)."""
    if not text:
        return ""
    decomposed = unicodedata.normalize("NFKD", str(text))
    kept = []
    for char in decomposed:
        category = unicodedata.category(char)
        if category.startswith("M"):  # combining marks: accents, tonos, umlauts
            continue
        if category[0] in "LN":
            kept.append(char)
        else:  # spaces, punctuation, symbols, controls all separate words
            kept.append(" ")
    folded = unicodedata.normalize("NFKC", "".join(kept)).casefold()
    # casefold can bring back combining marks (such as "İ" -> "i̇"): drop them again
    folded = "".join(char for char in unicodedata.normalize("NFKD", folded) if not unicodedata.category(char).startswith("M"))
    return " ".join(folded.translate(_UNDECOMPOSED).split())[:KEY_MAX_LENGTH]


def referrer_name_refresh(member):
    """Store the member's name keys (models.ReferrerName) as their names are now; remove them for a
    deleted or closed account, which nobody can name as their referrer. One query, race-safe (an
    upsert)."""
    from .models import ReferrerName

    if member.pk is None:
        return
    if getattr(member, "deleted_at", None) is not None or not member.is_active:
        ReferrerName.objects.filter(member_id=member.pk).delete()
        return
    ReferrerName.objects.bulk_create(
        [ReferrerName(member_id=member.pk, name_key=name_key(member.display_name), username_key=name_key(member.username))],
        update_conflicts=True, unique_fields=["member"], update_fields=["name_key", "username_key"],
    )
