"""Reply wording, all in one place: offline templates in English and French, formal and
informal, greetings, money and distances the way the city writes them, cultural context.

``say(key, style, **facts)`` fills a template in the style's language and register, falling
back to the language's default register, then to English (``agents.culture.Style`` decides
language, register, greeting and units per reply).  ``polish(ctx, text, must_keep, style)``
lets the language model (when configured) re-phrase it in the same language and register,
keeping the template if the model fails or drops a concrete item (a dish, a price).
"""

from __future__ import annotations

import logging

log = logging.getLogger(__name__)

# What the assistant can do, ending each reply that says what it can't (clarify's offer too).
_OFFER = "Do you want food, a place to stay, plans with friends, or to update your profile?"
_OFFER_FR = "Souhaitez-vous un repas, un logement, une sortie entre amis, ou modifier votre profil ?"
_OFFER_FR_TU = "Tu veux un repas, un logement, une sortie entre amis, ou modifier ton profil ?"

# "<lang>" is the language's default register (English informal, French formal: "vous");
# "<lang>/<register>" overrides some keys.
TEMPLATES: dict[str, dict[str, str]] = {
    "en": {
        "food": "In {city}, try {first}.{more}{safety}",
        "food_none": "I couldn't find a dish in {city} that fits{why}. Want me to relax the spice or budget?",
        "food_relaxed": "Nothing matched exactly, so loosening spice and budget: in {city}, try {first}.{more}{safety}",
        "food_ordered": "Done: {dish} from {restaurant}, {price}. I've noted the order.{safety}",
        "food_booked": "Done: {dish} from {restaurant}, {price}, booked for {size}{when}. Confirmation {confirmation}.{safety}",
        "food_not_booked": "I couldn't book {dish} at {restaurant}{when}, so nothing is ordered. Shall I try another time?",
        "table_booked": "Booked: a table for {size} at {restaurant}{when}. Confirmation {confirmation}.",
        "table_not_booked": "I couldn't book a table at {restaurant}{when}; nothing is booked. Shall I try another time?",
        "food_unsafe": "I won't order {dish}: it contains {allergens}, which you're allergic to. {alternative}",
        "food_unsafe_diet": "I won't order {dish}: it isn't {diets}. {alternative}",
        "food_unknown": "I won't order {dish}: I don't know everything in it. {alternative}",
        "food_closest": "Nothing with {asked} in {city} fits{why}, so here is the closest safe choice: {first}.{more}{safety}",
        "food_nearest_district": "I have nothing in {district} that fits; the nearest is in {neighbourhood}, {distance} away.",
        "food_not_in_district": "I have nothing in {district} that fits.",
        "health_unclear": "I heard \"{heard}\" but I'm not sure which allergy or diet that is, so I haven't saved it. "
                          "What exactly can't you eat?",
        "health_guess": "I heard \"{heard}\": did you mean {guess}? I haven't saved it yet: just say yes or no.",
        "health_not_saved": "All right, I haven't saved it. What can't you eat? If nothing, just say \"no allergies\".",
        "home_guess": "I heard that you live in \"{heard}\": did you mean {place}? Just say yes or no.",
        "home_kept": "All right, I'll keep {heard} as your home.",
        "food_health_first": "Before I suggest any food: earlier I heard \"{heard}\" and couldn't tell which allergy or "
                             "diet that is. What can't you eat? If nothing, just say \"no allergies\".",
        "food_health_guess_first": "Before I suggest any food: earlier I heard \"{heard}\": did you mean {guess}? "
                                   "I haven't saved it yet: just say yes or no.",
        "food_health_unheard": "Before I suggest any food: I didn't catch something you said earlier. Do you have any "
                               "food allergies or a diet I should know about? If not, just say \"no allergies\".",
        "food_health_untold": "Before I suggest any food: do you have any food allergies or a diet I should know about? "
                              "If not, just say \"no allergies\".",
        "onboard_allergies": "Do you have any food allergies or a diet I should know about? If not, just say \"no allergies\".",
        "home_where": "I heard that you live in \"{heard}\", a place I don't know: which city is it in?",
        "jain_strict": "You're Jain: do you also leave out onion, garlic and root vegetables? Just say yes or no; "
                       "until you tell me, I'll leave them out.",
        "food_jain_strict": " I've left out onion, garlic and root vegetables; tell me if you do eat them.",
        "home_where_country": "Which city in {heard} do you live in?",
        "heard_check": "I want to be sure I heard you: \"{heard}\". Is that right? Just say yes or no.",
        "food_which": "Which one do you mean: {options}?",
        "dish_at": "{dish} at {restaurant} in {neighbourhood} ({price})",
        "or_more": " Or {items}.",
        "alternative": "How about {dish} instead?",
        "why_diet": " your {diets} diet",
        "why_allergens": " without {allergens}",
        "safe_all": " All of it is free of {allergens}.",
        "safe_it": " It's free of {allergens}.",
        "no_city": "Which city are you eating in? I know Lagos, London, New York, Paris and Mumbai.",
        "unknown_city": "I don't have places in {city} yet; I know Lagos, London, New York, Paris and Mumbai.",
        "travel": "In {city}, stay in {neighbourhood}: {hotel}, about {price} a night, {why}.{more}",
        "travel_more": " Or {neighbourhood}: {hotel}, {price}.",
        "travel_near": " The first is {distance} from {landmark}.",
        "travel_more_same": " Or {hotel}, also in {neighbourhood}, {price}.",
        "travel_no_city": "Which city are you heading to? I can suggest areas in Lagos, London, New York, Paris and Mumbai.",
        "social": "For {size} in {city}, {place} in {neighbourhood} seats groups up to {max_group}. {dishes}{safety}",
        "social_members": "For {size} in {city} ({members}), {place} in {neighbourhood} seats groups up to "
                          "{max_group}. {dishes}{safety}",
        "social_outside": "For {size} in {city}{members}, try {place}{area}. {dishes}{safety}",
        "in_area": " in {neighbourhood}",
        "to_share": "Good to share: {dishes}.",
        "social_none": "I couldn't find a place in {city} that seats {size}. Shall I look for two tables nearby?",
        "social_none_members": "I couldn't find a place in {city} with dishes for all of you ({members}){why}. "
                               "Shall I try a smaller group?",
        "not_friends": "I don't know {names} yet: only friends you've added count. Say 'add {first} as a "
                       "friend' (they need to use Aurasense), and I'll check their allergies too.",
        "friend_added": "Done: {names} {verb} now among your friends.",
        "friend_removed": "Done: I've removed {names} from your friends.",
        "friend_unknown": "I don't know anyone called {names} on Aurasense yet. Ask them to sign up first.",
        "friend_ambiguous": "I know {count} people called {name}. Which city does yours live in? Say 'add {name} "
                            "from' and the city.",
        "friends_list": "Your friends: {names}.",
        "friends_none": "You haven't added any friends yet. Say 'add' and their name, then 'as a friend'.",
        "shared": "Shared {items} with {friend}.",
        "share_skipped": " I didn't share {item}: {why}.",
        "share_nothing": "There's nothing to share yet: ask me for a dish or a place first.",
        "share_none_safe": "I didn't share anything with {friend}: {why}.",
        "why_allergic": "it contains {allergens}, and {who} allergic to that",
        "why_diet_off": "it isn't {diets}, which {who} keeps to",
        "why_no_safe_dish": "nothing there is safe for {who}",
        "inbox_one": "{who} shared {items} with you.",
        "inbox_none": "Your friends haven't shared anything with you yet.",
        "inbox_unsafe": " {n} shared item(s) left out: not safe for you.",
        "onboard_saved": "{greeting}, {name}! I've saved this: {summary}.",
        "onboard_next": "Ask me for food, a place to stay, or plans with friends.",
        "onboard_ask": "{hello}Before I recommend anything, {question}",
        "onboard_not_understood": "Sorry, I didn't understand that. ",
        "start_over_ask": "Start again from the beginning? I'd forget what you've told me: {summary}. "
                          "Your sign-in and friends stay. Just say yes or no.",
        "start_over_done": "Done, I've forgotten it all. Let's start again: {question}",
        "start_over_kept": "All right, I've kept everything as it was.",
        "forget_ask": "Shall I forget everything you've told me: {summary}? Your sign-in and friends stay. "
                      "Just say yes or no.",
        "forget_nothing": "I haven't saved anything about you yet.",
        "welcome": "Welcome to Aurasense! ",
        "nice_to_meet": "Nice to meet you, {name}. ",
        "ask_name": "what's your name",
        "ask_city": "which city do you live in",
        "ask_allergies": "do you have any food allergies or a diet I should know about",
        "ask_else": "anything else I should know",
        "profile_read": "Here's what I have: {summary}.",
        "profile_changed": "Updated. Now I have: {summary}.",
        "profile_nothing": "I didn't catch what to change. You can say things like 'add peanuts to my allergies' or 'I'm vegan now'.",
        "p_name": "name {name}", "p_no_name": "no name yet",
        "p_home": "home {city}", "p_no_home": "no home city yet",
        "p_diet": "diet {diets}", "p_no_diet": "no diet set",
        "p_allergies": "allergic to {allergens}", "p_no_allergies": "no allergies", "p_allergies_untold": "allergies not told yet",
        "p_language": "language {language}", "p_friends": "friends {names}",
        "auth_enrol": "I can't verify you by voice yet: voice sign-in needs a voiceprint enrolment first, "
                      "and that isn't set up for {who}. You're not signed in.",
        "repeat_question": "Sorry, I couldn't make out what you said{name}. {question}",
        "repeat": "Sorry, I couldn't make out what you said{name}. Could you say it again? If you're speaking "
                  "another language, I can answer in English or French: just say 'reply in French'.",
        "clarify": "Sorry, I didn't catch that{name}. " + _OFFER,
        # what no agent does (agents/no_agent.py): said so, then what the assistant can do
        "no_agent_word": "I can't help with what words mean or how they're spelt or said{name}. " + _OFFER,
        "no_agent_diary": "I don't keep a food diary{name}. " + _OFFER,
        "no_agent_weather": "I can't check the weather where you are{name}; for a trip, ask me about the city "
                            "you're going to. " + _OFFER,
        "no_agent_news": "Thanks for telling me{name}. I only keep your own diet and allergies; for a meal "
                         "together, ask me for a table for all of you. " + _OFFER,
        "no_agent_passphrase_declined": "No problem{name}, nothing was saved or checked. Whenever you like, say "
                                        "\"set up my passphrase\" somewhere quiet. " + _OFFER,
        "and": "and", "in_city": ", in ", "or": "or", "you": "you", "you_are": "you're", "is": "is", "are": "are",
    },
    "en/formal": {
        "repeat_question": "I beg your pardon, I couldn't make out what you said{name}. {question}",
        "repeat": "I beg your pardon, I couldn't make out what you said{name}. Would you kindly say it again? "
                  "I can answer in English or French: just say 'reply in French'.",
        "clarify": "I beg your pardon, I didn't quite catch that{name}. Would you like a meal, a place to stay, "
                   "plans with friends, or to update your profile?",
        "food_ordered": "Certainly: {dish} from {restaurant}, {price}. Your order has been noted.{safety}",
        "food": "In {city}, may I suggest {first}.{more}{safety}",
        "profile_nothing": "I'm sorry, I didn't catch what to change. You may say, for example, 'add peanuts to my "
                           "allergies' or 'I'm vegan now'.",
    },
    "fr": {  # vouvoiement: the polite default with someone one doesn't know
        "food": "À {city}, essayez {first}.{more}{safety}",
        "food_none": "Je n'ai pas trouvé de plat à {city} qui convienne{why}. Voulez-vous que j'assouplisse le piquant ou le budget ?",
        "food_relaxed": "Rien ne correspondait exactement, j'élargis donc piquant et budget : à {city}, essayez {first}.{more}{safety}",
        "food_ordered": "C'est fait : {dish} chez {restaurant}, {price}. J'ai noté la commande.{safety}",
        "food_booked": "C'est fait : {dish} chez {restaurant}, {price}, réservé pour {size}{when}. Confirmation {confirmation}.{safety}",
        "food_not_booked": "Je n'ai pas pu réserver {dish} chez {restaurant}{when}, rien n'est commandé. Voulez-vous essayer une autre heure ?",
        "table_booked": "C'est réservé : une table pour {size} chez {restaurant}{when}. Confirmation {confirmation}.",
        "table_not_booked": "Je n'ai pas pu réserver de table chez {restaurant}{when} ; rien n'est réservé. Voulez-vous essayer une autre heure ?",
        "food_unsafe": "Je ne commanderai pas {dish} : il contient un allergène que vous ne tolérez pas ({allergens}). {alternative}",
        "food_unsafe_diet": "Je ne commanderai pas {dish} : il n'est pas {diets}. {alternative}",
        "food_unknown": "Je ne commanderai pas {dish} : je ne connais pas tous ses ingrédients. {alternative}",
        "food_closest": "Rien avec {asked} à {city} ne convient{why} ; le choix sûr le plus proche : {first}.{more}{safety}",
        "food_nearest_district": "Je n'ai rien qui convienne à {district} ; le plus proche est à {neighbourhood}, à {distance}.",
        "food_not_in_district": "Je n'ai rien qui convienne à {district}.",
        "health_unclear": "J'ai entendu « {heard} » sans savoir quelle allergie ou quel régime c'est, je ne l'ai donc pas "
                          "enregistré. Qu'est-ce que vous ne pouvez pas manger exactement ?",
        "health_guess": "J'ai entendu « {heard} » : vouliez-vous dire {guess} ? Je ne l'ai pas encore enregistré : "
                        "répondez simplement oui ou non.",
        "health_not_saved": "Entendu, je ne l'ai pas enregistré. Qu'est-ce que vous ne pouvez pas manger ? Sinon, dites "
                            "simplement « aucune allergie ».",
        "home_guess": "J'ai entendu que vous habitez à « {heard} » : vouliez-vous dire {place} ? Répondez simplement oui ou non.",
        "home_kept": "Entendu, je garde {heard} comme domicile.",
        "food_health_first": "Avant de vous proposer un plat : tout à l'heure j'ai entendu « {heard} » sans savoir quelle "
                             "allergie ou quel régime c'est. Qu'est-ce que vous ne pouvez pas manger ? Sinon, dites "
                             "simplement « aucune allergie ».",
        "food_health_guess_first": "Avant de vous proposer un plat : tout à l'heure j'ai entendu « {heard} » : "
                                   "vouliez-vous dire {guess} ? Je ne l'ai pas encore enregistré : répondez simplement oui ou non.",
        "food_health_unheard": "Avant de vous proposer un plat : je n'ai pas bien entendu ce que vous m'avez dit tout à "
                               "l'heure. Avez-vous des allergies alimentaires ou un régime à me signaler ? Sinon, dites "
                               "simplement « aucune allergie ».",
        "food_health_untold": "Avant de vous proposer un plat : avez-vous des allergies alimentaires ou un régime à me "
                              "signaler ? Sinon, dites simplement « aucune allergie ».",
        "onboard_allergies": "Avez-vous des allergies alimentaires ou un régime à me signaler ? Sinon, dites simplement "
                             "« aucune allergie ».",
        "home_where": "J'ai entendu que vous habitez à « {heard} », un endroit que je ne connais pas : dans quelle ville est-ce ?",
        "jain_strict": "Vous êtes jaïn : évitez-vous aussi l'oignon, l'ail et les légumes-racines ? Répondez simplement "
                       "oui ou non ; d'ici là, je les écarte.",
        "food_jain_strict": " J'ai écarté l'oignon, l'ail et les légumes-racines ; dites-moi si vous en mangez.",
        "home_where_country": "Dans quelle ville de {heard} habitez-vous ?",
        "heard_check": "Je veux être sûr de vous avoir bien entendu : « {heard} ». C'est bien ça ? Répondez simplement oui ou non.",
        "food_which": "Lequel voulez-vous dire : {options} ?",
        "dish_at": "{dish} chez {restaurant} à {neighbourhood} ({price})",
        "or_more": " Ou bien {items}.",
        "alternative": "Que diriez-vous plutôt de {dish} ?",
        "why_diet": " à votre régime {diets}",
        "why_allergens": " sans {allergens}",
        "safe_all": " Tout est sans {allergens}.",
        "safe_it": " C'est sans {allergens}.",
        "no_city": "Dans quelle ville mangez-vous ? Je connais Lagos, Londres, New York, Paris et Mumbai.",
        "unknown_city": "Je n'ai pas encore d'adresses à {city} ; je connais Lagos, Londres, New York, Paris et Mumbai.",
        "travel": "À {city}, logez à {neighbourhood} : {hotel}, environ {price} la nuit, {why}.{more}",
        "travel_more": " Ou {neighbourhood} : {hotel}, {price}.",
        "travel_near": " Le premier est à {distance} de {landmark}.",
        "travel_more_same": " Ou {hotel}, également à {neighbourhood}, {price}.",
        "social": "Pour {size} à {city}, {place} à {neighbourhood} accueille des groupes jusqu'à {max_group}. {dishes}{safety}",
        "social_members": "Pour {size} à {city} ({members}), {place} à {neighbourhood} accueille des groupes "
                          "jusqu'à {max_group}. {dishes}{safety}",
        "social_outside": "Pour {size} à {city}{members}, essayez {place}{area}. {dishes}{safety}",
        "in_area": " à {neighbourhood}",
        "to_share": "À partager : {dishes}.",
        "social_none": "Je n'ai pas trouvé d'endroit à {city} pour {size} personnes. Voulez-vous deux tables voisines ?",
        "not_friends": "Je ne connais pas encore {names} : seuls les amis que vous avez ajoutés comptent. Dites "
                       "« ajoute {first} comme ami », et je vérifierai aussi ses allergies.",
        "friend_added": "C'est fait : {names} {verb} maintenant parmi vos amis.",
        "shared": "J'ai partagé {items} avec {friend}.",
        "share_skipped": " Je n'ai pas partagé {item} : {why}.",
        "why_allergic": "{name} y est allergique ({allergens})",
        "inbox_one": "{who} vous a partagé {items}.",
        "onboard_saved": "{greeting}, {name} ! J'ai enregistré : {summary}.",
        "onboard_next": "Demandez-moi un repas, un logement ou une sortie entre amis.",
        "onboard_ask": "{hello}Avant de vous recommander quoi que ce soit, {question}",
        "onboard_not_understood": "Pardon, je n'ai pas compris. ",
        "start_over_ask": "Tout reprendre depuis le début ? J'oublierais ce que vous m'avez dit : {summary}. "
                          "Votre connexion et vos amis restent. Répondez simplement oui ou non.",
        "start_over_done": "C'est fait, j'ai tout oublié. Reprenons : {question}",
        "start_over_kept": "Entendu, je garde tout tel quel.",
        "forget_ask": "Dois-je oublier tout ce que vous m'avez dit : {summary} ? Votre connexion et vos amis "
                      "restent. Répondez simplement oui ou non.",
        "forget_nothing": "Je n'ai encore rien enregistré sur vous.",
        "welcome": "Bienvenue sur Aurasense ! ",
        "nice_to_meet": "Enchanté, {name}. ",
        "ask_name": "comment vous appelez-vous",
        "ask_city": "dans quelle ville habitez-vous",
        "ask_allergies": "avez-vous des allergies alimentaires ou un régime à me signaler",
        "ask_else": "autre chose à savoir",
        "profile_read": "Voici ce que j'ai : {summary}.",
        "profile_changed": "C'est à jour. J'ai maintenant : {summary}.",
        "p_name": "nom {name}", "p_no_name": "pas encore de nom",
        "p_home": "ville {city}", "p_no_home": "pas encore de ville",
        "p_diet": "régime {diets}", "p_no_diet": "pas de régime",
        "p_allergies": "allergique à : {allergens}", "p_no_allergies": "aucune allergie", "p_allergies_untold": "allergies pas encore indiquées",
        "p_language": "langue {language}", "p_friends": "amis {names}",
        "repeat_question": "Pardon, je n'ai pas bien entendu ce que vous avez dit{name}. {question}",
        "repeat": "Pardon, je n'ai pas bien entendu ce que vous avez dit{name}. Pouvez-vous répéter ? "
                  "Je réponds en français ou en anglais : dites « reply in English » pour l'anglais.",
        "clarify": "Pardon, je n'ai pas compris{name}. " + _OFFER_FR,
        "no_agent_word": "Je ne peux pas vous aider pour le sens, l'orthographe ou la prononciation des mots{name}. " + _OFFER_FR,
        "no_agent_diary": "Je ne tiens pas de journal alimentaire{name}. " + _OFFER_FR,
        "no_agent_weather": "Je ne peux pas consulter la météo là où vous êtes{name} ; pour un voyage, "
                            "demandez-moi la ville où vous allez. " + _OFFER_FR,
        "no_agent_news": "Merci de me le dire{name}. Je ne garde que votre propre régime et vos allergies ; "
                         "pour un repas ensemble, demandez-moi une table pour vous tous. " + _OFFER_FR,
        "no_agent_passphrase_declined": "Pas de souci{name}, rien n'a été enregistré ni vérifié. Quand vous voudrez, "
                                        "demandez-moi de configurer votre phrase secrète, au calme. " + _OFFER_FR,
        "and": "et", "in_city": ", à ", "or": "ou", "you": "vous", "you_are": "vous êtes", "is": "est", "are": "sont",
    },
    "fr/informal": {  # tutoiement, when the user asked for it
        "start_over_ask": "Tout reprendre depuis le début ? J'oublierais ce que tu m'as dit : {summary}. "
                          "Ta connexion et tes amis restent. Réponds simplement oui ou non.",
        "forget_ask": "Je dois oublier tout ce que tu m'as dit : {summary} ? Ta connexion et tes amis "
                      "restent. Réponds simplement oui ou non.",
        "forget_nothing": "Je n'ai encore rien enregistré sur toi.",
        "food": "À {city}, essaie {first}.{more}{safety}",
        "social_outside": "Pour {size} à {city}{members}, essaie {place}{area}. {dishes}{safety}",
        "food_unsafe": "Je ne commanderai pas {dish} : il contient un allergène que tu ne tolères pas ({allergens}). {alternative}",
        "alternative": "Et si tu prenais plutôt {dish} ?",
        "repeat_question": "Pardon, je n'ai pas bien entendu ce que tu as dit{name}. {question}",
        "repeat": "Pardon, je n'ai pas bien entendu ce que tu as dit{name}. Tu peux répéter ? "
                  "Je réponds en français ou en anglais : dis « reply in English » pour l'anglais.",
        "clarify": "Pardon, je n'ai pas compris{name}. " + _OFFER_FR_TU,
        "no_agent_word": "Je ne peux pas t'aider pour le sens, l'orthographe ou la prononciation des mots{name}. " + _OFFER_FR_TU,
        "no_agent_diary": "Je ne tiens pas de journal alimentaire{name}. " + _OFFER_FR_TU,
        "no_agent_weather": "Je ne peux pas consulter la météo là où tu es{name} ; pour un voyage, "
                            "demande-moi la ville où tu vas. " + _OFFER_FR_TU,
        "no_agent_news": "Merci de me le dire{name}. Je ne garde que ton propre régime et tes allergies ; "
                         "pour un repas ensemble, demande-moi une table pour vous tous. " + _OFFER_FR_TU,
        "no_agent_passphrase_declined": "Pas de souci{name}, rien n'a été enregistré ni vérifié. Quand tu voudras, "
                                        "demande-moi de configurer ta phrase secrète, au calme. " + _OFFER_FR_TU,
        "home_guess": "J'ai entendu que tu habites à « {heard} » : tu voulais dire {place} ? Réponds simplement oui ou non.",
        "home_where": "J'ai entendu que tu habites à « {heard} », un endroit que je ne connais pas : dans quelle ville est-ce ?",
        "jain_strict": "Tu es jaïn : tu évites aussi l'oignon, l'ail et les légumes-racines ? Réponds simplement "
                       "oui ou non ; d'ici là, je les écarte.",
        "food_jain_strict": " J'ai écarté l'oignon, l'ail et les légumes-racines ; dis-moi si tu en manges.",
        "home_where_country": "Dans quelle ville de {heard} habites-tu ?",
        "heard_check": "Je veux être sûr de t'avoir bien entendu : « {heard} ». C'est bien ça ? Réponds simplement oui ou non.",
        "you": "toi", "you_are": "tu es",
    },
}
ALLERGEN_LABELS = {
    "en": {"tree_nut": "tree nuts", "peanut": "peanuts", "egg": "eggs", "crustacean": "crustaceans",
           "mollusc": "molluscs"},
    "fr": {"tree_nut": "fruits à coque", "peanut": "arachides", "egg": "œufs", "dairy": "lait",
           "fish": "poisson", "shellfish": "fruits de mer", "crustacean": "crustacés", "mollusc": "mollusques",
           "soy": "soja", "sesame": "sésame", "celery": "céleri", "mustard": "moutarde", "sulphites": "sulfites"},
}
DIET_LABELS = {
    "en": {"gluten_free": "gluten-free", "dairy_free": "dairy-free", "no_beef": "beef-free", "no_pork": "pork-free",
           "no_egg": "egg-free", "jain": "Jain", "strict_jain": "strict Jain (no root vegetables, onion or garlic)",
           "pregnancy_safe": "pregnancy-safe", "halal": "halal", "kosher": "kosher"},
    "fr": {"gluten_free": "sans gluten", "dairy_free": "sans lactose", "vegan": "végétalien",
           "vegetarian": "végétarien", "pescatarian": "pescétarien", "kosher": "casher",
           "no_beef": "sans bœuf", "no_pork": "sans porc", "no_egg": "sans œuf", "jain": "jaïn",
           "strict_jain": "jaïn strict (sans légumes-racines, oignon ni ail)", "pregnancy_safe": "adapté à la grossesse"},
}
LANGUAGE_NAMES = {"en": {"en": "English", "fr": "French", "yo": "Yoruba", "hi": "Hindi", "ig": "Igbo",
                         "ha": "Hausa", "es": "Spanish", "ar": "Arabic"},
                  "fr": {"en": "anglais", "fr": "français", "yo": "yoruba", "hi": "hindi"}}
# (informal, formal) greeting words per language; ASCII so every TTS voice can say them.
GREETINGS = {
    "en": ("Hi", "Hello"), "fr": ("Salut", "Bonjour"), "yo": ("Bawo", "E kaabo"),
    "hi": ("Namaste", "Namaskar"), "ig": ("Ndewo", "Ndewo"), "ha": ("Sannu", "Sannu"),
    "es": ("Hola", "Buenos dias"), "ar": ("Marhaba", "As-salamu alaykum"),
}


def _lookup(key: str, style) -> str:
    lang, register = (style.lang, style.register) if style else ("en", "informal")
    for table in (f"{lang}/{register}", lang, f"en/{register}", "en"):
        if key in TEMPLATES.get(table, {}):
            return TEMPLATES[table][key]
    raise KeyError(key)


def say(key: str, style=None, **facts) -> str:
    """Fill template ``key`` with ``facts``, in ``style``'s language and register (English by default)."""
    return _lookup(key, style).format(**facts)


def word(key: str, style=None) -> str:
    """One small word ("and", "you") in the style's language."""
    return _lookup(key, style)


def money(amount: float, city: dict | None, style=None) -> str:
    """Price the way the city writes it: ₦6,500, £14.50, $4.75; in French 6 500 ₦, 14,50 €."""
    symbol = (city or {}).get("symbol", "")
    text = f"{amount:,.0f}" if float(amount).is_integer() else f"{amount:,.2f}"
    if style is not None and style.lang == "fr":
        return text.replace(",", " ").replace(".", ",") + (f" {symbol}" if symbol else "")
    return f"{symbol}{text}"


def distance(metres: float, style=None) -> str:
    """"850 m" / "1.2 km", or in miles where the city measures so (New York): "0.7 mi"."""
    if style is not None and style.units == "mi":
        return f"{metres / 1609.344:.1f} mi"
    km = f"{metres / 1000:.1f} km" if metres >= 1000 else f"{metres:.0f} m"
    return km.replace(".", ",") if style is not None and style.lang == "fr" else km


def listing(items: list[str], style=None, conjunction: str | None = None) -> str:
    """"a", "a and b", "a, b and c" (in French: "a, b et c"); ``conjunction`` e.g. "or"."""
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + f" {conjunction or word('and', style)} " + items[-1]


def _labels(table: dict, lang: str, value: str) -> str:
    return table.get(lang, {}).get(value) or table["en"].get(value, value)


def allergen_words(allergens, style=None) -> str:
    lang = style.lang if style else "en"
    return listing([_labels(ALLERGEN_LABELS, lang, a) for a in allergens], style)


def diet_words(diets, style=None) -> str:
    lang = style.lang if style else "en"
    return listing([_labels(DIET_LABELS, lang, d) for d in diets], style)


def safety_note(allergies, style=None, one: bool = False) -> str:
    """" All of it is free of peanuts." (``one``: " It's free of peanuts.") or ""."""
    return say("safe_it" if one else "safe_all", style, allergens=allergen_words(allergies, style)) \
        if allergies else ""

def home_readback(guess, style) -> str:
    """Ask whether a home place heard ("Lucky") is the known one it sounds like (Lekki, in Lagos)."""
    place = f"{guess.neighbourhood}{word('in_city', style)}{guess.city}" if guess.neighbourhood else guess.city
    return say("home_guess", style, heard=guess.heard.title(), place=place)


def home_where(heard: str, country: bool, style) -> str:
    """Ask which city a home no one could recommend in is in ("Corridan"; a ``country``: which city in it)."""
    return say("home_where_country" if country else "home_where", style, heard=heard)


def health_readback(unclear: tuple[str, str | None], style) -> str:
    """Read back what was heard ("seliac": did you mean coeliac?) and ask again."""
    heard, guess = unclear
    return say("health_guess", style, heard=heard, guess=guess) if guess else say("health_unclear", style, heard=heard)



def profile_summary(profile: dict, style=None, friends: list[str] = ()) -> str:
    """One sentence fragment describing the profile."""
    def part(key, empty, **facts):
        return say(key, style, **facts) if all(facts.values()) else say(empty, style)

    parts = [part("p_name", "p_no_name", name=profile.get("name")),
             part("p_home", "p_no_home", city=", ".join(x for x in (profile.get("neighbourhood"), profile.get("home_city"))
                                                         if x) if profile.get("home_city") else None),
             part("p_diet", "p_no_diet", diets=diet_words(profile.get("diets") or [], style)),
             part("p_allergies", "p_no_allergies" if profile.get("allergies_declared") else "p_allergies_untold",
                  allergens=allergen_words(profile.get("allergies") or [], style))]
    if profile.get("language"):
        lang = style.lang if style else "en"
        names = LANGUAGE_NAMES.get(lang, LANGUAGE_NAMES["en"])
        parts.append(say("p_language", style, language=names.get(profile["language"], profile["language"])))
    if friends:
        parts.append(say("p_friends", style, names=listing(list(friends), style)))
    return listing(parts, style)


def cultural_context(city: dict | None, voice_profile: dict | None = None, style=None) -> dict:
    """{"city", "country", "language", "currency"} of the city in play (+ the voice's language,
    + the reply's language, register, greeting and units when a style is given)."""
    city = city or {}
    ctx = {k: city.get(k) for k in ("country", "language", "currency")}
    ctx["city"] = city.get("name")
    if voice_profile and voice_profile.get("language"):
        ctx["voice_language"] = voice_profile["language"]
    if style is not None:
        ctx.update(reply_language=style.lang, register=style.register, greeting=style.greeting, units=style.units)
    return ctx


SYSTEM = ("You are Aurasense, a warm voice assistant. Re-phrase the reply for speech in at most "
          "two sentences. Keep every dish, place, price and allergy warning exactly; add nothing.")
REGISTER_HINT = {"formal": "Use a polite, formal register (in French: vous).",
                 "informal": "Use a friendly, informal register (in French: tu)."}


async def polish(ctx, text: str, must_keep: list[str], style=None) -> str:
    """LLM re-phrasing when configured (same language and register); the template text if it
    fails or drops an item."""
    if ctx.llm is None:
        return text
    system = SYSTEM
    if style is not None:
        language = LANGUAGE_NAMES["en"].get(style.lang, "English")
        system += f" Reply in {language}. {REGISTER_HINT.get(style.register, '')}"
    try:
        out = await ctx.llm.complete(text, system=system)
    except Exception as err:  # provider down: the template is a complete answer
        log.warning("llm polish failed, using template: %s", err)
        return text
    return out if out and all(item in out for item in must_keep) else text
