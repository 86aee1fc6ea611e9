"""Google Places / Foursquare collectors against a local fake server in the APIs' response shapes."""

import asyncio
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlparse

import pytest

from agents.catalogue import collectors, enrich

GOOGLE_PAGES = {
    None: {"places": [
        {"id": "ChIJ-suya-1", "displayName": {"text": "Glover Court Suya", "languageCode": "en"},
         "formattedAddress": "Glover Rd, Ikoyi, Lagos", "location": {"latitude": 6.4551, "longitude": 3.4370},
         "rating": 4.5, "priceLevel": "PRICE_LEVEL_INEXPENSIVE", "primaryType": "african_restaurant",
         "types": ["african_restaurant", "restaurant", "food", "point_of_interest"]},
        {"id": "ChIJ-bank", "displayName": {"text": "Some Bank"}, "location": {"latitude": 6.45, "longitude": 3.43},
         "primaryType": "bank", "types": ["bank"]},
    ], "nextPageToken": "page-2"},
    "page-2": {"places": [
        {"id": "ChIJ-halal-2", "displayName": {"text": "Halal Shawarma Hub"},
         "location": {"latitude": 6.4290, "longitude": 3.4210}, "rating": 4.1,
         "priceLevel": "PRICE_LEVEL_MODERATE", "primaryType": "middle_eastern_restaurant",
         "types": ["middle_eastern_restaurant", "restaurant"]},
    ]},
}
FSQ_RESULTS = [
    {"fsq_id": "4b0588-fsq", "name": "Trattoria Da Gino", "rating": 8.6, "price": 3,
     "geocodes": {"main": {"latitude": 51.5137, "longitude": -0.1340}},
     "location": {"formatted_address": "Old Compton St, London", "locality": "London"},
     "categories": [{"id": 13236, "name": "Italian Restaurant"}]},
    {"fsq_id": "4b0588-bar", "name": "A Bar", "geocodes": {"main": {"latitude": 51.51, "longitude": -0.13}},
     "categories": [{"id": 13003, "name": "Bar"}]},
]


class FakeAPI(BaseHTTPRequestHandler):
    seen: list = []

    def log_message(self, *args):
        pass

    def _send(self, status, body, headers=()):
        raw = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(raw)))
        for k, v in headers:
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(raw)

    def do_POST(self):
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        FakeAPI.seen.append(("POST", self.path, dict(self.headers), body))
        if self.path != "/v1/places:searchText":
            return self._send(404, {"error": {"code": 404}})
        if self.headers.get("X-Goog-Api-Key") != "g-key":
            return self._send(403, {"error": {"code": 403, "status": "PERMISSION_DENIED"}})
        if "places.location" not in self.headers.get("X-Goog-FieldMask", ""):
            return self._send(400, {"error": {"code": 400, "message": "FieldMask is a required parameter"}})
        self._send(200, GOOGLE_PAGES[body.get("pageToken")])

    def do_GET(self):
        url = urlparse(self.path)
        FakeAPI.seen.append(("GET", url.path, dict(self.headers), parse_qs(url.query)))
        if url.path != "/v3/places/search":
            return self._send(404, {"message": "not found"})
        if self.headers.get("Authorization") != "f-key":
            return self._send(401, {"message": "Invalid request token."})
        q = parse_qs(url.query)
        if "cursor" in q:
            return self._send(200, {"results": FSQ_RESULTS[1:]})
        link = f'<http://{self.headers["Host"]}/v3/places/search?cursor=abc&ll={q["ll"][0]}>; rel="next"'
        self._send(200, {"results": FSQ_RESULTS[:1]}, [("Link", link)])


@pytest.fixture(scope="module")
def fake_api():
    server = ThreadingHTTPServer(("127.0.0.1", 0), FakeAPI)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


def test_google_places_collector(fake_api):
    FakeAPI.seen.clear()
    c = collectors.GooglePlacesCollector("g-key", base_url=fake_api)
    hood = [("Ikoyi", 6.4549, 3.4365)]
    recs = asyncio.run(c.collect("Lagos", hood))
    assert [r["name"] for r in recs] == ["Glover Court Suya", "Halal Shawarma Hub"]  # the bank is dropped
    suya, shawarma = recs
    assert suya["id"] == "r-gp-ChIJ-suya-1" and suya["cuisine"] == "Nigerian" and suya["rating"] == 4.5
    assert suya["neighbourhood"] == "Ikoyi" and suya["menu_source"] == "cuisine_template" and suya["dishes"]
    assert shawarma["cuisine"] == "Halal Cart" and shawarma["halal_certified"] and not suya["halal_certified"]
    assert shawarma["neighbourhood"] == "Victoria Island"
    posts = [s for s in FakeAPI.seen if s[0] == "POST"]
    assert len(posts) == 2 and posts[1][3]["pageToken"] == "page-2"
    first = posts[0][3]
    assert first["textQuery"] == "restaurants in Ikoyi, Lagos"
    assert first["locationBias"]["circle"]["center"] == {"latitude": 6.4549, "longitude": 3.4365}
    for r in recs:   # collected menus go through the same enricher
        for d in r["dishes"]:
            enrich.allergens_of(d["ingredients"])


def test_foursquare_collector(fake_api):
    FakeAPI.seen.clear()
    c = collectors.FoursquareCollector("f-key", base_url=fake_api)
    recs = asyncio.run(c.collect("London", [("Soho", 51.5136, -0.1365)]))
    assert len(recs) == 1
    r = recs[0]
    assert (r["id"], r["name"], r["cuisine"], r["rating"]) == ("r-fsq-4b0588-fsq", "Trattoria Da Gino", "Italian", 4.3)
    assert r["neighbourhood"] == "Soho" and len(r["dishes"]) == 8
    gets = [s for s in FakeAPI.seen if s[0] == "GET"]
    assert len(gets) == 2 and gets[0][3]["ll"] == ["51.5136,-0.1365"] and gets[0][3]["categories"] == ["13000"]


def test_collect_uses_keys_from_env_and_survives_a_failing_api(fake_api):
    env = {"GOOGLE_PLACES_API_KEY": "wrong-key", "GOOGLE_PLACES_BASE_URL": fake_api,
           "FOURSQUARE_API_KEY": "f-key", "FOURSQUARE_BASE_URL": fake_api}
    assert [type(c).__name__ for c in collectors.live_collectors(env)] == ["GooglePlacesCollector", "FoursquareCollector"]
    assert collectors.live_collectors({}) == []
    cat = asyncio.run(collectors.collect(env, cities=["London"]))
    bundled = collectors.bundled()
    extra = [r for r in cat["restaurants"] if r["source"] == "fsq"]
    assert len(cat["restaurants"]) == len(bundled["restaurants"]) + len(extra) and extra  # google 403 skipped


def test_cuisine_mapping():
    assert collectors.cuisine_for("sushi_restaurant") == "Japanese"
    assert collectors.cuisine_for("Fish and Chips Shop") == "British"
    assert collectors.cuisine_for("seafood_restaurant", city="London") is None
    assert collectors.cuisine_for("seafood_restaurant", city="Mumbai") == "Konkani Seafood"
    assert collectors.cuisine_for("bank") is None
