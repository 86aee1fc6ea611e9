"""Friends and sharing, over the graph: who a user may plan with and share to, by spoken name.

The model: ``(User)-[:FRIEND]->(User)``, added by voice ("add Kemi as a friend"; "add Kemi
from Lagos as a friend" when several users share the name).  Only friends count in a group
request or a share: a stranger's name gets a clear "add them first" reply, never a guess.
A name Whisper misheard ("All Over" for "Oliver") is matched to the one friend it sounds like,
unless it is some other user's real name; the reply says the friend's name, so the user hears it.

Sharing ("share that with Kemi") sends what the user's previous reply recommended
(``GraphStore.last_recommended``), a dish an external MCP server offered included.  Safety
(``agents.safety``): an item the friend is allergic to, or that breaks the friend's diet, is not
shared, and the reply says why; the friend's inbox re-checks every item against the friend's
profile as it is when they read it.  An outside dish is decided from its ingredients, never from
what its server claims (agents/providers/mcp_places.py).
"""

from __future__ import annotations

import re

from agents import templates as T
from agents import safety
from agents.dish_types import without_dish_names
from agents.providers import mcp_offers as offers
from agents.providers.graph import DishQuery, name_key
from speech.sound_alike import sound_ratio, sound_spelling
from agents.slots import normalise
from agents.slots_social import friend_edit, names_in_group


def _matches(friend: dict, said: str) -> bool:
    key = name_key(said)
    return key in (friend.get("name_key") or name_key(friend.get("name", "")), friend.get("name_first"))


# A friend's name as Whisper may hear it ("Oliver" -> "All Over"): the friend list is a small
# closed set, so a sound-alike that fits exactly one friend is taken as that friend.  Only for a
# said name that is no user's name at all, and never for very short names ("Ava" vs "Eva").
SOUND_ALIKE_MAX_RATIO = 0.34
SOUND_ALIKE_MIN_LETTERS = 4


def _sounds(name: str) -> str:
    """A name's letters (accents off, spaces out: "All Over" -> "allover") as they sound."""
    return sound_spelling(re.sub(r"[^a-z]", "", name_key(name)))


def _sound_distance(heard: str, friend: dict) -> float:
    """How far ``heard`` (already ``_sounds``) is from the friend's full or first name."""
    ratios = []
    for name in {friend.get("name", ""), (friend.get("name", "").split() or [""])[0]} - {""}:
        spelt = _sounds(name)
        if min(len(heard), len(spelt)) >= SOUND_ALIKE_MIN_LETTERS:
            ratios.append(sound_ratio(heard, spelt))
    return min(ratios, default=1.0)


def sounds_like(friends: list[dict], said: str) -> dict | None:
    """The one friend whose name ``said`` sounds like (see above), or None."""
    heard = _sounds(said)
    scored = sorted((_sound_distance(heard, f), i) for i, f in enumerate(friends))
    close = [(d, i) for d, i in scored if d <= SOUND_ALIKE_MAX_RATIO]
    if not close or (len(close) > 1 and close[1][0] == close[0][0]):
        return None
    return friends[close[0][1]]


async def _misheard(ctx, user_id: str, friends: list[dict], said: str) -> dict | None:
    """The friend ``said`` is a mishearing of, unless ``said`` is some other user's real name."""
    if not friends or await ctx.graph.users_named(said, me=user_id):
        return None
    return sounds_like(friends, said)


def mentioned(friends: list[dict], text: str) -> list[dict]:
    """The friends whose full or first name the utterance says (any case); a dish name said
    ("Chicken Ruby") never counts as the friend Ruby."""
    t = f" {' '.join(re.findall(r'[a-z0-9-]+', without_dish_names(normalise(text))))} "
    keys = lambda f: {f.get("name_key") or name_key(f.get("name", "")), f.get("name_first")} - {None, ""}  # noqa: E731
    return [f for f in friends if any(f" {k} " in t for k in keys(f))]


async def resolve(ctx, user_id: str, names: list[str]) -> tuple[list[dict], list[str]]:
    """(friends with these names, names that are no friend of the user)."""
    friends = await ctx.graph.friends_of(user_id)
    found, unknown = [], []
    for said in names:
        hits = [f for f in friends if _matches(f, said)]
        hits = hits or [f for f in [await _misheard(ctx, user_id, friends, said)] if f]
        found += [f for f in hits if f not in found]
        unknown += [] if hits else [said]
    return found, unknown


async def group_members(ctx, user_id: str, text: str) -> tuple[list[dict], list[str]]:
    """(friends named in a group request, names said that are no friend)."""
    friends = await ctx.graph.friends_of(user_id)
    members = mentioned(friends, text)
    unknown = []
    for said in names_in_group(text):
        if any(_matches(f, said) for f in friends):
            continue
        friend = await _misheard(ctx, user_id, friends, said)
        if friend is None:
            unknown.append(said)
        elif friend not in members:
            members.append(friend)
    return members, unknown


def not_friends(names: list[str], style) -> str:
    return T.say("not_friends", style, names=T.listing(names, style), first=names[0])


# --- friend edits -----------------------------------------------------------------------------

async def edit_friends(ctx, user_id: str, text: str, style) -> str | None:
    """Apply "add Kemi as a friend" / "remove Kemi from my friends"; None if the text is neither."""
    edit = friend_edit(text)
    if edit is None:
        return None
    action, names, city = edit
    if action == "remove":
        found, unknown = await resolve(ctx, user_id, names)
        for f in found:
            await ctx.graph.remove_friend(user_id, f["id"])
        return not_friends(unknown, style) if unknown else \
            T.say("friend_removed", style, names=T.listing([f["name"] for f in found], style))
    added = []
    for said in names:
        users = await ctx.graph.users_named(said, me=user_id, city=city or "")
        if not users:
            return T.say("friend_unknown", style, names=said + (f" in {city}" if city else ""))
        if len(users) > 1:
            return T.say("friend_ambiguous", style, count=len(users), name=said)
        await ctx.graph.add_friend(user_id, users[0]["id"])
        added.append(users[0]["name"])
    verb = T.word("is" if len(added) == 1 else "are", style)
    return T.say("friend_added", style, names=T.listing(added, style), verb=verb)


# --- sharing ----------------------------------------------------------------------------------

async def _why_not(ctx, item: dict, friend: dict, style) -> str | None:
    """Why ``item`` must not go to ``friend`` (an allergen, their diet), or None if it may."""
    allergies, diets = friend.get("allergies") or [], friend.get("diets") or []
    who = f"{friend['name']} {T.word('is', style)}"
    if item["kind"] == "dish":
        v = safety.verdict(item, allergies, diets)
        if v.allergens or (v.unknown and allergies):  # unknown ingredients: not safe with allergies
            return T.say("why_allergic", style, allergens=T.allergen_words(v.allergens or allergies, style), who=who,
                         name=friend["name"])
        off = v.diets_broken or (tuple(diets) if v.unknown else ())
        return T.say("why_diet_off", style, diets=T.diet_words(off, style), who=friend["name"]) if off else None
    if item["kind"] == "restaurant" and (allergies or diets):
        q = DishQuery(item.get("city") or "", tuple(allergies), tuple(diets), restaurant_ids=(item["id"],), limit=50)
        if not safety.safe_only(await ctx.graph.find_dishes(q), allergies, diets):
            return T.say("why_no_safe_dish", style, who=friend["name"])
    return None


async def _details(ctx, items: list[dict]) -> list[dict]:
    """Dishes with their ingredients, allergens, diets and restaurant (the graph's current facts; an
    outside dish's as its server offered it, which safety decides from the ingredients alone)."""
    ids = [i["id"] for i in items if i["kind"] == "dish"]
    outside = [i for i in ids if offers.is_outside({"id": i})]
    dishes = {d["id"]: d for d in await ctx.graph.get_dishes([i for i in ids if i not in outside])
              + await offers.outside_dishes(ctx.graph, outside)}
    return [dishes[i["id"]] | {"kind": "dish"} if i["kind"] == "dish" else i
            for i in items if i["kind"] != "dish" or i["id"] in dishes]


def _labels(items: list[dict]) -> list[str]:
    """Dish names, with their restaurant unless that restaurant is itself in the list."""
    places = {i["name"] for i in items if i["kind"] == "restaurant"}
    return [f"{i['name']} ({i['restaurant']})" if i.get("restaurant") and i["restaurant"] not in places
            else i["name"] for i in items]


async def share_last(ctx, req, names: list[str], style) -> tuple[str, tuple]:
    """Share the previous reply's recommendations with the named friends; (reply text, items)."""
    friends, unknown = await resolve(ctx, req.user_id, names)
    if unknown:
        return not_friends(unknown, style), ()
    items = await _details(ctx, await ctx.graph.last_recommended(req.user_id, req.session_id))
    if not items:
        return T.say("share_nothing", style), ()
    sentences, shared = [], []
    for friend in friends:
        ok, skipped = [], []
        for item in items:
            why = await _why_not(ctx, item, friend, style)
            (skipped if why else ok).append((item, why))
        if ok:
            await ctx.graph.share(f"{req.session_id}:{friend['id']}", req.user_id, friend["id"], [i for i, _ in ok])
            text = T.say("shared", style, items=T.listing(_labels([i for i, _ in ok]), style), friend=friend["name"])
            text += "".join(T.say("share_skipped", style, item=i["name"], why=why) for i, why in skipped)
        else:
            text = T.say("share_none_safe", style, friend=friend["name"], why=skipped[0][1])
        sentences.append(text)
        shared += [{"kind": "shared", "id": i["id"], "name": i["name"]} for i, _ in ok]
    return " ".join(sentences), tuple(shared)


async def inbox(ctx, profile: dict, style, unseen_only: bool = False) -> str:
    """What friends shared with this user (re-checked against their profile now); marks it seen.
    "" when ``unseen_only`` and nothing new."""
    rows = await ctx.graph.shared_with(profile["id"], unseen_only=unseen_only)
    if not rows:
        return "" if unseen_only else T.say("inbox_none", style)
    items = {i["id"]: i for i in await _details(ctx, rows)}
    by_sender, left_out = {}, 0
    me = profile | {"name": T.word("you", style)}
    for row in rows:
        item = items.get(row["id"])
        if item is None or await _why_not(ctx, item, me, style):
            left_out += 1  # no longer safe for them (their allergies may have changed): not named
            continue
        by_sender.setdefault(row["from_name"] or "A friend", {})[item["id"]] = item
    await ctx.graph.mark_shares_seen({r["share"] for r in rows})
    text = " ".join(T.say("inbox_one", style, who=who, items=T.listing(_labels(list(sent.values())), style))
                    for who, sent in by_sender.items())
    return (text + (T.say("inbox_unsafe", style, n=left_out) if left_out else "")).strip()
