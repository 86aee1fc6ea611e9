"""Onboarding agent: collects name, home city (and neighbourhood), background, diet and
allergies, and stores the profile.

The profile is stored from the first utterance on (so the user becomes known); it is
``onboarded`` once it has a name and a home city.  Allergies are asked for, never assumed;
a declared allergy or diet that was not understood is read back and asked about, and so is a
home place heard as one we do not know: read back as the known one it sounds like, or asked
which city it is in (``agents.read_back``).
"""

from __future__ import annotations

from agents import health_unsure as unsure
from agents import start_over
from agents import templates as T
from agents.base import AgentContext, AgentReply, AgentRequest
from agents.culture import style_for
from agents.memory_mirror import mirror_profile
from agents.pending_answer import answer_of, home_kept, next_question
from agents.profile_agent import profile_changes
from agents.turn_state import pending


def question(profile: dict, style=None) -> str:
    """Ask for whatever is still missing."""
    missing = [T.say(q, style) for key, q in (("name", "ask_name"), ("home_city", "ask_city")) if not profile.get(key)]
    if not profile.get("allergies_declared") and not profile.get("allergies"):
        missing.append(T.say("ask_allergies", style))
    return (T.listing(missing, style) or T.say("ask_else", style)) + (" ?" if style and style.lang == "fr" else "?")


def allergies_untold(before: dict | None, profile: dict, style) -> tuple[str, str] | None:
    """The question that completes a profile made without a word on allergies ("I'm Tom, I live in
    London"): allergies are asked for, never assumed; its answer goes to the profile agent."""
    if profile["onboarded"] and not (before or {}).get("onboarded") and not unsure.health_told(profile):
        return T.say("onboard_allergies", style), unsure.ASKED
    return None


class OnboardingAgent:
    """Welcomes new users and fills their profile from what they say."""

    name = "onboarding"

    async def reply(self, req: AgentRequest, ctx: AgentContext) -> AgentReply:
        before = await ctx.graph.get_user(req.user_id)
        if (starting := await self._start_over(req, ctx, before)) is not None:
            return starting
        answer = answer_of(before, req.text)
        changes = profile_changes(before or {}, answer.said, answering=True) | answer.changes
        merged = {**(before or {}), **changes}
        changed = bool(changes)
        changes["onboarded"] = bool(merged.get("name") and merged.get("home_city"))
        changes |= answer.unsure_changes(merged, changed, allergies_asked=True)  # while untold, onboarding asks them
        profile = await ctx.graph.upsert_user(req.user_id, changes)
        await mirror_profile(ctx.memory, req.user_id, before or {}, profile)
        city = await ctx.graph.get_city(profile["home_city"]) if profile.get("home_city") else None
        style = style_for(profile, city, req.voice_profile)
        asked = next_question(answer, req.text, changes, changed, style) or allergies_untold(before, profile, style)
        if asked:  # what was heard is read back; the next turn's answer puts it right
            text = self._asking(before, profile, asked[0], style)
        else:
            kept = home_kept(answer, profile, changed, style)
            understood = changed or not unsure.tells_something(answer.said)  # else say so: nothing stored
            text = f"{kept} {self._text(before, profile, style, understood)}".strip()
        return AgentReply(self.name, text, T.cultural_context(city, req.voice_profile, style),
                          awaiting=asked[1] if asked else "")

    async def _start_over(self, req: AgentRequest, ctx: AgentContext, before: dict | None) -> AgentReply | None:
        """"Let's start over" from a user who has told anything: asked first, as it forgets the
        profile; a yes forgets it and asks the first question again, a no keeps everything.
        None for any other turn (a new user's "start over" is onboarded as usual)."""
        said = start_over.answer(pending(before), req.text)
        if said is None and not (start_over.asks_to_start_over(req.text) and start_over.told_anything(before)):
            return None
        city = await ctx.graph.get_city(before["home_city"]) if before.get("home_city") else None
        style = style_for(before, city, req.voice_profile)
        context = T.cultural_context(city, req.voice_profile, style)
        if said is None:
            text = T.say("start_over_ask", style, summary=T.profile_summary(before, style))
            return AgentReply(self.name, text, context, awaiting=start_over.ASKED)
        if not said:
            return AgentReply(self.name, T.say("start_over_kept", style), context)
        profile = await ctx.graph.upsert_user(req.user_id, start_over.forgetting(before))
        await mirror_profile(ctx.memory, req.user_id, before, profile)
        style = style_for(profile, None, req.voice_profile)
        return AgentReply(self.name, T.say("start_over_done", style, question=question(profile, style)),
                          T.cultural_context(None, req.voice_profile, style))

    async def ask_again(self, req: AgentRequest, ctx: AgentContext) -> AgentReply:
        """Speech doubted while onboarding (``turn_state.leading_agent``): nothing heard is stored.
        A question still pending (a place read back) is asked again as it was; otherwise the
        profile's missing facts are asked for."""
        profile = await ctx.graph.get_user(req.user_id) or {}
        city = await ctx.graph.get_city(profile["home_city"]) if profile.get("home_city") else None
        style = style_for(profile, city, req.voice_profile)
        name = f", {profile['name']}" if profile.get("name") else ""
        awaiting = pending(profile)
        if awaiting:
            text = T.say("repeat", style, name=name)
        else:
            q = question(profile, style)
            text = T.say("repeat_question", style, name=name, question=q[0].upper() + q[1:])
        if not profile.get("last_agent"):  # a new user's first words: welcomed all the same
            text = T.say("welcome", style) + text
        return AgentReply(self.name, text, T.cultural_context(city, req.voice_profile, style), awaiting=awaiting or "")

    def _asking(self, before: dict | None, profile: dict, question: str, style) -> str:
        """A greeting for a new user or a new name, then the question about what was heard; in the turn
        that completes the profile, what was saved comes first (the user hears it only here)."""
        if profile["onboarded"] and not (before or {}).get("onboarded"):
            return f"{self._saved(profile, style)} {question}"
        hello = T.say("welcome", style) if before is None else ""
        if profile.get("name") and profile.get("name") != (before or {}).get("name"):
            hello += T.say("nice_to_meet", style, name=profile["name"])
        return (hello + question).strip()

    @staticmethod
    def _saved(profile: dict, style) -> str:
        return T.say("onboard_saved", style, greeting=style.greeting, name=profile["name"],
                     summary=T.profile_summary(profile, style))

    def _text(self, before: dict | None, profile: dict, style, understood: bool = True) -> str:
        if profile["onboarded"]:
            return f"{self._saved(profile, style)} {T.say('onboard_next', style)}"
        hello = T.say("welcome", style) if before is None else ""
        hello += "" if understood else T.say("onboard_not_understood", style)
        if profile.get("name"):
            hello += T.say("nice_to_meet", style, name=profile["name"])
        q = question(profile, style)
        return T.say("onboard_ask", style, hello=hello, question=q[0].lower() + q[1:])

