"""Hand-curated catalogue entries (the first demo data): five cities, ten restaurants with
their exact menus and prices, fifteen places to stay.  The bundled dataset includes all of
them verbatim (ids ``r-lag-1``, ``d-lag-1``, ``s-lag-1``...); the generator adds the rest.

Dish tuples: id, name, spice 0-3, price (local currency), ingredients, halal-certified kitchen.
"""

from __future__ import annotations

# name -> country, ISO currency, symbol, language tag, local greeting
CITIES: dict[str, tuple[str, str, str, str, str]] = {
    "Lagos": ("Nigeria", "NGN", "₦", "en-NG", "Bawo"),
    "London": ("United Kingdom", "GBP", "£", "en-GB", "Hello"),
    "New York": ("United States", "USD", "$", "en-US", "Hey"),
    "Paris": ("France", "EUR", "€", "fr-FR", "Bonjour"),
    "Mumbai": ("India", "INR", "₹", "en-IN", "Namaste"),
}

# Restaurants: id, name, city, neighbourhood, cuisine, rating, max group size,
# then dishes: id, name, spice 0-3, price, ingredients, explicitly halal?
RESTAURANTS: list[dict] = [
    {"id": "r-lag-1", "name": "Yellow Pepper Kitchen", "city": "Lagos", "neighbourhood": "Victoria Island",
     "cuisine": "Nigerian", "rating": 4.6, "max_group": 12, "dishes": [
        ("d-lag-1", "Jollof Rice with Chicken", 2, 6500, ["rice", "tomato", "scotch bonnet", "onion", "chicken", "spices"], True),
        ("d-lag-2", "Suya Skewers", 3, 5000, ["beef", "peanut", "chilli", "onion", "spices"], True),
        ("d-lag-3", "Egusi Soup with Pounded Yam", 2, 7500, ["egusi", "spinach", "palm oil", "stockfish", "crayfish", "yam", "scotch bonnet", "beef"], False),
        ("d-lag-4", "Moi Moi", 1, 2500, ["black-eyed beans", "onion", "bell pepper", "palm oil", "egg", "crayfish"], True),
    ]},
    {"id": "r-lag-2", "name": "Terra Courtyard", "city": "Lagos", "neighbourhood": "Victoria Island",
     "cuisine": "Nigerian", "rating": 4.4, "max_group": 20, "dishes": [
        ("d-lag-5", "Ofada Rice with Ayamase", 3, 8000, ["rice", "bell pepper", "scotch bonnet", "palm oil", "beef", "egg", "crayfish"], True),
        ("d-lag-6", "Ewa Agoyin with Dodo", 2, 4000, ["black-eyed beans", "plantain", "palm oil", "onion", "chilli", "crayfish"], True),
        ("d-lag-7", "Catfish Pepper Soup", 3, 6000, ["catfish", "chilli", "spices", "herbs"], True),
        ("d-lag-8", "Puff-Puff", 0, 1500, ["wheat flour", "sugar", "yeast"], True),
    ]},
    {"id": "r-lon-1", "name": "Bombay Canteen Shoreditch", "city": "London", "neighbourhood": "Shoreditch",
     "cuisine": "Indian", "rating": 4.7, "max_group": 10, "dishes": [
        ("d-lon-1", "House Black Daal", 1, 9.90, ["lentils", "butter", "cream", "tomato", "garlic", "ginger"], True),
        ("d-lon-2", "Chicken Ruby", 2, 14.50, ["chicken", "tomato", "butter", "cream", "cashew", "spices"], True),
        ("d-lon-3", "Okra Fries", 1, 5.50, ["okra", "chickpea flour", "chilli", "lime"], True),
        ("d-lon-4", "Prawn Koliwada", 2, 9.50, ["prawn", "chickpea flour", "chilli", "egg"], True),
    ]},
    {"id": "r-lon-2", "name": "The Spitalfields Chippy", "city": "London", "neighbourhood": "Spitalfields",
     "cuisine": "British", "rating": 4.3, "max_group": 8, "dishes": [
        ("d-lon-5", "Cod and Chips", 0, 17.50, ["cod", "wheat flour", "potato"], False),
        ("d-lon-6", "Sticky Toffee Pudding", 0, 7.00, ["wheat flour", "dates", "butter", "cream", "egg", "sugar"], False),
        ("d-lon-7", "Mushroom and Ale Pie", 0, 14.00, ["mushroom", "wheat flour", "butter", "ale", "egg"], False),
        ("d-lon-8", "Full English Breakfast", 0, 12.00, ["egg", "bacon", "sausage", "tomato", "mushroom", "bread", "butter"], False),
    ]},
    {"id": "r-nyc-1", "name": "Bleecker Street Slice", "city": "New York", "neighbourhood": "Greenwich Village",
     "cuisine": "Pizza", "rating": 4.5, "max_group": 6, "dishes": [
        ("d-nyc-1", "Plain Cheese Slice", 0, 4.00, ["wheat flour", "tomato", "mozzarella", "yeast"], False),
        ("d-nyc-2", "Pepperoni Slice", 1, 4.75, ["wheat flour", "tomato", "mozzarella", "pepperoni", "yeast"], False),
        ("d-nyc-3", "Spicy Vodka Slice", 2, 5.50, ["wheat flour", "tomato", "cream", "vodka", "chilli", "yeast"], False),
        ("d-nyc-4", "Garden Salad", 0, 9.00, ["lettuce", "tomato", "cucumber", "olive oil"], True),
    ]},
    {"id": "r-nyc-2", "name": "Canal Street Noodle House", "city": "New York", "neighbourhood": "Chinatown",
     "cuisine": "Chinese", "rating": 4.6, "max_group": 10, "dishes": [
        ("d-nyc-5", "Spicy Cumin Lamb Noodles", 3, 15.00, ["lamb", "wheat noodles", "chilli", "cumin", "soy sauce"], False),
        ("d-nyc-6", "Mapo Tofu", 3, 14.00, ["tofu", "pork", "chilli", "sichuan pepper", "soy sauce"], False),
        ("d-nyc-7", "Sesame Cold Noodles", 1, 11.00, ["wheat noodles", "sesame paste", "soy sauce", "cucumber", "chilli", "peanut", "garlic"], True),
        ("d-nyc-8", "Pork and Chive Dumplings", 0, 10.00, ["pork", "chive", "wheat flour", "soy sauce", "sesame oil"], False),
    ]},
    {"id": "r-par-1", "name": "Le Petit Bistrot du Marais", "city": "Paris", "neighbourhood": "Le Marais",
     "cuisine": "French", "rating": 4.5, "max_group": 6, "dishes": [
        ("d-par-1", "Boeuf Bourguignon", 0, 24.00, ["beef", "red wine", "mushroom", "carrot", "onion", "bacon", "wheat flour", "butter"], False),
        ("d-par-2", "Ratatouille", 0, 18.00, ["aubergine", "courgette", "tomato", "bell pepper", "olive oil", "herbs", "onion", "garlic"], True),
        ("d-par-3", "Croque Monsieur", 0, 14.00, ["bread", "ham", "gruyere", "butter", "dijon mustard"], False),
        ("d-par-4", "Crème Brûlée", 0, 9.00, ["cream", "egg", "sugar", "vanilla"], True),
    ]},
    {"id": "r-par-2", "name": "Chez Yasmina", "city": "Paris", "neighbourhood": "Belleville",
     "cuisine": "North African", "rating": 4.6, "max_group": 14, "dishes": [
        ("d-par-5", "Couscous Royal", 2, 22.00, ["couscous", "lamb", "chicken", "chickpeas", "mixed vegetables", "spices", "merguez", "butter"], True),
        ("d-par-6", "Vegetable Tagine", 1, 17.00, ["chickpeas", "carrot", "courgette", "apricot", "almond", "spices"], True),
        ("d-par-7", "Harira Soup", 1, 8.00, ["lentils", "chickpeas", "tomato", "celery", "lamb", "spices", "wheat flour"], True),
        ("d-par-8", "Shakshuka", 2, 13.00, ["egg", "tomato", "bell pepper", "chilli", "cumin", "onion", "garlic"], True),
    ]},
    {"id": "r-mum-1", "name": "Colaba Kebab House", "city": "Mumbai", "neighbourhood": "Colaba",
     "cuisine": "Mughlai", "rating": 4.5, "max_group": 10, "dishes": [
        ("d-mum-1", "Chicken Seekh Kebab", 2, 320, ["chicken", "onion", "chilli", "spices"], True),
        ("d-mum-2", "Mutton Biryani", 2, 450, ["rice", "goat", "yoghurt", "ghee", "onion", "cashew", "spices"], True),
        ("d-mum-3", "Paneer Tikka", 2, 300, ["paneer", "yoghurt", "chilli", "spices", "onion", "ginger", "garlic"], True),
        ("d-mum-4", "Baida Roti", 2, 220, ["wheat flour", "egg", "goat", "chilli"], True),
    ]},
    {"id": "r-mum-2", "name": "Kalbadevi Thali House", "city": "Mumbai", "neighbourhood": "Kalbadevi",
     "cuisine": "Gujarati", "rating": 4.4, "max_group": 16, "dishes": [
        ("d-mum-5", "Gujarati Thali", 1, 550, ["lentils", "rice", "wheat flour", "ghee", "mixed vegetables", "yoghurt", "jaggery", "mustard seeds", "peanut"], True),
        ("d-mum-6", "Vada Pav", 2, 60, ["potato", "chickpea flour", "bread", "garlic", "peanut", "chilli", "mustard seeds"], True),
        ("d-mum-7", "Pav Bhaji", 2, 180, ["mixed vegetables", "butter", "bread", "tomato", "spices"], True),
        ("d-mum-8", "Pani Puri", 2, 80, ["wheat flour", "chickpeas", "potato", "tamarind", "mint", "chilli"], True),
    ]},
]

# Places to stay: id, city, neighbourhood, hotel, price per night, tags, why
STAYS: list[tuple[str, str, str, str, float, list[str], str]] = [
    ("s-lag-1", "Lagos", "Victoria Island", "Lagoon View Hotel", 120000, ["business", "central", "luxury"], "close to restaurants, galleries and the beach"),
    ("s-lag-2", "Lagos", "Lekki Phase 1", "Lekki Palms Guesthouse", 45000, ["budget", "quiet", "family"], "calm streets near Lekki Conservation Centre"),
    ("s-lag-3", "Lagos", "Ikeja GRA", "Airport Gardens Inn", 55000, ["business", "transport"], "fifteen minutes from the airport"),
    ("s-lon-1", "London", "Shoreditch", "Brick Lane Lofts", 140, ["nightlife", "food", "central"], "street food, bars and galleries on the doorstep"),
    ("s-lon-2", "London", "South Kensington", "Exhibition Road Hotel", 210, ["quiet", "family", "museums", "luxury"], "walkable to the museums and Hyde Park"),
    ("s-lon-3", "London", "King's Cross", "Granary Square Rooms", 120, ["budget", "transport"], "trains to everywhere, canal-side walks"),
    ("s-nyc-1", "New York", "Lower East Side", "Orchard Street Inn", 220, ["nightlife", "food", "central"], "late-night food and music venues"),
    ("s-nyc-2", "New York", "Upper West Side", "Riverside Park Hotel", 260, ["quiet", "family", "museums", "luxury"], "between Central Park and the river"),
    ("s-nyc-3", "New York", "Long Island City", "Queensboro Stay", 150, ["budget", "transport"], "one subway stop from Midtown"),
    ("s-par-1", "Paris", "Le Marais", "Hôtel des Archives", 180, ["central", "food", "museums"], "walkable old streets, falafel and galleries"),
    ("s-par-2", "Paris", "Saint-Germain-des-Prés", "Hôtel Rive Gauche", 240, ["quiet", "luxury", "family"], "cafés, bookshops and the Luxembourg Gardens"),
    ("s-par-3", "Paris", "Canal Saint-Martin", "Canal Rooms", 95, ["budget", "nightlife"], "canal-side bars and a young crowd"),
    ("s-mum-1", "Mumbai", "Colaba", "Gateway Heritage Hotel", 9500, ["central", "museums", "luxury"], "near the Gateway of India and Colaba Causeway"),
    ("s-mum-2", "Mumbai", "Bandra West", "Bandstand Boutique", 7000, ["nightlife", "food", "quiet"], "sea-front promenade, cafés and bars"),
    ("s-mum-3", "Mumbai", "Andheri East", "Airport Link Residency", 4500, ["budget", "transport", "business"], "ten minutes from the airport"),
]

