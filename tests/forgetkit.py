"""A small world for forget tests: two projects that share id strings, a person on two
devices, a shared device, and a hostile id. Plus the disk grep that is forget's bar."""

from __future__ import annotations

import datetime as dt
import subprocess
from pathlib import Path

from tests.eventkit import T0, Event, minutes

HOSTILE_ID = "x' OR 1=1 --"
ADA_EMAIL = "ada.q7k2m@forgetme.test"
BOB_EMAIL = "bob.z9w4t@forgetme.test"


def identify(project: str, device: str, at: dt.datetime, user: str, email: str) -> Event:
    traits = {"email": email, "plan": "pro", "tier": "gold", "team_size": 4}
    return Event(project, device, at, "$identify", user, properties=traits)


def world() -> list[Event]:
    """p1: Ada browses on her laptop from an ad, signs up, buys; later logs in on her phone.
    The laptop is shared: Bob identifies on it after Ada. A hostile id signs up too.
    p2: the same strings 'ada' and 'laptop' belong to someone else entirely."""
    day = dt.timedelta(days=1)
    ad = "https://shop.example/?utm_source=facebook&utm_medium=paid_social&utm_campaign=spring"
    return [
        Event("p1", "laptop", T0, url=ad),
        Event("p1", "laptop", T0 + minutes(5)),
        identify("p1", "laptop", T0 + day, "ada", ADA_EMAIL),
        Event(
            "p1",
            "laptop",
            T0 + day + minutes(2),
            "purchase",
            "ada",
            properties={"revenue": 120.5, "currency": "EUR", "note": ADA_EMAIL},
        ),
        Event("p1", "phone", T0 + 2 * day, url="https://shop.example/?gclid=g1"),
        identify("p1", "phone", T0 + 2 * day + minutes(1), "ada", ADA_EMAIL),
        Event("p1", "laptop", T0 + 3 * day, user_id="ada"),
        identify("p1", "laptop", T0 + 3 * day + minutes(3), "bob", BOB_EMAIL),
        Event(
            "p1",
            "laptop",
            T0 + 3 * day + minutes(4),
            "purchase",
            "bob",
            properties={"revenue": 9.99, "currency": "EUR"},
        ),
        Event("p1", "tablet", T0 + 4 * day, referrer="https://www.google.com/"),
        identify("p1", "tablet", T0 + 4 * day + minutes(1), HOSTILE_ID, "h@forgetme.test"),
        Event("p2", "laptop", T0, url=ad),
        identify("p2", "laptop", T0 + minutes(3), "ada", "other.ada@p2.test"),
        Event(
            "p2",
            "laptop",
            T0 + minutes(9),
            "purchase",
            "ada",
            properties={"revenue": 50, "currency": "USD"},
        ),
    ]


def files_containing(text: str, *folders: Path) -> list[str]:
    """Every file under the folders whose bytes contain text (grep, binary files included)."""
    existing = [str(f) for f in folders if f.exists()]
    if not existing:
        return []
    result = subprocess.run(
        ["grep", "-r", "-l", "-a", "-F", text, *existing], capture_output=True, text=True
    )
    return result.stdout.split()
