"""What users say to Aurasense: 48 utterances, 12 per domain (food, travel, onboarding, profile).

Written for the speech benchmark (``bench/stt_wer.py``): the catalogue's cities and dishes
(Lagos, Mumbai, jollof, suya, egusi, biryani, vada pav...), allergies, diets and names, in
the sentences the agents expect.  Numbers are spelled out the way the benchmark's
normaliser writes them ("two", "twenty"), so a digit in the transcript is not an error.
A few words are deliberately *not* in the STT domain prompt (Nairobi, pho, Accra, injera,
Kemi, Olumide) to see whether the prompt helps only the words it lists.
"""

from __future__ import annotations

UTTERANCES: list[tuple[str, str]] = [
    # --- food
    ("food", "I would like some jollof rice in Lagos tonight."),
    ("food", "Where can I get spicy suya near Victoria Island?"),
    ("food", "Find me a vegetarian biryani in Mumbai."),
    ("food", "Is the egusi soup with pounded yam safe for someone with a peanut allergy?"),
    ("food", "I'm craving vada pav and pav bhaji for lunch."),
    ("food", "Can you recommend a halal restaurant in London?"),
    ("food", "Show me gluten free dishes in Paris please."),
    ("food", "I want a mild curry without any dairy."),
    ("food", "Order the paneer tikka and a plate of pani puri."),
    ("food", "What does the vegetable tagine have in it?"),
    ("food", "Is there good pho or injera anywhere in New York?"),
    ("food", "We are a group of six looking for dinner in Mumbai."),
    # --- travel
    ("travel", "I am travelling to Lagos next week for business."),
    ("travel", "Where should I stay in Mumbai if I want somewhere quiet?"),
    ("travel", "Suggest a budget hotel in London close to the station."),
    ("travel", "I'm heading to Paris with my family in the summer."),
    ("travel", "Which area of New York is best for nightlife?"),
    ("travel", "Find me a guesthouse in Lekki for three nights."),
    ("travel", "Is Victoria Island a safe place to stay?"),
    ("travel", "I need a hotel near the airport in Lagos."),
    ("travel", "What is the weather like in Mumbai in July?"),
    ("travel", "My flight lands in Nairobi and then I fly to Accra."),
    ("travel", "Book somewhere central in Paris for two people."),
    ("travel", "How far is Brooklyn from the city centre?"),
    # --- onboarding
    ("onboarding", "Hi, my name is Amara and I live in Lagos."),
    ("onboarding", "Hello, I'm Priya from Mumbai."),
    ("onboarding", "I'm new here, what can you do for me?"),
    ("onboarding", "My name is Kemi Olumide and I'm from London."),
    ("onboarding", "I am allergic to peanuts and shellfish."),
    ("onboarding", "I'm vegan and I don't eat honey."),
    ("onboarding", "Please call me Tunde."),
    ("onboarding", "I moved to Paris last year for work."),
    ("onboarding", "I eat halal food only."),
    ("onboarding", "I can't handle spicy food at all."),
    ("onboarding", "Let's get started, I'd like to set up my profile."),
    ("onboarding", "I live in New York and I love trying new food."),
    # --- profile
    ("profile", "What do you know about me?"),
    ("profile", "Change my home city to Mumbai."),
    ("profile", "Remove the peanut allergy from my profile."),
    ("profile", "Add a tree nut allergy please."),
    ("profile", "I'm not vegetarian anymore."),
    ("profile", "Update my name to Chidi."),
    ("profile", "Forget everything you know about me."),
    ("profile", "I like my food very spicy."),
    ("profile", "My budget is about twenty pounds per meal."),
    ("profile", "Set my diet to pescatarian."),
    ("profile", "Am I still listed as gluten free?"),
    ("profile", "I am lactose intolerant, please remember that."),
]

assert len(UTTERANCES) >= 40
