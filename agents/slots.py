"""Pull simple facts out of how people talk: cities, allergens, diets, names, spice, budget, group size.

Names, home neighbourhoods, cultural backgrounds, unclear health words and allergy severity:
``agents.slots_names``, ``slots_home``, ``slots_background``, ``slots_health``, ``slots_allergy``.

Pure functions over the transcript; no I/O.  Everything returns canonical values:
cities as catalogue names ("New York"), allergens as catalogue tags ("peanut", "tree_nut"),
diets as dish diet tags ("vegetarian", "gluten_free").
"""

from __future__ import annotations

import re
import unicodedata

from agents.areas import places_in
from agents.slots_heard import HEARD_COELIAC, with_heard
from agents.word_match import words_regex

# "shellfish" means crustaceans and molluscs, and is stored as both (agents.safety reads an older
# profile's "shellfish" the same way); a named crustacean or mollusc is stored as its group.
ALLERGEN_WORDS = {
    "peanut": ["peanut"], "peanuts": ["peanut"], "groundnut": ["peanut"], "groundnuts": ["peanut"],
    "peanut butter": ["peanut"], "monkey nuts": ["peanut"],
    "nut": ["peanut", "tree_nut"], "nuts": ["peanut", "tree_nut"], "tree nuts": ["tree_nut"],
    "tree nut": ["tree_nut"], "tree-nut": ["tree_nut"], "tree-nuts": ["tree_nut"], "cashew": ["tree_nut"],
    "cashews": ["tree_nut"], "almond": ["tree_nut"], "almonds": ["tree_nut"], "walnut": ["tree_nut"],
    "walnuts": ["tree_nut"], "pistachio": ["tree_nut"], "pistachios": ["tree_nut"], "hazelnut": ["tree_nut"],
    "hazelnuts": ["tree_nut"], "pecans": ["tree_nut"], "pecan": ["tree_nut"], "pine nuts": ["tree_nut"],
    "brazil nuts": ["tree_nut"], "macadamia": ["tree_nut"], "macadamias": ["tree_nut"],
    "dairy": ["dairy"], "milk": ["dairy"], "lactose": ["dairy"], "cheese": ["dairy"], "cow's milk": ["dairy"],
    # plant milks are not dairy ("soy milk gives me cramps" is soy)
    "soy milk": ["soy"], "soya milk": ["soy"], "almond milk": ["tree_nut"], "cashew milk": ["tree_nut"],
    "oat milk": [], "rice milk": [], "coconut milk": [],
    "butter": ["dairy"], "cream": ["dairy"], "yoghurt": ["dairy"], "yogurt": ["dairy"], "milk products": ["dairy"],
    "egg": ["egg"], "eggs": ["egg"], "gluten": ["gluten"], "wheat": ["gluten"], "barley": ["gluten"],
    "rye": ["gluten"], "coeliac": ["gluten"], "celiac": ["gluten"], "coeliac disease": ["gluten"],
    "celiac disease": ["gluten"], "coeliaque": ["gluten"], "celiaque": ["gluten"],
    "fish": ["fish"], "salmon": ["fish"], "tuna": ["fish"], "cod": ["fish"], "mackerel": ["fish"],
    "sardines": ["fish"], "anchovies": ["fish"], "trout": ["fish"], "haddock": ["fish"], "tilapia": ["fish"],
    "catfish": ["fish"], "herring": ["fish"], "sea bass": ["fish"],
    "seafood": ["fish", "crustacean", "mollusc"], "shellfish": ["crustacean", "mollusc"],
    "prawn": ["crustacean"], "prawns": ["crustacean"], "shrimp": ["crustacean"], "shrimps": ["crustacean"],
    "crab": ["crustacean"], "crabs": ["crustacean"], "lobster": ["crustacean"], "lobsters": ["crustacean"],
    "crayfish": ["crustacean"], "langoustine": ["crustacean"], "langoustines": ["crustacean"],
    "soy": ["soy"], "soya": ["soy"], "soybeans": ["soy"], "soya beans": ["soy"], "tofu": ["soy"],
    "sesame": ["sesame"], "sesame seeds": ["sesame"], "celery": ["celery"], "celeriac": ["celery"],
    # the rest of the EU-14, under the catalogue's tags (agents/catalogue/enrich.py)
    "mustard": ["mustard"], "lupin": ["lupin"], "lupine": ["lupin"], "lupini": ["lupin"],
    "sulphites": ["sulphites"], "sulfites": ["sulphites"], "sulphite": ["sulphites"],
    "sulfite": ["sulphites"], "sulphur dioxide": ["sulphites"], "sulfur dioxide": ["sulphites"],
    "crustacean": ["crustacean"], "crustaceans": ["crustacean"],
    "mollusc": ["mollusc"], "molluscs": ["mollusc"], "mollusk": ["mollusc"], "mollusks": ["mollusc"],
    "mussels": ["mollusc"], "mussel": ["mollusc"], "oysters": ["mollusc"], "oyster": ["mollusc"],
    "clams": ["mollusc"], "clam": ["mollusc"], "squid": ["mollusc"], "calamari": ["mollusc"],
    "octopus": ["mollusc"], "snails": ["mollusc"], "snail": ["mollusc"], "escargot": ["mollusc"],
    "scallops": ["mollusc"], "scallop": ["mollusc"], "periwinkle": ["mollusc"], "periwinkles": ["mollusc"],
    # Hindi words heard in Hinglish ("mujhe ande se allergy hai")
    "ande": ["egg"], "anda": ["egg"], "doodh": ["dairy"], "moongphali": ["peanut"], "mungfali": ["peanut"],
    "machli": ["fish"], "machhi": ["fish"], "jhinga": ["crustacean"], "kaju": ["tree_nut"], "badam": ["tree_nut"],
    "gehun": ["gluten"], "sarson": ["mustard"], "til": ["sesame"],
    # French ("je suis allergique aux arachides")
    "arachides": ["peanut"], "arachide": ["peanut"], "cacahuetes": ["peanut"], "cacahouetes": ["peanut"],
    "noix": ["tree_nut"], "fruits a coque": ["tree_nut"], "lait": ["dairy"], "produits laitiers": ["dairy"],
    "oeufs": ["egg"], "oeuf": ["egg"], "ble": ["gluten"], "poisson": ["fish"], "crustaces": ["crustacean"],
    "fruits de mer": ["crustacean", "mollusc"], "mollusques": ["mollusc"], "soja": ["soy"], "celeri": ["celery"],
    "moutarde": ["mustard"], "crevettes": ["crustacean"], "moules": ["mollusc"],
}
DIET_WORDS = {
    "vegetarian": "vegetarian", "veggie": "vegetarian", "vegan": "vegan", "plant-based": "vegan",
    "plant based": "vegan", "pescatarian": "pescatarian", "pescetarian": "pescatarian", "halal": "halal",
    "kosher": "kosher", "gluten-free": "gluten_free", "gluten free": "gluten_free", "coeliac": "gluten_free",
    "celiac": "gluten_free", "dairy-free": "dairy_free", "dairy free": "dairy_free",
    "jain": "jain", "strict jain": "strict_jain", "pregnant": "pregnancy_safe", "pregnancy": "pregnancy_safe",
    "expecting a baby": "pregnancy_safe", "expecting a child": "pregnancy_safe", "expecting twins": "pregnancy_safe",
    "weeks pregnant": "pregnancy_safe", "months pregnant": "pregnancy_safe", "trimester": "pregnancy_safe", "zabiha": "halal", "zabihah": "halal",
    "beef-free": "no_beef", "pork-free": "no_pork", "egg-free": "no_egg", "eggless": "no_egg",
    "pure veg": "vegetarian", "eggetarian": "vegetarian", "vegane": "vegan", "pescetarien": "pescatarian",
    "pescetarienne": "pescatarian",
    "shakahari": "vegetarian", "vegetarien": "vegetarian", "vegetarienne": "vegetarian", "vegetalien": "vegan",
    "vegetalienne": "vegan", "sans gluten": "gluten_free", "sans lactose": "dairy_free", "casher": "kosher",
    "enceinte": "pregnancy_safe", "sans porc": "no_pork", "sans boeuf": "no_beef", "coeliaque": "gluten_free",
    "celiaque": "gluten_free",
    # Pidgin "I dey carry belle", Hinglish "main pet se hoon": pregnant
    "carry belle": "pregnancy_safe", "get belle": "pregnancy_safe", "pet se hoon": "pregnancy_safe",
    "pet se hun": "pregnancy_safe", "pet se hu": "pregnancy_safe",
    "baby on the way": "pregnancy_safe", "bun in the oven": "pregnancy_safe",
    "expecting my first": "pregnancy_safe", "expecting our first": "pregnancy_safe", "eating for two": "pregnancy_safe",
}
ALLERGEN_WORDS = with_heard(ALLERGEN_WORDS)  # "allergic to muscles": mussels
DIET_WORDS = with_heard(DIET_WORDS)  # "I eat hallal", "I'm pesca tarian"
# "I'm coeliac" (and how a recogniser writes it): the condition, an allergy and a diet.
_COELIAC = "|".join(("coeliac", "celiac", "coeliaque", "celiaque") + HEARD_COELIAC)
# "I'm not coeliac (or anything)": the condition denied, which declares no allergy.
_COELIAC_DENIED = re.compile(rf"\bnot (?:an? )?(?:{_COELIAC})\b")
# "I'm expecting" alone, or with the baby after it, is a pregnancy ("I'm expecting a parcel" is not).
_EXPECTING = re.compile(r"\b(?:i'?m|i am|we'?re|we are) expecting(?=\s*(?:[,.;!?]|$|again\b|twins\b|"
                        r"(?:about |around |nearly |almost )?(?:\d+|one|two|three|four|five|six|seven|eight|nine) "
                        r"(?:months?|weeks?)\b|(?:my|our|a) "
                        r"(?:first |second |third )?(?:baby|child|little one)))")
# The verbs of "I don't eat X", shared by the diets and the health read-backs.
REFUSE_VERBS = r"(?:don'?t|do not|never|won'?t|will not)"
# "I don't eat pork", "no beef for me", "I avoid eggs": diets named by what is left out.
_DIET_AVOIDS = {"beef": "no_beef", "cow": "no_beef", "veal": "no_beef", "pork": "no_pork", "bacon": "no_pork",
                "ham": "no_pork", "pig": "no_pork", "eggs": "no_egg", "egg": "no_egg", "meat": "vegetarian",
                "non-veg": "vegetarian", "non veg": "vegetarian", "dairy": "dairy_free", "gluten": "gluten_free",
                # French ("je ne mange pas de porc")
                "viande": "vegetarian", "porc": "no_pork", "boeuf": "no_beef", "jambon": "no_pork",
                "oeufs": "no_egg", "oeuf": "no_egg", "produits laitiers": "dairy_free", "laitages": "dairy_free",
                "lait": "dairy_free"}
_AVOIDABLE = (r"(?:beef|cow|veal|pork|bacon|ham|pig|eggs?|meat|non-veg|non veg|dairy|gluten|viande|porc|boeuf|jambon|oeufs?|"
              r"produits laitiers|laitages|lait)")
# A diet said only by leaving a thing out ("no dairy") is not also kept when that thing is an allergy.
_ALLERGY_DIET = {"dairy_free": "dairy", "gluten_free": "gluten", "no_egg": "egg"}
# "Beef is off the menu for me", "eggs are a no for me": the thing comes first.
# "I just don't eat beef", "I really avoid pork": a softening word between "I" and the refusal.
_SOFTENER = r"(?:(?:just|really|simply|generally|usually|also|personally|strictly|totally|mostly) )?"
# "Eggs, I don't eat them": the thing first, then the refusal of "them".
_DIET_AVOID_AFTER = re.compile(r"\b(beef|pork|bacon|ham|eggs?|meat)\s+(?:is|are)\s+(?:off the menu|a no|out|off limits|"
                               r"a no-go|not for me)|"
                               rf"\b(beef|pork|bacon|ham|eggs?|meat)\W+i {_SOFTENER}(?:don'?t|do not|never|can'?t) "
                               r"(?:eat|touch|have) (?:them|it)\b")
_DIET_AVOID = re.compile(rf"\b(?:i {_SOFTENER}{REFUSE_VERBS} {_SOFTENER}eat|i stopped eating|i gave up|i'?ve given up|i don'?t do|"
                         rf"i {_SOFTENER}avoid|i can'?t have|i cannot have|"
                         r"i (?:don'?t|do not) touch|no|never|not eating|without|i no dey (?:chop|eat)|i no fit (?:chop|eat)|"
                         r"i (?:do )?eat [a-z ,]+? (?:but|and) not|"  # "I eat fish but not meat"
                         r"everything (?:except|but)|anything (?:except|but)|except|apart from|"
                         r"pas de|je ne mange (?:pas|plus|jamais)(?: de| du| d')?|je ne mange ni)(?:\s+|(?<=d'))(?:any\s+)?"
                         rf"({_AVOIDABLE}(?:(?:,| or| and| nor| ni| ou)\s+(?:any\s+|de\s+)?{_AVOIDABLE})*)\b"
                         # "kosher, so no dairy with meat": a rule about mixing, not no dairy
                         r"(?!\s+with (?:meat|milk|dairy|cheese)\b)")
# Hinglish: the thing comes first ("ande nahi khata": no eggs; "pyaaz lehsun nahi": no onion, garlic).
_HINDI_AVOIDS = {"ande": "no_egg", "anda": "no_egg", "andey": "no_egg", "gosht": "vegetarian", "maas": "vegetarian",
                 "meat": "vegetarian", "beef": "no_beef", "pork": "no_pork", "pyaaz": "onion", "pyaz": "onion",
                 "lehsun": "onion", "lahsun": "onion", "non-veg": "vegetarian"}
_HINDI_AVOID = re.compile(r"\b((?:[a-z-]+ ){1,3})(?:bilkul )?(?:nahi|nahin|nahee) (?:khata|khati|khate|khaata|khaati|khaate|khatey|"
                          r"khaatey|kha sakta|kha sakti|chalega|leta|leti)\b")
_FISH_OK = re.compile(r"\b(?:but|except) (?:i (?:do )?eat )?fish\b|\bi (?:do )?eat fish\b|\bfish (?:is|are) (?:fine|ok)|"
                      r"\bje mange (?:du |le )?poisson\b")
EXCLUSIVE_DIETS = ("vegan", "vegetarian", "pescatarian")  # one of them: the last one said
# Strict Jain: roots, onion or garlic refused anywhere in the same sentence ("a Jain who avoids root
# vegetables", "no potatoes, onions or garlic"); "not strict, I eat potatoes" is plain Jain.
_STRICT_JAIN = re.compile(r"\b(?:no|without|don'?t eat|do not eat|never eat|avoids?|avoiding|nahi|nahin)\b[^.;!?]*?"
                          r"\b(?:root vegetables?|roots|underground|onions?|garlic|potato(?:es)?|kandmool|kand mool)\b|"
                          r"\b(?:pyaaz|pyaz|lehsun|lahsun|kandmool)\b[^.;!?]*\b(?:nahi|nahin)\b")
# The Jain diet said not to be strict: "Jain, but not very strict", Hinglish "itna strict nahi".
NOT_STRICT = re.compile(r"\bnot (?:very |that |too |so |really |the |a )*strict\b|\bstrict (?:bilkul )?(?:nahi|nahin|nahee)\b")
NUMBERS = {"two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
           "ten": 10, "eleven": 11, "twelve": 12, "fifteen": 15, "twenty": 20, "a couple": 2}
TRAVEL_TAGS = {
    "nightlife": r"nightlife|bars?|clubs?|party|going out|lively", "quiet": r"quiet|calm|peaceful|relax",
    "family": r"family|kids|children", "budget": r"cheap|budget|affordable|hostel|inexpensive",
    "luxury": r"luxury|luxurious|fancy|upscale|five.star|5.star|splurge", "business": r"business|work trip|conference",
    "transport": r"airport|station|layover|transit", "museums": r"museums?|galleries|sightseeing|culture|history",
    "food": r"food|foodie|restaurants", "central": r"central|downtown|city cent(re|er)|walkable",
}

# An order ("I'll have the suya"): the router sends it to auth for enrolled users; food records it.
ORDER_WORDS = re.compile(r"\b(order|i'?ll have|i will have|get me the|i'?ll take|i want the|"
                         r"i'?ll go with|let me get the|can i (get|have) the)\b")

_CLAUSE = r"([^.;!?]*?)(?=\bbut\b|[.;!?]|$)"
_ALLERGY_ADD = re.compile(r"(?:allergic to|allergique (?:a|aux|au)|allerg(?:y|ies) to|intoleran(?:t|ce) (?:to|of)|"
                          r"intolerante? (?:a|au|aux)|sensibles? (?:a|au|aux)|can'?t go near|cannot go near|(?:an )?epipen for|can'?t eat|cannot eat|"
                          r"can'?t have|can'?t tolerate|cannot tolerate|(?:react|reacts|reacting) badly to|"
                          r"(?:bad |a bad )?reaction to|sensitive to|sensitivity to|sick from|ill from|"
                          r"(?:hives|a rash|rashes|swelling) from|no fit chop|can'?t do|cannot do|can'?t stomach|cannot stomach|"
                          r"can'?t take|cannot take|add)\s+"
                          + _CLAUSE)
# What a food does to the speaker, said after the food (also read by agents.slots_health).
MAKES_ILL = (r"(?:(?:makes?|made) me (?:really |very |so |quite )?(?:ill|sick|unwell|poorly|break out|swell|itch|itchy|"
             r"throw up|vomit|bloated)|sets? me off)")
GIVES_ILL = (r"gives? me (?:[a-z]+ )?(?:hives|a rash|rashes|migraines?|headaches?|a reaction|problems|stomach ache|"
             r"cramps)")
DISAGREES = r"(?:doesn'?t|does not|don'?t|do not) agree with me"
# "shellfish makes me ill", "dairy doesn't agree with me", "I'm lactose intolerant", "I'm coeliac".
# (The subject may be a list: "celery, mustard and sulphites all make me ill".)
_ALLERGY_BEFORE = re.compile(r"\b([a-z' ,-]+?)\s+" + MAKES_ILL + r"|"
                             r"\b([a-z' -]+?)\s+" + DISAGREES + r"|"
                             r"\b([a-z' ,-]+?)\s+" + GIVES_ILL + r"|"
                             r"\b([a-z' -]+?)\s+intolerant\b|\b(" + _COELIAC + r")\b|"
                             # "it's sesame I'm allergic to": the allergen before, nothing after
                             r"\b([a-z' -]+?)\s+(?:that\s+)?(?:i'?m|i am) (?:allergic|intolerant|sensitive) to(?=\s*(?:[,.;!?]|$))")
# A sentence that says it is about an allergy ("nuts, all nuts, I'm allergic to them"): when no
# rule above found what, the allergens it names are what.
_ALLERGY_SENTENCE = re.compile(r"allerg|hives|rash|swell|anaphyla|epipen|reaction|e dey do me|makes? me (?:ill|sick)|"
                               # Pidgin: "egg no dey do me well, I dey react", "groundnut dey scratch my body"
                               r"no dey do me|\breact(?:s|ed)?\b|scratch(?:es)? (?:my body|me)\b|dey worry (?:my body|me)\b|"
                               r"throat|asthma|migraine|trigger|(?:is|are) a problem for me|itch|"
                               r"upsets? (?:my (?:stomach|tummy|gut)|me)\b")
# Hinglish "peanuts se allergy hai, aur sesame se bhi": one more allergen, "also" said after it.
_ALSO_AFTER = re.compile(r"\b(?:aur|and|plus)\s+([a-z ]+?)\s+(?:se\s+)?(?:bhi|too|as well)\b")
# "And also mussels": a sentence or turn that carries on the allergies just given.
_CARRIES_ON = re.compile(r"^\W*(?:oh\W+)?(?:and also|and|also|plus)\b")
# A sentence that takes back the one before ("Wait, no, sorry, it's almonds"), unless it adds to it.
# ("No shellfish either" is not one: no pause after "no", and it adds.)
_SLIP = re.compile(r"^\W*(?:(?:wait|no|sorry|oops|actually|i mean)\W+)*(?:wait|no|sorry|oops|actually|i mean|scratch that)\s*[,!-](?!.*\b(?:too|also|as well|either)\b)")
_SLIP_NOT = re.compile(r"^\W*(?:wait|no|sorry|oops|actually)\W+not\s+(?:the\s+)?([a-z' -]+?)(?=[,.;!?]|$| but | it'?s )")
# "Sorry, I meant pecans, not peanuts": the thing after "not" goes, the one meant comes.
_MEANT_NOT = re.compile(r"\b(?:i meant|i mean|it'?s|it is)\s+[a-z' -]+?,?\s+not\s+(?:the\s+)?([a-z' -]+?)(?=[,.;!?]|$)")
_FINE = re.compile(r"\b([a-z' -]+?)\s+(?:is|are) (?:fine|ok|okay|alright|no problem)\b|"
                   r"\b(?:i'?m|i am) (?:fine|ok|okay|good) with\b(?![^,.;!?]*\b(?:except|apart from|other than)\b)")
# What the speaker says they eat ("I eat fish but no meat"): never an allergy, even in a sentence
# about one ("..., and eggs make me ill" misheard as "and that's make me ill" had stored fish).
_EATS = re.compile(r"\bi (?:do |can |still |happily )?eat ([a-z' -]+?)(?=\s*(?:\bbut\b|\band\b|[,.;!?]|$))")
# Also an allergy disproved: "I thought I was allergic to crab (but the test was negative)".
# ("Not allergic to roses, only to sesame": the denial ends where "only" or "just" starts.)
_ALLERGY_REMOVE = re.compile(r"(?:no longer allergic to|not allergic to|remove|(?<!can't )(?<!cannot )(?<!cant )take|delete|"
                             r"thought i was (?:allergic|intolerant|sensitive) to)\s+"
                             r"([^.;!?]*?)(?=\bbut\b|,?\s*\b(?:only|just)\b|[.;!?]|$)")
_ONLY_TO = re.compile(r"\bnot allergic to\b[^.;!?]*?\b(?:only|just)\s+(?:to\s+)?" + _CLAUSE)
# An allergy outgrown: "I used to be allergic to eggs", "I had a milk allergy as a kid but I grew out of it".
_PAST_MARK = r"(?:grew out of|grown out of|outgrew|outgrown|as a (?:kid|child|baby|toddler)|when i was|went away)"
_OUTGROWN = re.compile(r"\bi used to be (?:allergic|intolerant|sensitive) to ([a-z' ,-]+?)(?=[.;!?]|$| but | as | when )|"
                       r"\bi used to have an? ([a-z' -]+?) (?:allergy|intolerance)\b|"
                       rf"\bi was (?:allergic|intolerant|sensitive) to ([a-z' ,-]+?)(?=,? {_PAST_MARK}|,? but i\b[^.;!?]*{_PAST_MARK})|"
                       rf"\bi had an? ([a-z' -]+?) (?:allergy|intolerance)\b(?=[^.;!?]*\b{_PAST_MARK})")
# An allergy denied by name: "I don't have a nut allergy" (the rest of the sentence may name the real one).
_ALLERGY_DENIED = re.compile(r"\b(?:don'?t|do not) have (?:an? |any )?([a-z -]+?) (?:allergy|allergies|intolerance)\b")
_ALLERGEN_NOUN = re.compile(r"\b([a-z ]+?)\s+(?:allergy|allergies|intolerance)\b")
_AVOID = re.compile(r"(?:without|no|free of|avoid|avoiding|hold the)\s+" + _CLAUSE)
_FREE_SUFFIX = re.compile(r"\b([a-z]+)[- ]free\b")
_NO_ALLERGIES = re.compile(r"\b(no (known |food |real )*allerg(?:y|ies)|not allergic to anything|nothing i'?m allergic to|"
                           r"allergic to nothing|not (?:an? |because of an? )?allerg(?:y|ic)|"
                           r"don'?t have (any |an )?(food )?allerg(?:y|ies))\b")
# A diet given up, now or in the past ("I used to be vegan", "I was vegetarian for years").
# ("I'm Jewish, but I don't keep kosher": a diet not kept.)
_DIET_OFF = re.compile(r"\b(?:(?:don'?t|do not|never|no longer) (?:keep|follow|observe)|no longer|not|stopped being|"
                       r"quit being|used to (?:be|keep|follow|eat|do)|i was)\s+"
                       rf"(?!(?:(?:even|really|strictly|fully|very)\s+)?eat\b|eating\b|{_AVOIDABLE}\b)"  # "I do not really eat beef", "not pork": refusals
                       r"(?:(?:even|really|strictly|fully|very)\s+)?(?:a\s+)?([a-z-]+)")
# "I'm vegan, well, not any more": the diet just said is taken back.
_TAKEN_BACK = re.compile(r"\W+(?:well\W+)?not any ?more\b")
_GROUP_N = re.compile(r"(?:table for|party of|group of|for|we'?re|we are|there are|there'll be)\s+"
                      r"(\d+|a couple|[a-z]+)\b|\b(\d+|[a-z]+) (?:of us|people|persons|guests|friends)\b")


def normalise(text: str) -> str:
    """Lower-case, straight apostrophes, accents removed, single spaces."""
    text = unicodedata.normalize("NFKD", text.replace("\u2019", "'").replace("œ", "oe").replace("Œ", "Oe"))
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return re.sub(r"\s+", " ", text.lower()).strip()


_ALLERGEN_RE = words_regex(ALLERGEN_WORDS)
DIET_RE = words_regex(DIET_WORDS)


def allergens_in(fragment: str) -> list[str]:
    """Canonical allergens named anywhere in ``fragment`` (already normalised)."""
    found = []
    for word in _ALLERGEN_RE.findall(fragment):
        found += [a for a in ALLERGEN_WORDS[word] if a not in found]
    return found


# A place said as where the user comes from or lives ("visiting from Lagos", "I live in London
# but...", "from Paris to...") is not the one the request is about when another place is named.
_ORIGIN_BEFORE = re.compile(r"\b(?:from|live in|living in|based in|home is in|born in|grew up in|raised in|"
                            r"lived in|back home in|home in)\s+(?:the\s+)?$")
# ... or born there ("Lagos-born", "New York born and bred"): the place, then "born".
_ORIGIN_AFTER = re.compile(r"^[a-z']+(?: [a-z']+){0,2}[- ](?:born|bred)\b")


def city_in(text: str) -> str | None:
    """The catalogue city the text is about: the first city, area or airport named that is not said
    as where the user comes from, was born or lives (when every one is, the last named), or None."""
    t = normalise(text)
    places = places_in(t)
    about = [city for pos, city, _ in places if not _ORIGIN_BEFORE.search(t[max(0, pos - 24):pos])
             and not _ORIGIN_AFTER.match(t[pos:pos + 40])]
    return about[0] if about else (places[-1][1] if places else None)


def allergy_changes(text: str) -> tuple[list[str], list[str], bool]:
    """(allergens to add, allergens to remove, said "no allergies") for a profile statement."""
    t = normalise(text)
    slip = _SLIP_NOT.match(t) or _MEANT_NOT.search(t)  # "sorry, not sesame, it's mustard": sesame goes, mustard comes
    only = [a for m in _ONLY_TO.finditer(t) for a in allergens_in(m.group(1))]  # "not allergic to X, only to Y"
    removed = [a for m in _ALLERGY_REMOVE.finditer(t) for a in allergens_in(m.group(1))]
    removed += [a for m in _OUTGROWN.finditer(t) for a in allergens_in(next(g for g in m.groups() if g))]
    removed += [a for m in _ALLERGY_DENIED.finditer(t) for a in allergens_in(m.group(1))]
    removed += allergens_in(slip.group(1)) if slip else []
    removed += ["shellfish"] if {"crustacean", "mollusc"} <= set(removed) else []  # an older profile's tag
    t_add = _ALLERGY_REMOVE.sub(" ", t[:slip.start(1)] + t[slip.end(1):] if slip else t)
    t_add = _COELIAC_DENIED.sub(" ", _ALLERGY_DENIED.sub(" ", _OUTGROWN.sub(" ", t_add)))
    parts = re.split(r"([,.;!?]|\bbut\b)", t_add)  # "... nuts but peanuts are fine": drop only the "fine" part
    fine = [a for part in parts if _FINE.search(part) for a in allergens_in(part)]
    t_add = "".join(part for part in parts if not _FINE.search(part))
    added = only
    for sentence in re.split(r"[.;!?]", t_add):
        found = [a for m in _ALLERGY_ADD.finditer(sentence) for a in allergens_in(m.group(1))]
        found += [a for m in _ALLERGEN_NOUN.finditer(sentence)
                  for a in allergens_in(" ".join(m.group(1).split()[-2:]))]
        found += [a for m in _ALLERGY_BEFORE.finditer(sentence) for a in allergens_in(_subject(m))]
        if found:  # "..., aur sesame se bhi"
            found += [a for m in _ALSO_AFTER.finditer(sentence) for a in allergens_in(m.group(1))]
        if not found and _ALLERGY_SENTENCE.search(sentence) and not _NO_ALLERGIES.search(sentence):
            eaten = [a for m in _EATS.finditer(sentence) for a in allergens_in(m.group(1))]
            found = [a for a in allergens_in(sentence) if a not in eaten]
        if not found and added and carries_on(sentence):  # "allergic to celery. Oh, and mustard too"
            found = allergens_in(sentence)
        if (added or slip) and _SLIP.match(sentence):  # "peanuts. Wait, no, it's almonds": the earlier ones were a slip
            found = found or allergens_in(sentence)
            added = [] if found else added
        added += found
    removed += [a for a in fine if a not in added]  # "peanuts are fine": not an allergy (any more)
    return _unique([a for a in added if a not in fine]), _unique(removed), bool(_NO_ALLERGIES.search(t))


def carries_on(fragment: str) -> bool:
    """``fragment`` (normalised) adds to what was just said and names no diet: "and also mussels"
    (but "and also eggs, I don't eat beef" may be a diet: nothing is guessed)."""
    return bool(_CARRIES_ON.match(fragment)) and _names_no_diet(fragment)


def corrects(fragment: str) -> bool:
    """``fragment`` (normalised) opens by putting right what was just said and names no diet:
    "actually no, it's tree nuts" (but "sorry, I meant no eggs" may be a diet: nothing is guessed)."""
    return bool(_SLIP.match(fragment)) and _names_no_diet(fragment)


def _names_no_diet(fragment: str) -> bool:
    return not DIET_RE.search(fragment) and not _DIET_AVOID.search(fragment)


def _subject(m: re.Match) -> str:
    """What "makes me ill" / "intolerant" is said of: the words before it, after any "but"."""
    return next(g for g in m.groups() if g).split(" but ")[-1]


def avoided_in_request(text: str) -> list[str]:
    """Allergens the speaker wants left out of this request ("without dairy", "nut-free")."""
    t = _ALLERGY_REMOVE.sub(" ", normalise(text))
    found = [a for m in _AVOID.finditer(t) for a in allergens_in(m.group(1))]
    found += [a for m in _FREE_SUFFIX.finditer(t) for a in allergens_in(m.group(1))]
    return _unique(found + allergy_changes(text)[0])


def diet_changes(text: str) -> tuple[list[str], list[str]]:
    """(diets to add, diets to remove): "I'm vegan now" / "I'm no longer vegetarian"."""
    t = normalise(text)
    removed = [DIET_WORDS[m.group(1)] for m in _DIET_OFF.finditer(t) if m.group(1) in DIET_WORDS]
    if _COELIAC_DENIED.search(t) and re.search(r"\bgluten[ -]free\b", t):  # "gluten-free, but not coeliac": a diet only
        removed = [d for d in removed if d != "gluten_free"]
    removed += [DIET_WORDS[said[-1]] for m in _TAKEN_BACK.finditer(t)
                if (said := DIET_RE.findall(re.split(r"[.;!?]", t[:m.start()])[-1][-40:]))]
    if re.search(r"\bi eat meat\b|\bi'?m eating meat\b", t):
        removed += ["vegetarian", "vegan", "pescatarian"]
    kept = _DIET_OFF.sub(" ", t)
    said = [(m.start(), DIET_WORDS[m.group(1)]) for m in DIET_RE.finditer(kept)]
    said += [(m.start(), "pregnancy_safe") for m in _EXPECTING.finditer(kept)]
    allergic = set(allergy_changes(text)[0])
    # "I'm fine with gluten" takes back gluten-free; "butter is fine" leaves dairy-free (it names no diet)
    fine = {a for part in re.split(r"[,.;!?]|\bbut\b", kept) if _FINE.search(part)
            for a in allergens_in(part) if re.search(rf"\b{a}s?\b", part)}
    for m in _DIET_AVOID.finditer(kept):
        for word in re.findall(_AVOIDABLE, m.group(1)):
            diet = _DIET_AVOIDS[word]
            diet = "pescatarian" if diet == "vegetarian" and _FISH_OK.search(kept) else diet  # "no meat, but fish"
            if _ALLERGY_DIET.get(diet) not in allergic:
                said.append((m.start(), diet))
    said = [(at, d) for at, d in said if _ALLERGY_DIET.get(d) not in fine]  # "but I'm fine with gluten"
    said += [(m.start(), _DIET_AVOIDS[m.group(1) or m.group(2)]) for m in _DIET_AVOID_AFTER.finditer(kept)]
    for m in _HINDI_AVOID.finditer(kept):
        said += [(m.start(), _HINDI_AVOIDS[w]) for w in m.group(1).split() if w in _HINDI_AVOIDS]
    added = [d for _, d in sorted(said)]
    if "jain" in added and (strict_jain_said(t) or "onion" in added):
        added.append("strict_jain")
    if "strict_jain" in added:  # strict Jain includes Jain: one tag
        added = [d for d in added if d != "jain"]
    exclusive = [d for d in added if d in EXCLUSIVE_DIETS]
    added = [d for d in added if d != "onion" and (d not in EXCLUSIVE_DIETS or d == exclusive[-1])]
    return _unique([d for d in added if d not in removed]), _unique(removed)


def strict_jain_said(text: str) -> bool:
    """``text`` says the Jain diet is strict ("strict actually, no root vegetables"), not that it
    isn't ("Jain, but not very strict", Hinglish "itna strict nahi")."""
    t = normalise(text)
    kept = _DIET_OFF.sub(" ", t)  # "not vegan, no onions" still refuses onions
    return not NOT_STRICT.search(t) and bool(_STRICT_JAIN.search(kept) or re.search(r"\bstrict\b", kept))


def spice_range(text: str) -> tuple[int, int]:
    """(min, max) spice on a 0-3 scale from "spicy", "a kick", "mild", "not too spicy"."""
    t = normalise(text)
    if re.search(r"not (too |very |that )?(spicy|hot)|\bmild\b|no spice|nothing (too |very )?spicy|gentle|less spicy", t):
        return 0, 1
    if re.search(r"spicy|fiery|\ba kick\b|some heat\b|extra hot|really hot|\bhot\b food|\bchill?i(?:es|s)?\b", t):
        return 2, 3
    return 0, 3


# "fancy" that asks for nothing dear: the verb ("I fancy a curry", "fancy some suya?") and its
# negation ("nothing fancy", "doesn't have to be fancy").
_NOT_DEAR_FANCY = re.compile(
    r"\b(?:i|we|you|they|he|she|who)(?:'d| would| really| kind of| kinda| sort of| also| just)? fancy\b|"
    r"\bfancy (?:a|an|some|going|getting|eating|having|trying)\b|"
    r"\b(?:nothing|not|no|never|n't|isn't|doesn't have to be|don't need)\s+(?:\w+\s+)?fancy\b")


def budget(text: str) -> str | None:
    """"low", "high" or None from "cheap", "on a budget", "something fancy", "splurge"; "I fancy a
    curry" and "nothing fancy" ask for nothing dear."""
    t = normalise(text)
    if re.search(r"cheap|budget|affordable|inexpensive|not too expensive|\bbroke\b", t):
        return "low"
    if re.search(r"fancy|splurge|treat (my|our)sel|upscale|luxur|posh|special occasion", _NOT_DEAR_FANCY.sub(" ", t)):
        return "high"
    return None


def group_size(text: str, default: int = 4) -> int:
    """Party size from "table for six", "8 of us", "we're a group of 5"; ``default`` otherwise."""
    for m in _GROUP_N.finditer(normalise(text)):
        word = m.group(1) or m.group(2)
        n = int(word) if word.isdigit() else NUMBERS.get(word)
        if n and 1 < n <= 50:
            return n
    return default


def travel_tags(text: str) -> list[str]:
    """Travel preferences named in the text (nightlife, quiet, family, budget, luxury...)."""
    t = normalise(text)
    return [tag for tag, pattern in TRAVEL_TAGS.items() if re.search(pattern, t)]


def _unique(items: list[str]) -> list[str]:
    return list(dict.fromkeys(items))
