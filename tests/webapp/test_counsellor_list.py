"""A counsellor's list of youths comes a page at a time, however many are assigned."""

from __future__ import annotations

import re

import pytest
from flask import Flask

from tests.factories import World, YouthFactory
from webapp.extensions import db


def _listed(page: str) -> list[str]:
    return re.findall(r'href="/counsellor/youths/([\w-]+)"', page)


@pytest.mark.parametrize("hostile", ["0", "-1", "abc", "9" * 40, "%E2%88%9E"])
def test_the_list_pages_through_every_assigned_youth_once(
    world: World, app: Flask, hostile: str
) -> None:
    per_page = app.config["PAGE_SIZE"]
    with app.app_context():
        YouthFactory.create_batch(per_page + 3, counsellor=world.user("counsellor"))
        db.session.commit()
    client = world.client_for("counsellor")
    first = client.get("/counsellor/").get_data(as_text=True)
    assert len(_listed(first)) == per_page
    assert 'aria-label="Sider"' in first
    pages = [first] + [client.get(f"/counsellor/?page={n}").get_data(as_text=True) for n in (2, 3)]
    seen = [youth for page in pages[:2] for youth in _listed(page)]
    assert len(seen) == len(set(seen)) > per_page
    assert _listed(pages[2]) == _listed(pages[1])  # past the last page: the last
    calm = client.get(f"/counsellor/?page={hostile}")
    assert calm.status_code == 200
    assert len(_listed(calm.get_data(as_text=True))) > 0
