"""The survey pages are valid HTML (Nu HTML checker) in each state: confirm, answered with the
comment form, a comment error, thanks, and the link's error pages. (The browser test runs axe on
them.)"""

import pytest
from django.test import Client
from django.urls import reverse

from engagement.lifecycle.surveys import survey_token_make
from tests.conftest import skip_or_fail
from tests.factories import MemberFactory
from tests.pagecheck import format_vnu_message, vnu_check, vnu_command

from .helpers import make_survey, paid_order


@pytest.mark.django_db
def test_survey_pages_are_valid_html(tmp_path):
    command, reason = vnu_command()
    if command is None:
        skip_or_fail(reason)
    member, other = MemberFactory(), MemberFactory()
    from django.utils import timezone
    survey = make_survey(member, order=paid_order(member, paid_at=timezone.now()), type="csat")
    token = survey_token_make(survey)
    answer, comment = reverse("lifecycle:survey", args=[token, 4]), reverse("lifecycle:survey_comment", args=[token])
    client, intruder = Client(), Client()
    intruder.force_login(other)
    pages = [
        ("confirm", lambda: client.get(answer), 200),
        ("recorded", lambda: client.post(answer), 200),
        ("comment error", lambda: client.post(comment, {"comment": " "}), 400),
        ("thanks", lambda: client.post(comment, {"comment": "Fine <b>really</b>"}), 200),
        ("answered", lambda: client.get(answer), 200),
        ("tampered", lambda: client.get(reverse("lifecycle:survey", args=[token + "x", 4])), 400),
        ("other member", lambda: intruder.get(answer), 403),
        ("bad score", lambda: client.get(reverse("lifecycle:survey", args=[token, 9])), 400),
    ]
    rendered, problems = {}, []
    for label, fetch, status in pages:
        response = fetch()
        if response.status_code != status:
            problems.append(f"{label}: {response.status_code}")
        path = tmp_path / f"page-{len(rendered)}.html"
        path.write_text(response.content.decode(), encoding="utf-8")
        rendered[path.resolve()] = (label, response.content.decode().splitlines())
    for path, messages in vnu_check(list(rendered), command).items():
        label, lines = rendered[path]
        problems += [f"{label}:\n{format_vnu_message(m, lines)}" for m in messages]
    assert not problems, "\n".join(problems)
