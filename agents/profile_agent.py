"""Profile agent: reads back and changes the user's name, home city, diet, allergies, reply
language and register ("reply in French", "be more formal"), and friends ("add Kemi as a friend");
asked to erase what it keeps ("delete all my data"), it asks first (``start_over``).

``profile_changes`` (also used by onboarding) turns a statement into the fields to store.
"""

from __future__ import annotations

import re

from agents import friends as F
from agents import health_unsure as unsure
from agents import start_over
from agents import templates as T
from agents.base import AgentContext, AgentReply, AgentRequest
from agents.culture import language_change, register_change, style_for
from agents.memory_mirror import mirror_profile
from agents.pending_answer import answer_of, home_kept, next_question
from agents.slots import EXCLUSIVE_DIETS, allergy_changes, diet_changes, normalise, strict_jain_said
from agents.slots_allergy import bare_allergens, contrasted_allergens, more_allergens, severity_in, severity_of
from agents.slots_background import cultures_in, without_parts
from agents.slots_health import health_question
from agents.slots_home import home_place
from agents.slots_names import name_in
from agents.slots_statements import own_statements, without_fillers

REPLACE_DIET = re.compile(r"\b(change|update|set|switch) my diet to\b")


def _merge(old: list[str], added: list[str], removed: list[str]) -> list[str]:
    return [x for x in dict.fromkeys(old + added) if x not in removed]


def profile_changes(profile: dict, text: str, answering: bool = False) -> dict:
    """Fields that ``text`` changes in ``profile`` (only those that differ).  ``answering``: the
    text answers the onboarding questions, so a bare name or place fills a field still missing."""
    text = without_fillers(text)
    own = own_statements(text)  # a relative's diet or allergy is not the user's
    added, removed, none_declared = allergy_changes(own)
    added = added or contrasted_allergens(text, own)  # "my husband is allergic to nuts, mine is celery"
    if not added and not profile.get("allergies_declared"):  # "Sesame." answers "any allergies?"
        added = bare_allergens(own)
    if not added and profile.get("allergies"):  # "I'm allergic to crab" then "and also mussels"
        added = more_allergens(own)
    allergies = [] if none_declared and not added else _merge(profile.get("allergies", []), added, removed)
    d_add, d_remove = diet_changes(own)
    if "jain" in profile.get("diets", []) and strict_jain_said(own):  # "I'm Jain" then "strict, actually"
        d_add = [*d_add, "strict_jain"]
    old_diets = [] if REPLACE_DIET.search(normalise(text)) and d_add else profile.get("diets", [])
    if "strict_jain" in d_add:  # strict Jain replaces plain Jain
        old_diets = [d for d in old_diets if d != "jain"]
    if set(d_add) & set(EXCLUSIVE_DIETS):  # "I'm vegan" then "no, vegetarian": one of them, the last said
        old_diets = [d for d in old_diets if d not in EXCLUSIVE_DIETS]
    city, neighbourhood = home_place(text, answering and not profile.get("home_city"))
    name = name_in(text, answering and not profile.get("name"), correcting=answering and bool(profile.get("name")))
    if name and (misheard := health_question(text)) and name.lower() == misheard[0]:
        name = None  # "I'm Ciliac": read back as coeliac, not a name
    wanted = {"name": name, "home_city": city, "neighbourhood": neighbourhood,
              "allergies": allergies, "diets": _merge(old_diets, d_add, d_remove),
              "cultural_background": without_parts(_merge(profile.get("cultural_background") or [], cultures_in(text), [])),
              "language": language_change(text), "register": register_change(text)}
    if none_declared or added:
        wanted["allergies_declared"] = True
    if none_declared or added or removed or d_add or d_remove:  # said plainly: no read-back is left open
        wanted[unsure.FIELD] = []
    wanted["allergy_severity"] = _severities(profile, allergies, added, severity_in(own))
    changes = {k: v for k, v in wanted.items() if v is not None and v != _current(profile, k)}
    if city and city != profile.get("home_city") and not neighbourhood and profile.get("neighbourhood"):
        changes["neighbourhood"] = None  # a new city without an area: the old area no longer applies
    return changes


def _severities(profile: dict, allergies: list[str], added: list[str], said: str | None) -> list[str]:
    """The profile's ``allergy_severity`` after the change: a severity said with new allergies is
    theirs; a removed allergy takes its severity along."""
    kept = {a: s for a, s in severity_of(profile).items() if a in allergies}
    kept.update({a: said for a in added} if said else {})
    return [f"{a}={s}" for a, s in sorted(kept.items())]


def _current(profile: dict, key: str):
    lists = ("allergies", "diets", "cultural_background", "allergy_severity", unsure.FIELD)
    return profile.get(key, [] if key in lists else None)


class ProfileAgent:
    """Says what it knows about the user, or applies the change they asked for."""

    name = "profile"

    async def reply(self, req: AgentRequest, ctx: AgentContext) -> AgentReply:
        profile = await ctx.graph.get_user(req.user_id) or {}
        if start_over.asks_to_forget_data(req.text):
            return await self._forget(req, ctx, profile)
        answer = answer_of(profile, req.text)
        changes = profile_changes(profile, answer.said) | answer.changes
        changed = bool(changes)
        changes |= answer.unsure_changes({**profile, **changes}, changed)
        if changes:
            before, profile = profile, await ctx.graph.upsert_user(req.user_id, changes)
            await mirror_profile(ctx.memory, req.user_id, before, profile)
        city = await ctx.graph.get_city(profile["home_city"]) if profile.get("home_city") else None
        style = style_for(profile, city, req.voice_profile)  # after the change: "reply in French" applies now
        asked = next_question(answer, req.text, changes, changed, style)
        if asked:  # what was heard is read back; the next turn's answer puts it right
            text = asked[0]
        elif kept := home_kept(answer, profile, changed, style):  # "no": what was heard stays
            text = kept
        elif changed:
            text = await self._text(req, ctx, profile, changed, style)
        else:
            text = await F.edit_friends(ctx, req.user_id, req.text, style) or await self._text(
                req, ctx, profile, changed, style)
        return AgentReply(self.name, text, T.cultural_context(city, req.voice_profile, style),
                          awaiting=asked[1] if asked else "")

    async def _forget(self, req: AgentRequest, ctx: AgentContext, profile: dict) -> AgentReply:
        """"Delete all my data": asked first, like starting over, as it forgets what the user told;
        the yes is answered by onboarding (``start_over``), which forgets it and begins again."""
        city = await ctx.graph.get_city(profile["home_city"]) if profile.get("home_city") else None
        style = style_for(profile, city, req.voice_profile)
        context = T.cultural_context(city, req.voice_profile, style)
        if not start_over.told_anything(profile):
            return AgentReply(self.name, T.say("forget_nothing", style), context)
        text = T.say("forget_ask", style, summary=T.profile_summary(profile, style))
        return AgentReply(self.name, text, context, awaiting=start_over.ASKED)

    async def _text(self, req, ctx, profile, changed: bool, style) -> str:
        if not changed and not re.search(r"what|tell me|read|show|know", normalise(req.text)):
            return T.say("profile_nothing", style)
        friends = [f["name"] for f in await ctx.graph.friends_of(req.user_id)]
        summary = T.profile_summary(profile, style, friends)
        text = T.say("profile_changed" if changed else "profile_read", style, summary=summary)
        news = await F.inbox(ctx, profile, style, unseen_only=True) if profile.get("id") else ""
        return f"{text} {news}".strip()
