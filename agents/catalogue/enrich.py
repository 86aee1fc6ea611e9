"""Enrichers: everything the catalogue says about a dish that is *derived*, never typed in.

The ingredient table below is the single source of truth for allergens.  A dish's allergens
are the union of its ingredients' allergens; an ingredient missing from the table raises
``UnknownIngredient`` (the loader refuses to load it, and a test covers every dataset dish).

Allergen tags are the EU's 14 (Regulation 1169/2011, Annex II) under the catalogue's short
names, plus ``shellfish``, which the enricher adds whenever a dish has crustaceans or
molluscs (people say "shellfish" for either):

    celery, gluten (cereals containing gluten: wheat, rye, barley, oats), crustacean, egg,
    fish, lupin, dairy (milk), mollusc, mustard, tree_nut, peanut, sesame, soy, sulphites

Compound ingredients (soy sauce, mayonnaise, pesto, english mustard...) list every allergen
they usually carry, conservatively (soy sauce is brewed with wheat; Colman's has wheat flour).

Diet tags: vegan, vegetarian, pescatarian, halal, kosher, gluten_free, dairy_free, no_beef,
no_pork, no_egg, jain, strict_jain, pregnancy_safe.  Halal and kosher also need the
restaurant's certification; everything else is from ingredients, here and nowhere else
(``agents.safety`` asks ``diets_of`` too).  Where a kind is uncertain the table is cautious:
gelatine counts as beef and pork, sauces usually made with garlic or onion count as "root"
(strict Jain), mould-ripened or often-unpasteurised cheeses as "risky_cheese" (pregnancy),
yeast-leavened breads (and crumbs made from them) as "fungus" (Jain), cold-smoked fish and
lightly cooked egg sauces as "raw" (pregnancy).  Land snails are molluscs for allergy but
meat (not seafood) for diets.
"""

from __future__ import annotations

from statistics import median

EU_ALLERGENS: dict[str, str] = {  # EU Annex II name -> catalogue tag
    "celery": "celery", "cereals containing gluten": "gluten", "crustaceans": "crustacean",
    "eggs": "egg", "fish": "fish", "lupin": "lupin", "milk": "dairy", "molluscs": "mollusc",
    "mustard": "mustard", "nuts": "tree_nut", "peanuts": "peanut", "sesame seeds": "sesame",
    "soybeans": "soy", "sulphur dioxide and sulphites": "sulphites",
}
ALLERGENS: tuple[str, ...] = tuple(sorted(EU_ALLERGENS.values())) + ("shellfish",)
DIETS = ("vegan", "vegetarian", "pescatarian", "halal", "kosher", "gluten_free", "dairy_free",
         "no_beef", "no_pork", "no_egg", "jain", "strict_jain", "pregnancy_safe")
# Animal/other classes an ingredient can carry (drive the diet tags).  root: root vegetables,
# the onion family and garlic (or a sauce made with them); fungus: mushrooms and yeast (Jains
# avoid both); raw: eaten raw (sashimi-style fish, raw egg); liver: liver and pâté (vitamin A);
# risky_cheese: mould-ripened or often unpasteurised (listeria) -- the last three for pregnancy.
KINDS = {"meat", "beef", "pork", "fish", "shellfish", "dairy", "egg", "alcohol", "honey", "gelatine",
         "nonkosher", "root", "fungus", "raw", "liver", "risky_cheese"}
# Bumped whenever the derivation rules change, so a graph loaded under older rules is reloaded.
RULES_VERSION = "4"


class UnknownIngredient(KeyError):
    """An ingredient the enricher has no entry for: its allergens would be unknown."""


# name | allergen tags | kinds | heat 0-3
_TABLE = """
rice|||
tomato|||
onion||root|
red onion||root|
scotch bonnet|||3
chilli|||2
dried chilli|||2
red chilli|||2
green chilli|||2
kashmiri chilli|||1
chilli powder|||2
chilli oil|||2
red pepper flakes|||2
guajillo chilli|||1
serrano chilli|||2
jalapeno|||1
poblano pepper|||1
sichuan pepper|||2
gochugaru|||2
utazi|||1
black pepper|||1
white pepper|||1
harissa||root|2
hot sauce||root|2
chilli sauce||root|2
schezwan sauce|soy,gluten|root|3
salsa||root|1
salsa verde||root|1
green chutney|||1
wasabi|mustard|root|1
horseradish||root|1
bell pepper|||
red pepper|||
spices|||1
palm oil|||
palm nut|||
plantain|||
black-eyed beans|||
yam||root|
yam flour||root|
purple yam||root|
egusi|||
spinach|||
garlic||root|
ginger||root|
potato||root|
sweet potato||root|
lentils|||
red lentils|||
yellow lentils|||
toor dal|||
urad dal|||
moth beans|||
chickpeas|||
kidney beans|||
black beans|||
butter beans|||
cannellini beans|||
split peas|||
peas|||
papdi beans|||
green beans|||
edamame|soy||
okra|||
lime|||
lemon|||
preserved lemon|||
orange|||
mushroom||fungus|
porcini||fungus|
wood ear mushroom||fungus|
dates|||
prunes|sulphites||
apricot|sulphites||
barberries|sulphites||
sugar|||
sugar syrup|||
jaggery|||
maple syrup|||
lettuce|||
rocket|||
cucumber|||
olive oil|||
vegetable oil|||
vegetable shortening|||
aubergine|||
garden egg|||
courgette|||
carrot||root|
pickled carrot||root|
daikon||root|
radish||root|
cabbage|||
pak choi|||
bean sprouts|||
bamboo shoots|||
cauliflower|||
pumpkin|||
callaloo|||
ackee|||
jute leaves|||
bitter leaf|||
cocoyam||root|
cassava||root|
drumstick|||
fenugreek|||
sweetcorn|||
hominy|||
tomatillo|||
avocado|||
mango|||
pineapple|||
banana|||
apple|||
pear|||
strawberries|||
hibiscus|||
olives|||
green olives|||
capers|||
herbs|||
basil|||
parsley|||
coriander|||
dill|||
thyme|||
oregano|||
bay leaf|||
mint|||
chive||root|
spring onion||root|
shallot||root|
fried shallots||root|
fried onions||root|
lemongrass|||
curry leaves|||
kokum|||
tamarind|||
mixed vegetables||root|
cumin|||
turmeric|||
cardamom|||
cinnamon|||
nutmeg|||
allspice|||
saffron|||
star anise|||
five spice|||
fennel seeds|||
nigella seeds|||
sumac|||
paprika|||
garam masala|||1
curry powder|mustard||1
sambar powder|gluten||1
asafoetida|gluten||
sea salt|||
potash|||
locust beans|||
vanilla|||
cocoa|||
coffee|||
tea|||
green tea|||
matcha|||
orange blossom water|||
pomegranate molasses|||
rice vinegar|||
white vinegar|||
red wine vinegar|sulphites||
tomato ketchup||root|
banana leaf|||
wakame|||
nori|||
yeast||fungus|
tofu|soy||
soft tofu|soy||
miso|soy||
soy sauce|soy,gluten||
hoisin sauce|soy,gluten,sesame|root|
teriyaki sauce|soy,gluten|alcohol|
eel sauce|soy,gluten|alcohol|
tentsuyu|soy,gluten,fish|fish,alcohol|
japanese curry roux|gluten,soy,dairy|dairy|1
gochujang|soy,gluten|root|2
kimchi|crustacean,fish|shellfish,fish,root|1
oyster sauce|mollusc,soy,gluten|shellfish|
fish sauce|fish|fish|
worcestershire sauce|fish,gluten|fish|
dashi|fish|fish|
anchovy stock|fish|fish|
chickpea flour|||
sev|||
farsan|peanut||
rice flour|||
ground rice|||
cornflour|||
cornmeal|||
potato starch||root|
tapioca starch||root|
buckwheat flour|||
sago|||
puffed rice|||
flattened rice|||
arborio rice|||
sushi rice|||
rice noodles|||
rice vermicelli|||
rice paper|||
rice cakes|||
glass noodles|||
sweet potato noodles||root|
corn tortilla|||
tortilla chips|||
potato straws||root|
coconut|||
coconut milk|||
coconut chutney|mustard||
wheat flour|gluten||
wheat starch|gluten||
wheat pancakes|gluten||
wheat tortilla|gluten||
wheat noodles|gluten||
bread|gluten|fungus|
baguette|gluten|fungus|
white bread|gluten|fungus|
italian bread|gluten|fungus|
rye bread|gluten|fungus|
flatbread|gluten|fungus|
pitta bread|gluten|fungus|
pide bread|gluten|fungus|
pav|gluten|fungus|
bagel|gluten|fungus|
hot dog bun|gluten|fungus|
sesame bun|gluten,sesame|fungus|
breadcrumbs|gluten|fungus|
panko|gluten|fungus|
graham crackers|gluten|honey|
matzo meal|gluten||
couscous|gluten||
bulgur wheat|gluten||
semolina|gluten||
oats|gluten||
spaghetti|gluten||
penne|gluten||
linguine|gluten||
trofie|gluten||
ditalini|gluten||
macaroni|gluten||
fresh egg pasta|gluten,egg|egg|
filo pastry|gluten||
brik pastry|gluten||
warqa pastry|gluten||
kataifi pastry|gluten||
puff pastry|gluten,dairy|dairy|
choux pastry|gluten,egg,dairy|egg,dairy|
savoiardi|gluten,egg|egg|
yorkshire pudding|gluten,egg,dairy|egg,dairy|
branston pickle|gluten|root|
ale|gluten|alcohol|
beer|gluten|alcohol|
red wine|sulphites|alcohol|
white wine|sulphites|alcohol|
marsala|sulphites|alcohol|
cider|sulphites|alcohol|
grand marnier||alcohol|
vodka||alcohol|
pickles|sulphites||
sauerkraut|sulphites||
celery|celery||
vegetable stock|celery|root|
chicken stock|celery|meat|
beef stock|celery|meat,beef|
beef broth||meat,beef|
gravy|gluten,celery|meat,beef|
peanut|peanut||
peanut sauce|peanut,soy,gluten|root|
cashew|tree_nut||
almond|tree_nut||
walnut|tree_nut||
pistachio|tree_nut||
pine nuts|tree_nut||
basil pesto|tree_nut,dairy|dairy,root|
chocolate hazelnut spread|tree_nut,dairy,soy|dairy|
chocolate chips|dairy,soy|dairy|
chocolate sauce|dairy,soy|dairy|
lupin beans|lupin||
sesame paste|sesame||
sesame oil|sesame||
sesame seeds|sesame||
tahini|sesame||
za'atar|sesame||
mustard seeds|mustard||
mustard oil|mustard||
mustard paste|mustard||1
english mustard|mustard,gluten||1
deli mustard|mustard||1
dijon mustard|mustard,sulphites||1
mayonnaise|egg,mustard|egg|
sriracha mayo|egg,mustard|egg,root|2
russian dressing|egg,mustard,fish,gluten|egg,fish|
toum||root|
white sauce|dairy,egg,mustard|dairy,egg|
blue cheese dressing|dairy,egg,mustard|dairy,egg,risky_cheese|
bearnaise sauce|egg,dairy,sulphites|egg,dairy,alcohol,raw|
horseradish sauce|dairy,mustard,sulphites|dairy,root|1
bechamel|dairy,gluten|dairy|
butter|dairy|dairy|
ghee|dairy|dairy|
cream|dairy|dairy|
sour cream|dairy|dairy|
crema|dairy|dairy|
milk|dairy|dairy|
milk powder|dairy|dairy|
buttermilk|dairy|dairy|
yoghurt|dairy|dairy|
mawa|dairy|dairy|
vanilla ice cream|dairy,egg|dairy,egg|
paneer|dairy|dairy|
mozzarella|dairy|dairy|
burrata|dairy|dairy|
ricotta|dairy|dairy|
mascarpone|dairy|dairy|
parmesan|dairy|dairy|
pecorino|dairy|dairy|
gorgonzola|dairy|dairy,risky_cheese|
fontina|dairy|dairy|
gruyere|dairy|dairy|
emmental|dairy|dairy|
cheddar|dairy|dairy|
feta|dairy|dairy|
halloumi|dairy|dairy|
kasar cheese|dairy|dairy|
kunefe cheese|dairy|dairy|
goat's cheese|dairy|dairy,risky_cheese|
cream cheese|dairy|dairy|
farmer cheese|dairy|dairy|
american cheese|dairy|dairy|
swiss cheese|dairy|dairy|
blue cheese|dairy|dairy,risky_cheese|
processed cheese|dairy|dairy|
cotija|dairy|dairy,risky_cheese|
queso fresco|dairy|dairy,risky_cheese|
queso oaxaca|dairy|dairy|
egg|egg|egg|
raw egg|egg|egg,raw|
meringue|egg|egg|
honey||honey|
gelatine||gelatine|
chicken||meat|
chicken liver||meat,liver|
schmaltz||meat|
turkey||meat|
duck||meat|
duck fat||meat|
beef||meat,beef|
beef brisket||meat,beef|
corned beef||meat,beef|
salt beef||meat,beef|
pastrami||meat,beef|
oxtail||meat,beef|
cow foot||meat,beef|
liver||meat,beef,liver|
veal||meat,beef|
goat||meat|
goat brain||meat|
lamb||meat|
merguez||meat,beef|1
pork||pork|
chashu pork|soy,gluten|pork,alcohol|
pork bone broth||pork|
pork liver pate|egg,dairy,sulphites|pork,egg,dairy,liver,alcohol|
bacon||pork|
ham||pork|
prosciutto||pork|
guanciale||pork|
pepperoni||pork,beef|1
spicy salami||pork|1
sausage|gluten,sulphites|pork|
italian sausage||pork|
catfish|fish|fish,nonkosher|
eel|fish|fish,nonkosher|
stockfish|fish|fish|
dried fish|fish|fish|
cod|fish|fish|
salt cod|fish|fish|
smoked haddock|fish|fish|
salmon|fish|fish|
raw salmon|fish|fish,raw|
smoked salmon|fish|fish,raw|
tuna|fish|fish|
raw tuna|fish|fish,raw|
sea bass|fish|fish|
red snapper|fish|fish|
sole|fish|fish|
anchovy|fish|fish|
hilsa|fish|fish|
rohu|fish|fish|
pomfret|fish|fish|
kingfish|fish|fish|
bombay duck|fish|fish|
carp|fish|fish|
pike|fish|fish|
fish cake|fish,gluten|fish|
crayfish|crustacean|shellfish|
prawn|crustacean|shellfish|
lobster|crustacean|shellfish|
crab|crustacean|shellfish|
clams|mollusc|shellfish|
mussels|mollusc|shellfish|
squid|mollusc|shellfish|
snails|mollusc|meat,nonkosher|
periwinkle|mollusc|shellfish|
"""


def _parse(table: str) -> dict[str, tuple[frozenset, frozenset, int]]:
    out = {}
    for line in table.strip().splitlines():
        name, allergens, kinds, heat = (part.strip() for part in line.split("|"))
        tags = frozenset(a for a in allergens.split(",") if a)
        classes = frozenset(k for k in kinds.split(",") if k)
        if name in out:
            raise ValueError(f"ingredient listed twice: {name}")
        if bad := tags - set(ALLERGENS) or classes - KINDS:
            raise ValueError(f"{name}: unknown tag {bad}")
        out[name] = (tags, classes, int(heat or 0))
    return out


# ingredient -> (allergen tags, kinds, heat 0-3)
INGREDIENTS: dict[str, tuple[frozenset, frozenset, int]] = _parse(_TABLE)


def ingredient(name: str) -> tuple[frozenset, frozenset, int]:
    try:
        return INGREDIENTS[name]
    except KeyError:
        raise UnknownIngredient(name) from None


def allergens_of(ingredients) -> list[str]:
    """Sorted allergen tags of a dish: the union over its ingredients (+ ``shellfish``)."""
    tags = set().union(*(ingredient(i)[0] for i in ingredients)) if ingredients else set()
    if tags & {"crustacean", "mollusc"}:
        tags.add("shellfish")
    return sorted(tags)


def kinds_of(ingredients) -> set[str]:
    return set().union(*(ingredient(i)[1] for i in ingredients)) if ingredients else set()


def diets_of(ingredients, halal_certified: bool = False, kosher_certified: bool = False) -> list[str]:
    """Sorted diet tags a dish satisfies.

    halal: certified kitchen, no pork, alcohol or gelatine.  kosher: certified kitchen, no
    pork, shellfish, non-kosher fish or gelatine, and never meat with dairy.  jain: no meat,
    fish, egg, honey, alcohol or fungus; strict_jain: jain and no root vegetables, onion or
    garlic.  pregnancy_safe: nothing raw, no liver, no risky cheese, no alcohol.
    """
    kinds, allergens = kinds_of(ingredients), set(allergens_of(ingredients))
    flesh = {"meat", "pork", "fish", "shellfish", "gelatine"}
    diets = []
    if not kinds & (flesh | {"dairy", "egg", "honey"}):
        diets.append("vegan")
    if not kinds & flesh:
        diets.append("vegetarian")
    if not kinds & {"meat", "pork", "gelatine"}:
        diets.append("pescatarian")
    if halal_certified and not kinds & {"pork", "alcohol", "gelatine"}:
        diets.append("halal")
    if kosher_certified and not kinds & {"pork", "shellfish", "nonkosher", "gelatine"} \
            and not {"meat", "dairy"} <= kinds:
        diets.append("kosher")
    if "gluten" not in allergens:
        diets.append("gluten_free")
    if "dairy" not in allergens:
        diets.append("dairy_free")
    if not kinds & {"beef", "gelatine"}:
        diets.append("no_beef")
    if not kinds & {"pork", "gelatine"}:
        diets.append("no_pork")
    if "egg" not in allergens:
        diets.append("no_egg")
    jain = not kinds & (flesh | {"egg", "honey", "alcohol", "fungus"})  # lacto-vegetarian, no egg
    if jain:
        diets.append("jain")
    if jain and "root" not in kinds:
        diets.append("strict_jain")
    if not kinds & {"raw", "liver", "risky_cheese", "alcohol"}:
        diets.append("pregnancy_safe")
    return sorted(diets)


def spice_level(ingredients) -> int:
    """0-3 from the hottest ingredient (a scotch bonnet is 3, black pepper 1)."""
    return max((ingredient(i)[2] for i in ingredients), default=0)


# Local-currency thresholds between price bands 1|2|3|4 for one dish.
PRICE_BANDS = {"Lagos": (3000, 7000, 15000), "London": (8, 15, 28), "New York": (10, 18, 32),
               "Paris": (9, 17, 30), "Mumbai": (150, 400, 900)}


def price_band(price: float, city: str) -> int:
    """1 (cheap) to 4 (expensive) for one dish, relative to the city."""
    return 1 + sum(price >= t for t in PRICE_BANDS[city])


def restaurant_band(prices, city: str) -> int:
    """A restaurant's band: the band of its median dish price."""
    return price_band(median(prices), city) if prices else 1


def enrich_dish(dish: dict, city: str, halal_certified: bool, kosher_certified: bool) -> dict:
    """The dish with allergens, diets, spice (the menu's own, else derived) and price band."""
    ings = dish["ingredients"]
    spice = dish.get("spice")
    return dish | {"allergens": allergens_of(ings),
                   "diets": diets_of(ings, halal_certified, kosher_certified),
                   "spice": spice_level(ings) if spice is None else int(spice),
                   "price_band": price_band(dish["price"], city)}
