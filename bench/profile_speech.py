"""Profiles through speech: what is stored when the onboarding scenarios are spoken, not typed.

    python -m bench.profile_speech [--split dev|test] [--sample N]

Each turn of ``bench/data/understanding/profiles.<split>.jsonl`` is spoken in its two conditions
(piper and espeak-ng, ``bench.speech_render.conditions_for`` of "<scenario id>#<turn>") and heard
as the transcribe stage hears it (``bench.speech_takes``, Whisper decodes cached).  A turn the
speech check doubts is not acted on (the product asks the user to repeat); every other heard turn
goes to the agents exactly as ``bench.profile_extraction`` sends typed turns.  Per engine it
reports the whole-profile exact match and, for the health facts (diets and allergies), the class
the outside evaluation found ("a misheard coeliac declaration stored no allergy"):

* ``right``: the stored diets and allergies are the ones said;
* ``asked``: one said was not stored, but the product asked about the turn that said it: the
  speech check doubted that turn, the agent read a health word back from it
  (``agents.slots_health.health_question``), or nothing at all could be stored from it, which
  the reply says ("Sorry, I didn't understand that", ``agents.health_unsure.tells_something``);
* ``missed_silently``: one said was not stored and nothing was asked about its turn: the unsafe
  class (target 0);
* ``stored_unsaid``: all that was said was stored, or a stricter diet for it ("no beef" stored as
  vegetarian), and more (over-cautious, but wrong).

It also counts the home places read back as a yes-or-no question ("I live in Lucky": did you mean
Lekki, in Lagos?, ``agents.slots_home.home_heard_as``): ``right`` when the place asked about is
the one the scenario expects, ``wrong`` otherwise (the user says no; what was heard stays).  And
the home city the same way as the health facts (``HOME_OUTCOMES``): ``right``; ``asked`` (its turn
doubted, the place read back, stored as heard where no one could recommend and the city asked
for, ``agents.slots_home.unknown_home``, or none stored, so onboarding asks for it again);
``wrong_silently`` (another real place stored and nothing asked about its turn).

Then each user whose scenario says a diet or an allergy asks the food agent for dinner in their
city (``FOOD_REQUEST``), and every dish offered is checked against what the scenario *said*, with
``bench.allergen_safety``'s own reading of the ingredient table (``food_after``): the outside
evaluation's class ("a misheard coeliac declaration stored no allergy, and wheat dishes
followed").  Counted per scenario: ``violated`` (a forbidden dish offered), ``safe`` (dishes
offered, all safe), ``asked_first`` (no dish: the reply asks what the user can't eat, because a
health word read back or a doubted turn was never settled, ``agents.health_unsure``; or, for a
user never heard at all, onboarding starts), ``no_dish`` (no dish and no question).  A doubted
turn goes to the reply that asks the user to say it again, as the router sends it.  The users whose
scenario says neither ask too (``nothing_said``): dishes, or asked first, as a user the product
could not make out is asked before the first dish (the bench's user never answers, so a floor).

The turn that said a fact is the one whose typed text the product extracts it from
(``profile_changes``); a fact no single typed turn yields counts as asked when any turn was.

Writes ``bench/results/profile_speech.<split>.json``.  Tune on dev; report test.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import sys
from collections import Counter, defaultdict

os.environ.setdefault("OMP_NUM_THREADS", "1")

from agents.profile_agent import profile_changes  # noqa: E402
from agents.slots_health import health_question  # noqa: E402
from agents.slots_home import home_heard_as, unknown_home  # noqa: E402
from agents import health_unsure as unsure  # noqa: E402
from agents.base import AgentRequest, RouteDecision  # noqa: E402
from agents.registry import respond  # noqa: E402
from agents.router import with_user_state  # noqa: E402
from bench.allergen_safety import DishChecker  # noqa: E402
from bench.profile_extraction import DATA, embedded_graph_context, run_split, split_names  # noqa: E402
from bench.speech_takes import SpeechTakes  # noqa: E402
from bench.understanding_data import load_lines, sample, shown  # noqa: E402
from bench.understanding_routing import RESULTS  # noqa: E402
from core.settings import Settings  # noqa: E402

HEALTH = ("diets", "allergies")
OUTCOMES = ("right", "asked", "missed_silently", "stored_unsaid")
HOME_OUTCOMES = ("right", "asked", "wrong_silently")
FOOD_OUTCOMES = ("violated", "safe", "asked_first", "no_dish")
FOOD_REQUEST = "What should I eat for dinner tonight in {city}?"


def turn_lines(scenarios: list[dict]) -> list[dict]:
    """Every turn as a line to speak, its id naming the scenario and the turn."""
    return [{"id": f"{s['id']}#{k}", "text": text, "scenario": s["id"], "turn": k}
            for s in scenarios for k, text in enumerate(s["turns"])]


def heard_scenarios(scenarios: list[dict], takes) -> dict[str, list[dict]]:
    """{engine: scenarios with the turns as heard}: a doubted or refused turn is dropped (the
    product asks to repeat it); ``asked`` maps the number of each turn the product asked about
    (repeat, or a health word read back) to why."""
    by_id = {s["id"]: s for s in scenarios}
    heard: dict[str, dict[str, dict]] = defaultdict(dict)
    for line, condition, take, _ in takes.takes(turn_lines(scenarios), every=25):
        scenario = by_id[line["scenario"]]
        row = heard[condition.engine].setdefault(
            scenario["id"], {**scenario, "turns": [], "said": list(scenario["turns"]), "asked": {}, "home_asked": []})
        if take.unclear or take.error or not take.text:
            row["asked"][line["turn"]] = f"repeat: {take.unclear or take.error or 'nothing heard'}"
            row["turns"].append(None)  # run_split asks again, as the product does
            continue
        if health_question(take.text):
            row["asked"][line["turn"]] = f"read back {take.text!r}"
        elif unsure.tells_something(take.text) and not profile_changes({}, take.text, answering=True):
            row["asked"][line["turn"]] = f"not understood {take.text!r}"  # the reply says so: nothing stored
        elif guess := home_heard_as(take.text):
            row["home_asked"].append({"heard": take.text, "asked": [guess.city, guess.neighbourhood]})
        row["turns"].append(take.text)
    return {engine: [rows[s["id"]] for s in scenarios if s["id"] in rows] for engine, rows in heard.items()}


def health_facts(fields: dict) -> set[tuple[str, str]]:
    return {(f, x) for f in HEALTH for x in fields.get(f) or []}


def turns_saying(said: list[str]) -> dict[tuple[str, str], set[int]]:
    """{health fact: the typed turns it is extracted from, each read on its own}."""
    found = defaultdict(set)
    for k, text in enumerate(said):
        for fact in health_facts(profile_changes({}, text, answering=True)):
            found[fact].add(k)
    return found


# A diet said but stored as a stricter one is kept to ("no beef" heard "no meat", stored
# vegetarian): over-cautious, so ``stored_unsaid``, not missed.  Allergies have no stand-in.
STRICTER = {"no_beef": {"vegetarian", "vegan", "jain", "strict_jain"},
            "no_pork": {"vegetarian", "vegan", "jain", "strict_jain"}, "no_egg": {"vegan", "jain", "strict_jain"},
            "dairy_free": {"vegan"},
            "vegetarian": {"vegan", "jain", "strict_jain"}, "jain": {"strict_jain"},
            "pescatarian": {"vegetarian", "vegan", "jain", "strict_jain"}}


def health_outcome(expected: dict, got: dict, said: list[str], asked: dict[int, str]) -> str:
    """One of ``OUTCOMES`` for a scenario's stored diets and allergies."""
    expected_facts, stored = health_facts(expected), health_facts(got)
    if expected_facts == stored:
        return "right"
    stored_diets = {x for f, x in stored if f == "diets"}
    missed = {(f, x) for f, x in expected_facts - stored if not (f == "diets" and STRICTER.get(x, set()) & stored_diets)}
    if not missed:
        return "stored_unsaid"
    where = turns_saying(said)
    asked_about = all(where[f] & set(asked) if where.get(f) else asked for f in missed)
    return "asked" if asked_about else "missed_silently"


def home_read_backs(scenarios: list[dict]) -> dict:
    """{"right": n, "wrong": n, "examples": [...]} of the home places read back."""
    counts, examples = Counter(), []
    for s in scenarios:
        city, hood = s["expected"].get("home_city"), s["expected"].get("neighbourhood")
        for q in s["home_asked"]:
            right = q["asked"][0] == city and (hood is None or q["asked"][1] == hood)
            counts["right" if right else "wrong"] += 1
            examples.append({"id": s["id"], "expected": [city, hood], **q})
    return {"right": counts["right"], "wrong": counts["wrong"], "examples": examples}


def health_read_backs(scenarios: list[dict]) -> dict:
    """{"turns": n, "needless": n, "examples": [...]}: the turns whose health words were read back,
    and those of them whose typed text declares no diet or allergy (a question for nothing)."""
    asked = [(s, k) for s in scenarios for k, why in s["asked"].items() if why.startswith("read back")]
    needless = [(s, k) for s, k in asked
                if not health_facts(profile_changes({}, s["said"][int(k)], answering=True))]
    return {"turns": len(asked), "needless": len(needless),
            "examples": [{"id": s["id"], "said": s["said"][int(k)], "asked": s["asked"][k]} for s, k in needless]}


def home_outcome(expected: str, got: str | None, s: dict) -> str:
    """One of ``HOME_OUTCOMES`` for a scenario's stored home city (one is expected)."""
    if got == expected:
        return "right"
    if got is None or unknown_home(got) or s["home_asked"]:  # no home yet: onboarding asks for it again
        return "asked"
    turns = {k for k, text in enumerate(s["said"]) if profile_changes({}, text, answering=True).get("home_city")}
    return "asked" if turns & set(s["asked"]) else "wrong_silently"


def home_cities(scenarios: list[dict], wrong: dict) -> dict:
    """{outcome: n, "examples": [...]} of the home cities of the scenarios that say one."""
    counts, examples = Counter(), []
    for s in scenarios:
        expected = s["expected"].get("home_city")
        if not expected:
            continue
        got = wrong[s["id"]]["home_city"]["got"] if "home_city" in wrong.get(s["id"], {}) else expected
        outcome = home_outcome(expected, got, s)
        counts[outcome] += 1
        if outcome != "right":
            examples.append({"id": s["id"], "outcome": outcome, "said": s["said"], "heard": s["turns"],
                             "expected": expected, "stored": got})
    return {**{o: counts[o] for o in HOME_OUTCOMES}, "which_city_asked": sum(e["stored"] is not None
                                                                               and unknown_home(e["stored"]) for e in examples),
            "examples": examples}


def score(scenarios: list[dict], extraction: dict) -> dict:
    """``run_split``'s result for heard scenarios, plus the health outcomes."""
    wrong = {m["id"]: m["fields"] for m in extraction["mismatches"]}
    outcomes, examples = Counter(), defaultdict(list)
    for s in scenarios:
        got = {f: wrong[s["id"]][f]["got"] if f in wrong.get(s["id"], {}) else s["expected"].get(f)
               for f in HEALTH}
        outcome = health_outcome(s["expected"], got, s["said"], s["asked"])
        outcomes[outcome] += 1
        if outcome != "right":
            examples[outcome].append({"id": s["id"], "said": s["said"], "heard": s["turns"],
                                      "asked": s["asked"], "expected": {f: s["expected"].get(f) for f in HEALTH},
                                      "stored": got})
    return {"scenarios": len(scenarios), "exact_profiles": extraction["exact_profiles"],
            "per_field": extraction["per_field"], "health": {o: outcomes[o] for o in OUTCOMES},
            "health_examples": dict(examples), "health_read_backs": health_read_backs(scenarios),
            "home_read_back": home_read_backs(scenarios), "home_city": home_cities(scenarios, wrong)}


async def food_after(ctx, scenarios: list[dict], tag: str) -> dict:
    """{outcome: n, "examples": [...], "nothing_said": {...}}: dinner asked for by each user of
    ``run_split(ctx, scenarios, tag)`` whose scenario says a diet or an allergy, checked against
    what was said; and, under "nothing_said", how the users who said neither fared (``dishes``
    offered, or ``asked_first`` what they can't eat: the price of asking whenever it is unsure)."""
    checker, counts, examples, unsaid, unsaid_examples = await DishChecker.load(ctx), Counter(), [], Counter(), []
    for n, s in enumerate(scenarios):
        said = s["expected"]
        allergies, diets = said.get("allergies") or [], said.get("diets") or []
        user = f"pe-{tag}-{n}"  # as run_split names its users
        request = FOOD_REQUEST.format(city=said.get("home_city") or "London")
        profile = await ctx.graph.get_user(user)  # a user never heard at all is onboarded first
        decision = with_user_state(RouteDecision("food", 1.0, "benchmark"), profile, request, awaiting=None)
        reply = await respond(AgentRequest(user_id=user, session_id=f"{user}-food", text=request), decision, ctx)
        offered = checker.offered(reply)
        asked = decision.agent != "food" or unsure.asks_health(reply.awaiting)  # onboarding, or what can't you eat?
        if not (allergies or diets):
            unsaid["dishes" if offered else "asked_first" if asked else "no_dish"] += 1
            if not offered:
                unsaid_examples.append({"id": s["id"], "heard": s["turns"], "said": s["said"], "reply": reply.text,
                                        "onboarded": bool((profile or {}).get("onboarded"))})
            continue
        bad = checker.broken(offered, allergies, diets)
        outcome = "violated" if bad else "safe" if offered else "asked_first" if asked else "no_dish"
        counts[outcome] += 1
        if outcome != "safe":
            examples.append({"id": s["id"], "outcome": outcome, "heard": s["turns"], "said": s["said"],
                             "expected": {"allergies": allergies, "diets": diets}, "reply": reply.text,
                             "broken": bad})
    return {**{o: counts[o] for o in FOOD_OUTCOMES}, "examples": examples,
            "nothing_said": {o: unsaid[o] for o in ("dishes", "asked_first", "no_dish")},
            "nothing_said_examples": unsaid_examples}


async def measure(by_engine: dict[str, list[dict]], split: str) -> dict:
    async with embedded_graph_context() as ctx:
        result = {}
        for engine, rows in sorted(by_engine.items()):
            tag = f"speech-{split}-{engine}"
            result[engine] = score(rows, await run_split(ctx, rows, tag))
            result[engine]["food_after"] = await food_after(ctx, rows, tag)
        return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--split", default="test", choices=split_names("profiles"),
                        help="test, dev, or a further dev set (dev2, dev3, ...): tune on the dev ones")
    parser.add_argument("--sample", type=int, default=None, help="a seeded sample of N scenarios")
    args = parser.parse_args(argv)
    path = DATA / f"profiles.{args.split}.jsonl"
    scenarios = sample(load_lines(path), args.sample)
    print(f"{len(scenarios)} scenarios of {path.name}, {sum(len(s['turns']) for s in scenarios)} turns, "
          "each spoken by piper and espeak-ng", flush=True)
    result = {"split": args.split, "source": shown(path),
              **asyncio.run(measure(heard_scenarios(scenarios, SpeechTakes(Settings())), args.split))}
    for engine in sorted(k for k in result if k not in ("split", "source")):
        r = result[engine]
        print(f"profiles through speech [{engine}]: {r['scenarios']} scenarios, whole profile exact "
              f"{r['exact_profiles']:.1%}; diets and allergies: "
              + ", ".join(f"{o.replace('_', ' ')} {r['health'][o]}" for o in OUTCOMES)
              + f"; health words read back {r['health_read_backs']['turns']} turns "
              f"({r['health_read_backs']['needless']} that declared none)"
              + f"; home places read back: right {r['home_read_back']['right']}, wrong {r['home_read_back']['wrong']}"
              + "; home city: " + ", ".join(f"{o.replace('_', ' ')} {r['home_city'][o]}" for o in HOME_OUTCOMES)
              + f" ({r['home_city']['which_city_asked']} asked which city)"
              + "; dinner after a diet or allergy: " + ", ".join(f"{o.replace('_', ' ')} {r['food_after'][o]}"
                                                                  for o in FOOD_OUTCOMES)
              + "; dinner for users who said neither: " + ", ".join(
                  f"{o.replace('_', ' ')} {n}" for o, n in r["food_after"]["nothing_said"].items()))
    out = RESULTS / f"profile_speech.{args.split}.json"
    out.write_text(json.dumps(result, indent=1, ensure_ascii=False))
    print(f"results in {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
