"""The hashtag rules of community/posts/hashtags.py, table-driven (one row per rule or edge)."""

import unicodedata

import pytest
from django.core.exceptions import ValidationError

from community.posts.hashtags import MAX_LENGTH, MAX_PER_TEXT, hashtag_key, hashtags_parse, hashtags_validate
from community.posts.markup import render_caption

PARSE = [
    # text                                         names found
    ("#été", ["été"]),
    ("Summer #καλοκαίρι!", ["καλοκαίρι"]),
    ("#sommerlook og #nyár", ["sommerlook", "nyár"]),
    ("#夏 #여름 #лето", ["夏", "여름", "лето"]),
    ("#हिन्दी", ["हिन्दी"]),  # combining vowel signs belong to the tag
    ("#ss24 #my_look", ["ss24", "my_look"]),
    ("#summer-look", ["summer"]),  # a hyphen ends a tag
    ("#linen's", ["linen"]),  # so does an apostrophe
    ("##x", []),  # a doubled # is not a tag
    ("# lone", []),
    ("#", []),
    ("a#b", []),  # # inside a word
    ("&#39;quote", []),  # an HTML entity
    ("we're #1, item #42", []),  # digits only: not a tag
    ("#2024look", ["2024look"]),
    ("see https://example.com/page#section and #real", ["real"]),
    ("http://x.org/#/route #ok", ["ok"]),
    ("www.example.com#frag", []),
    ("example.com/#frag", []),  # after a slash
    ("mail me@x.org#y", []),
    ("(#paren) [#bracket] ¡#hola!", ["paren", "bracket", "hola"]),
    ("line\n#start\n#end", ["start", "end"]),
    ("#Été and #été and #ÉTÉ", ["Été"]),  # one tag, as first written
    ("#Straße #STRASSE", ["Straße"]),  # German ß folds to ss
    ("#İzmir #izmir", ["İzmir", "izmir"]),  # Turkish dotted capital I folds to i + dot: another tag
    ("#ılık #ilik", ["ılık", "ilik"]),  # dotless i stays apart
    ("#ete #été", ["ete", "été"]),  # accents are kept
    ("#a#b", ["a"]),  # the second # follows a tag character
    ("#tag.", ["tag"]),
    ("#tag…", ["tag"]),
    ("#e\u0301te\u0301", ["été"]),  # decomposed input is normalised to NFC
    ("#😀", []),  # an emoji is not a letter
    ("#ok😀", ["ok"]),
    ("<b>#x</b>", ["x"]),
]


@pytest.mark.parametrize(("text", "names"), PARSE)
def test_what_is_a_hashtag(text, names):
    assert [name for name, _key in hashtags_parse(text)] == names


KEYS = [
    ("Été", "été"),
    ("#ÉTÉ", "été"),
    ("Straße", "strasse"),
    ("STRASSE", "strasse"),
    ("ΚΑΛΟΚΑΊΡΙ", "καλοκαίρι"),
    ("ΟΔΟΣ", "οδοσ"),  # final sigma folds too, so ὁδός and ΟΔΟΣ meet
    ("οδος", "οδοσ"),
    ("İzmir", "i\u0307zmir"),
    ("IZMIR", "izmir"),
    ("Iğdır", "iğdır"),
    ("NYÁR", "nyár"),
    ("e\u0301te\u0301", "été"),
]


@pytest.mark.parametrize(("name", "key"), KEYS)
def test_keys_are_casefolded_nfc(name, key):
    assert hashtag_key(name) == key
    assert unicodedata.is_normalized("NFC", hashtag_key(name))


def test_at_most_thirty_different_hashtags():
    thirty = " ".join(f"#tag{chr(0x61 + i // 26)}{chr(0x61 + i % 26)}" for i in range(MAX_PER_TEXT))
    assert len(hashtags_validate(thirty)) == MAX_PER_TEXT
    assert len(hashtags_validate(thirty + " #TAGAA #tagab")) == MAX_PER_TEXT  # repeats do not count
    with pytest.raises(ValidationError) as refused:
        hashtags_validate(thirty + " #one_more")
    assert "31" in refused.value.messages[0] and "30" in refused.value.messages[0]


def test_an_overlong_hashtag_is_refused_with_a_message():
    assert hashtags_validate("#" + "a" * MAX_LENGTH)
    with pytest.raises(ValidationError) as refused:
        hashtags_validate("Look #" + "a" * 200)
    assert "200" in refused.value.messages[0]
    assert hashtags_parse("#" + "é" * 200 + " #ok") == [("ok", "ok")]


@pytest.mark.django_db
def test_caption_html_escapes_and_links():
    html = render_caption('<script>alert(1)</script> "#été" & @nobody\nline two #x<y', {})
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert '<a class="hashtag" href="/tags/%C3%A9t%C3%A9/">#été</a>' in html
    assert "@nobody" in html and "mention" not in html
    assert "<br>" in html and "&amp;" in html
    assert '<a class="hashtag" href="/tags/x/">#x</a>&lt;y' in html


@pytest.mark.django_db
def test_caption_mentions_link_known_members():
    html = render_caption("Thanks @Bob and @carol #look", {"bob": "/members/bob/"})
    assert '<a class="mention" href="/members/bob/">@Bob</a>' in html
    assert "@carol" in html


@pytest.mark.django_db
def test_forum_posts_link_hashtags_outside_code_and_links():
    from community.forum.markup import count_links, render_markdown

    html = render_markdown("Hello #été, `#code`, [#link](https://x.org), https://x.org/a#b, #summer-look\n\n# Title #x")
    assert '<a href="/tags/%C3%A9t%C3%A9/" class="hashtag" rel="nofollow ugc noopener">#été</a>' in html
    assert "<code>#code</code>" in html
    assert '<a href="https://x.org" rel="nofollow ugc noopener">#link</a>' in html
    assert "https://x.org/a#b" in html
    assert '>#summer</a>-look' in html
    assert 'href="/tags/x/"' in html
    assert count_links("#a #b #c") == 0
