"""Reply wording: short offline templates, money in the city's currency, cultural context.

``say(key, **facts)`` fills a template; ``polish(ctx, text, must_keep)`` lets the language
model (when configured) re-phrase it, keeping the template if the model fails or drops a
concrete item (a dish, a price).
"""

from __future__ import annotations

import logging

log = logging.getLogger(__name__)

TEMPLATES = {
    "food": "In {city}, try {first}.{more}{safety}",
    "food_none": "I couldn't find a dish in {city} that fits{why}. Want me to relax the spice or budget?",
    "food_relaxed": "Nothing matched exactly, so loosening spice and budget: in {city}, try {first}.{more}{safety}",
    "food_ordered": "Done: {dish} from {restaurant}, {price}. I've noted the order.{safety}",
    "food_unsafe": "I won't order {dish}: it contains {allergens}, which you're allergic to. {alternative}",
    "no_city": "Which city are you eating in? I know Lagos, London, New York, Paris and Mumbai.",
    "unknown_city": "I don't have places in {city} yet; I know Lagos, London, New York, Paris and Mumbai.",
    "travel": "In {city}, stay in {neighbourhood}: {hotel}, about {price} a night, {why}.{more}",
    "travel_no_city": "Which city are you heading to? I can suggest areas in Lagos, London, New York, Paris and Mumbai.",
    "social": "For {size} in {city}, {place} in {neighbourhood} seats groups up to {max_group}. {dishes}{safety}",
    "social_none": "I couldn't find a place in {city} that seats {size}. Shall I look for two tables nearby?",
    "onboard_done": "{greeting}, {name}! I've saved {summary}. Ask me for food, a place to stay, or plans with friends.",
    "onboard_ask": "{hello}Before I recommend anything, {question}",
    "profile_read": "Here's what I have: {summary}.",
    "profile_changed": "Updated. Now I have: {summary}.",
    "profile_nothing": "I didn't catch what to change. You can say things like 'add peanuts to my allergies' or 'I'm vegan now'.",
    "auth_enrol": "I can't verify you by voice yet: voice sign-in needs a voiceprint enrolment first, "
                  "and that isn't set up for {who}. You're not signed in.",
    "clarify": "Sorry, I didn't catch that{name}. Do you want food, a place to stay, plans with friends, or to update your profile?",
}
ALLERGEN_LABELS = {"tree_nut": "tree nuts", "peanut": "peanuts", "egg": "eggs"}
DIET_LABELS = {"gluten_free": "gluten-free", "dairy_free": "dairy-free"}


def say(key: str, **facts) -> str:
    """Fill template ``key`` with ``facts``."""
    return TEMPLATES[key].format(**facts)


def money(amount: float, city: dict | None) -> str:
    """Price with the city's currency symbol: ₦6,500, £14.50, $4.75."""
    symbol = (city or {}).get("symbol", "")
    text = f"{amount:,.0f}" if float(amount).is_integer() else f"{amount:,.2f}"
    return f"{symbol}{text}"


def listing(items: list[str]) -> str:
    """"a", "a and b", "a, b and c"."""
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def allergen_words(allergens) -> str:
    return listing([ALLERGEN_LABELS.get(a, a) for a in allergens])


def diet_words(diets) -> str:
    return listing([DIET_LABELS.get(d, d) for d in diets])


def safety_note(allergies, subject: str = "All of it is") -> str:
    """" All of it is free of peanuts." or ""."""
    return f" {subject} free of {allergen_words(allergies)}." if allergies else ""


def profile_summary(profile: dict) -> str:
    """One sentence fragment describing the profile."""
    parts = [f"name {profile['name']}" if profile.get("name") else "no name yet",
             f"home {profile['home_city']}" if profile.get("home_city") else "no home city yet"]
    parts.append(f"diet {diet_words(profile['diets'])}" if profile.get("diets") else "no diet set")
    allergies = profile.get("allergies") or []
    parts.append(f"allergic to {allergen_words(allergies)}" if allergies else "no allergies")
    return listing(parts)


def cultural_context(city: dict | None, voice_profile: dict | None = None) -> dict:
    """{"city", "country", "language", "currency"} of the city in play (+ the voice's language)."""
    city = city or {}
    ctx = {k: city.get(k) for k in ("country", "language", "currency")}
    ctx["city"] = city.get("name")
    if voice_profile and voice_profile.get("language"):
        ctx["voice_language"] = voice_profile["language"]
    return ctx


SYSTEM = ("You are Aurasense, a warm voice assistant. Re-phrase the reply for speech in at most "
          "two sentences. Keep every dish, place, price and allergy warning exactly; add nothing.")


async def polish(ctx, text: str, must_keep: list[str]) -> str:
    """LLM re-phrasing when configured; the template text if it fails or drops an item."""
    if ctx.llm is None:
        return text
    try:
        out = await ctx.llm.complete(text, system=SYSTEM)
    except Exception as err:  # provider down: the template is a complete answer
        log.warning("llm polish failed, using template: %s", err)
        return text
    return out if out and all(item in out for item in must_keep) else text
