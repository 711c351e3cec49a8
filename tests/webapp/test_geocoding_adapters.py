"""The geocoders behind the interface: DAWA against a local fake over real HTTP, and offline.

The DAWA adapter is asked what the board asks (an address with its postcode, a
postcode alone) and must tell "found" (exact or approximate), "not found" and
"no answer" apart, the last as a named error: a timeout, no connection, an
error status or a reply that is not JSON.
"""

from __future__ import annotations

import socket
from collections.abc import Iterator

import pytest

from tests.fake_dawa import FakeDawa, serving
from webapp.models import GeocodeOutcome
from webapp.services import geocoding
from webapp.services.geocoding import (
    NOT_FOUND,
    DawaGeocoder,
    GeocoderBadReplyError,
    GeocoderTimeoutError,
    GeocoderUnreachableError,
    OfflineGeocoder,
    Query,
)

STADION = Query("Stadion Allé 10", "7430")


@pytest.fixture(scope="module")
def dawa() -> Iterator[FakeDawa]:
    with serving() as fake:
        yield fake


@pytest.fixture
def fake(dawa: FakeDawa) -> Iterator[FakeDawa]:
    """The module's fake, answering normally and with an empty record of requests."""
    dawa.mode = "ok"
    dawa.requests.clear()
    yield dawa
    dawa.mode = "ok"


@pytest.fixture
def geocoder(fake: FakeDawa) -> Iterator[DawaGeocoder]:
    with DawaGeocoder(fake.url, timeout_s=10.0) as geocoder:  # never by chance on a busy machine
        yield geocoder


def test_a_known_address_is_located_exactly_with_its_town(
    geocoder: DawaGeocoder, fake: FakeDawa
) -> None:
    answer = geocoder.locate(STADION)
    assert (answer.outcome, answer.lat, answer.lon, answer.town) == (
        GeocodeOutcome.ADDRESS,
        56.1325,
        9.1512,
        "Ikast",
    )
    assert fake.requests == [
        "/postnumre/7430",
        "/datavask/adresser?betegnelse=Stadion+Allé+10,+7430+Ikast",
        "/adresser/0a3f507a-0001?struktur=mini",
    ]


def test_a_misspelt_address_is_taken_but_a_guess_is_not(geocoder: DawaGeocoder) -> None:
    misspelt = geocoder.locate(Query("Stadion Alle 10", "7430"))
    assert (misspelt.outcome, misspelt.lat) == (GeocodeOutcome.ADDRESS, 56.1325)
    # Category C: DAWA doubts the street (another may be meant): the postcode's centre.
    guessed = geocoder.locate(Query("Stadion Vej 10", "7430"))
    assert (guessed.outcome, guessed.lat, guessed.lon) == (
        GeocodeOutcome.ADDRESS_UNKNOWN,
        56.1388,
        9.1580,
    )


@pytest.mark.parametrize(
    ("query", "outcome", "lat"),
    [
        (Query("Ukendtvej 99", "7430"), GeocodeOutcome.ADDRESS_UNKNOWN, 56.1388),
        (Query("", "2200"), GeocodeOutcome.POSTCODE, 55.6970),
        (Query("Nørrebrogade 20", ""), GeocodeOutcome.ADDRESS, 55.6893),
        (Query("", "9999"), GeocodeOutcome.NOT_FOUND, None),
        (Query("Ukendtvej 99", "9999"), GeocodeOutcome.NOT_FOUND, None),
        (Query("Ukendtvej 99", ""), GeocodeOutcome.NOT_FOUND, None),
    ],
)
def test_the_postcode_stands_in_for_an_unknown_street_and_nothing_for_an_unknown_postcode(
    geocoder: DawaGeocoder, query: Query, outcome: GeocodeOutcome, lat: float | None
) -> None:
    answer = geocoder.locate(query)
    assert (answer.outcome, answer.lat) == (outcome, lat)
    assert answer.found == (outcome != GeocodeOutcome.NOT_FOUND)


@pytest.mark.parametrize(
    ("mode", "error", "reason"),
    [
        ("hang", GeocoderTimeoutError, "timeout"),
        ("error", GeocoderBadReplyError, "status 500"),
        ("garbage", GeocoderBadReplyError, "not JSON"),
        ("huge", GeocoderBadReplyError, "over the size limit"),
    ],
)
def test_no_answer_is_a_named_error_not_a_not_found(
    fake: FakeDawa, mode: str, error: type[Exception], reason: str
) -> None:
    fake.mode = mode
    with DawaGeocoder(fake.url, timeout_s=0.2) as geocoder, pytest.raises(error) as raised:
        geocoder.locate(STADION)
    assert reason in str(raised.value)
    assert "Stadion" not in str(raised.value)  # the message is logged: no address in it


def test_a_closed_port_is_unreachable() -> None:
    with socket.socket() as unused:
        unused.bind(("127.0.0.1", 0))
        port = unused.getsockname()[1]
    with (
        DawaGeocoder(f"http://127.0.0.1:{port}", timeout_s=0.5) as geocoder,
        pytest.raises(GeocoderUnreachableError),
    ):
        geocoder.locate(STADION)


def test_the_offline_geocoder_knows_the_table_postcodes_only() -> None:
    offline = OfflineGeocoder()
    ikast = offline.locate(STADION)
    assert (ikast.outcome, ikast.town, ikast.lat) == (GeocodeOutcome.POSTCODE, "Ikast", 56.1388)
    assert offline.locate(Query("", "2200")) == NOT_FOUND
    assert len(geocoding.postcode_centres()) == 12


@pytest.mark.parametrize(
    ("address", "postcode"),
    [
        ("Stadion\x00Allé 10", "7430"),
        ("Stadion Allé 10" * 700, "7430"),  # 10 kB
        ("\u202eStadion Allé 10", "7430"),  # a right-to-left override
        ("شارع الملعب 10", "7430"),  # another script
        ("Stadion Allé 10", "٧٤٣٠"),  # Arabic-Indic digits
        ("Stadion Allé 10", "743"),
        ("", ""),
    ],
)
def test_what_cannot_be_a_danish_address_makes_no_query(address: str, postcode: str) -> None:
    assert Query.of(address, postcode) is None


def test_spellings_that_differ_in_case_spaces_and_commas_are_one_query() -> None:
    one = Query.of("  Stadion  Allé 10, 2. th ", "7430")
    other = Query.of("stadion allé 10 2 th", "7430")
    assert one is not None
    assert other is not None
    assert one.digest == other.digest
    assert one.address == "Stadion Allé 10, 2. th"  # sent as written, spaces tidied
    assert "stadion" not in one.digest


@pytest.mark.parametrize(
    ("settings", "problem"),
    [
        ({"GEOCODER": "google"}, "GEOCODER must be one of dawa, offline"),
        ({"GEOCODER_TIMEOUT_S": "soon"}, "GEOCODER_TIMEOUT_S must be a number"),
        ({"GEOCODER_NOT_FOUND_DAYS": "0"}, "GEOCODER_NOT_FOUND_DAYS must be above 0"),
        ({"GEOCODER_TIMEOUT_S": "inf"}, "GEOCODER_TIMEOUT_S must be above 0"),
        ({"GEOCODER_PAUSE_S": "-1"}, "GEOCODER_PAUSE_S must be 0 or more"),
        ({"GEOCODER": "dawa", "GEOCODER_URL": "ftp://x"}, "GEOCODER_URL must be an http(s)"),
    ],
)
def test_wrong_settings_are_named(settings: dict[str, str], problem: str) -> None:
    config = {
        "GEOCODER": "offline",
        "GEOCODER_URL": geocoding.DEFAULT_URL,
        "GEOCODER_TIMEOUT_S": 3.0,
        "GEOCODER_NOT_FOUND_DAYS": 30,
        "GEOCODER_PAUSE_S": 0,
    }
    assert geocoding.settings_problem(config) is None
    found = geocoding.settings_problem({**config, **settings})
    assert found is not None
    assert found.startswith(problem)
