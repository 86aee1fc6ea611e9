"""Curated building blocks for the bundled catalogue: dish templates per cuisine, city
neighbourhoods (real coordinates), restaurant and hotel name patterns.

Dish templates are ``"Name: ingredient, ingredient, ... @ price [sN]"``: the price is a
mid-range price in US dollars (converted per city by ``CITY_PRICE``), ``sN`` an optional
hand-set spice level 0-3 (otherwise the enricher derives it from the ingredients).
Ingredients are the names in ``agents.catalogue.enrich.INGREDIENTS``; a dish's allergens
and diets are never written here, they are derived.

A dish name always means the same ingredient list (the generator checks it), so "the suya"
in one restaurant has the same allergens as in the next.
"""

from __future__ import annotations

import re

# city -> (local units per US dollar for a restaurant meal, rounding step)
CITY_PRICE = {
    "Lagos": (500.0, 100.0), "London": (0.85, 0.5), "New York": (1.0, 0.25),
    "Paris": (0.95, 0.5), "Mumbai": (30.0, 10.0),
}

CUISINES: dict[str, str] = {
    "Nigerian": """
Jollof Rice with Chicken: rice, tomato, scotch bonnet, onion, chicken, spices @13 s2
Suya Skewers: beef, peanut, chilli, onion, spices @10 s3
Egusi Soup with Pounded Yam: egusi, spinach, palm oil, stockfish, crayfish, yam, scotch bonnet, beef @15 s2
Moi Moi: black-eyed beans, onion, bell pepper, palm oil, egg, crayfish @5 s1
Ofada Rice with Ayamase: rice, bell pepper, scotch bonnet, palm oil, beef, egg, crayfish @16 s3
Ewa Agoyin with Dodo: black-eyed beans, plantain, palm oil, onion, chilli, crayfish @8 s2
Catfish Pepper Soup: catfish, chilli, spices, herbs @12 s3
Puff-Puff: wheat flour, sugar, yeast @3 s0
Efo Riro: spinach, palm oil, locust beans, beef, stockfish, crayfish, scotch bonnet, onion @12 s2
Nigerian Fried Rice with Turkey: rice, turkey, carrot, green beans, sweetcorn, curry powder, onion, liver @14 s1
Amala with Ewedu and Gbegiri: yam flour, jute leaves, black-eyed beans, palm oil, locust beans, crayfish, dried fish @8 s1
Asun: goat, scotch bonnet, onion, bell pepper, vegetable oil @11 s3
Ofe Onugbu with Fufu: bitter leaf, cocoyam, palm oil, beef, stockfish, crayfish, scotch bonnet, cassava @14 s2
Akara: black-eyed beans, onion, scotch bonnet, vegetable oil @3 s1
Boli and Groundnuts: plantain, peanut @3 s0
Goat Meat Pepper Soup: goat, chilli, spices, herbs, utazi @11 s3
Nkwobi: cow foot, palm oil, utazi, chilli, onion, potash @12 s2
Chin Chin: wheat flour, butter, sugar, egg, milk, nutmeg @3 s0
Abacha: cassava, palm oil, crayfish, garden egg, onion, chilli, dried fish @7 s2
Zobo: hibiscus, ginger, pineapple, sugar @2 s0
Meat Pie: wheat flour, butter, beef, potato, carrot, onion, egg @3 s0
Banga Soup with Starch: palm nut, catfish, periwinkle, crayfish, scotch bonnet, cassava, beef @14 s2
""",
    "Lebanese": """
Chicken Shawarma Wrap: chicken, flatbread, toum, pickles, tomato, spices, yoghurt @9 s0
Hummus: chickpeas, tahini, lemon, garlic, olive oil @7 s0
Falafel Plate: chickpeas, herbs, garlic, cumin, tahini, flatbread, vegetable oil @10 s0
Tabbouleh: bulgur wheat, parsley, tomato, mint, lemon, olive oil, spring onion @8 s0
Fattoush: lettuce, tomato, cucumber, radish, flatbread, sumac, olive oil, pomegranate molasses @8 s0
Lebanese Mixed Grill: lamb, chicken, beef, onion, spices, flatbread @22 s0
Baba Ganoush: aubergine, tahini, garlic, lemon, olive oil @7 s0
Lamb Kibbeh: lamb, bulgur wheat, onion, pine nuts, spices, vegetable oil @11 s0
Manakish Za'atar: wheat flour, za'atar, olive oil, yeast @6 s0
Halloumi Salad: halloumi, tomato, cucumber, lettuce, olive oil, lemon @10 s0
Baklava: filo pastry, pistachio, butter, sugar syrup @6 s0
Lebanese Lentil Soup: red lentils, onion, cumin, lemon, olive oil @6 s0
Shish Taouk: chicken, yoghurt, garlic, lemon, paprika @14 s0
Termos: lupin beans, lemon, cumin, olive oil @4 s0
Muhammara: red pepper, walnut, pomegranate molasses, breadcrumbs, olive oil, chilli, garlic @7 s1
""",
    "Chinese": """
Mapo Tofu: tofu, pork, chilli, sichuan pepper, soy sauce @14 s3
Spicy Cumin Lamb Noodles: lamb, wheat noodles, chilli, cumin, soy sauce @15 s3
Sesame Cold Noodles: wheat noodles, sesame paste, soy sauce, cucumber, chilli, peanut, garlic @11 s1
Pork and Chive Dumplings: pork, chive, wheat flour, soy sauce, sesame oil @10 s0
Kung Pao Chicken: chicken, peanut, dried chilli, sichuan pepper, soy sauce, rice vinegar, spring onion @15 s2
Char Siu Pork with Rice: pork, honey, hoisin sauce, soy sauce, five spice, rice @14 s0
Egg Fried Rice: rice, egg, spring onion, soy sauce, vegetable oil @8 s0
Sweet and Sour Chicken: chicken, wheat flour, egg, pineapple, bell pepper, rice vinegar, sugar, tomato @13 s0
Crispy Aromatic Duck: duck, five spice, wheat pancakes, hoisin sauce, cucumber, spring onion @24 s0
Salt and Pepper Squid: squid, cornflour, chilli, garlic, spring onion, egg, wheat flour @12 s1
Har Gow: prawn, wheat starch, tapioca starch, sesame oil, bamboo shoots, pork @8 s0
Beef Chow Fun: beef, rice noodles, bean sprouts, soy sauce, oyster sauce, spring onion @14 s0
Steamed Sea Bass with Ginger: sea bass, ginger, spring onion, soy sauce, sesame oil @26 s0
Hot and Sour Soup: tofu, bamboo shoots, mushroom, egg, rice vinegar, white pepper, soy sauce, chilli oil, pork, chicken stock @7 s1
Stir-fried Pak Choi with Garlic: pak choi, garlic, vegetable oil @8 s0
Dan Dan Noodles: wheat noodles, pork, chilli oil, sichuan pepper, sesame paste, soy sauce, peanut @12 s2
Wonton Soup: pork, prawn, wheat flour, egg, spring onion, chicken stock, soy sauce, sesame oil @9 s0
Buddha's Delight: tofu, mushroom, carrot, bamboo shoots, pak choi, soy sauce, glass noodles @12 s0
""",
    "Indian": """
House Black Daal: lentils, butter, cream, tomato, garlic, ginger @11 s1
Chicken Ruby: chicken, tomato, butter, cream, cashew, spices @16 s2
Okra Fries: okra, chickpea flour, chilli, lime @6 s1
Prawn Koliwada: prawn, chickpea flour, chilli, egg @11 s2
Chicken Tikka Masala: chicken, yoghurt, tomato, cream, butter, garlic, ginger, garam masala @15 s1
Lamb Rogan Josh: lamb, onion, yoghurt, kashmiri chilli, garlic, ginger, spices @16 s2
Chana Masala: chickpeas, tomato, onion, garlic, ginger, green chilli, spices @10 s2
Saag Paneer: spinach, paneer, onion, garlic, ginger, cream, spices @12 s1
Garlic Naan: wheat flour, yoghurt, butter, garlic, yeast, egg @4 s0
Chicken Biryani: rice, chicken, yoghurt, onion, ghee, saffron, spices @16 s2
Lamb Vindaloo: lamb, white vinegar, kashmiri chilli, garlic, ginger, spices, potato @16 s3
Aloo Gobi: potato, cauliflower, onion, tomato, turmeric, cumin, green chilli @9 s1
Onion Bhaji: onion, chickpea flour, green chilli, spices, vegetable oil @5 s1
Tandoori Chicken: chicken, yoghurt, lemon, kashmiri chilli, garlic, ginger, spices @14 s2
Prawn Malabar Curry: prawn, coconut milk, curry leaves, mustard seeds, tamarind, green chilli @17 s2
Mango Lassi: mango, yoghurt, sugar, cardamom @4 s0
Gulab Jamun: milk powder, wheat flour, ghee, sugar syrup, cardamom @5 s0
Dal Tadka: yellow lentils, ghee, cumin, garlic, tomato, green chilli @9 s1
Vegetable Samosa: wheat flour, potato, peas, onion, spices, vegetable oil @4 s1
""",
    "Bangladeshi": """
Chicken Jalfrezi: chicken, bell pepper, onion, green chilli, tomato, spices @13 s3
Lamb Bhuna: lamb, onion, tomato, garlic, ginger, spices @14 s2
Macher Jhol: rohu, potato, mustard oil, turmeric, green chilli, nigella seeds @14 s2
Shorshe Ilish: hilsa, mustard paste, mustard oil, green chilli, turmeric @18 s2
Prawn Bhuna: prawn, onion, tomato, garlic, spices @15 s2
Vegetable Samosa: wheat flour, potato, peas, onion, spices, vegetable oil @4 s1
Pilau Rice: rice, ghee, cardamom, bay leaf, onion @4 s0
Tarka Dal: red lentils, garlic, cumin, vegetable oil, tomato, ghee @7 s1
Beef Kala Bhuna: beef, onion, garlic, ginger, spices, mustard oil @16 s2
Begun Bhaja: aubergine, turmeric, chilli powder, mustard oil @6 s1
Chicken Tikka Masala: chicken, yoghurt, tomato, cream, butter, garlic, ginger, garam masala @15 s1
Lamb Vindaloo: lamb, white vinegar, kashmiri chilli, garlic, ginger, spices, potato @16 s3
Garlic Naan: wheat flour, yoghurt, butter, garlic, yeast, egg @4 s0
Mango Lassi: mango, yoghurt, sugar, cardamom @4 s0
""",
    "British": """
Cod and Chips: cod, wheat flour, potato @20 s0
Sticky Toffee Pudding: wheat flour, dates, butter, cream, egg, sugar @8 s0
Mushroom and Ale Pie: mushroom, wheat flour, butter, ale, egg @16 s0
Full English Breakfast: egg, bacon, sausage, tomato, mushroom, bread, butter @14 s0
Sunday Roast Beef: beef, potato, yorkshire pudding, carrot, gravy, horseradish sauce @26 s0
Bangers and Mash: sausage, potato, butter, milk, onion, gravy @16 s0
Shepherd's Pie: lamb, onion, carrot, potato, butter, milk, worcestershire sauce, celery @17 s0
Ploughman's Lunch: cheddar, bread, branston pickle, apple, ham, butter @14 s0
Scotch Egg: egg, sausage, breadcrumbs, english mustard @7 s0
Welsh Rarebit: bread, cheddar, ale, english mustard, worcestershire sauce, butter @10 s0
Fish Pie: cod, smoked haddock, prawn, milk, butter, wheat flour, potato, parsley, egg @19 s0
Beef Wellington: beef, puff pastry, mushroom, prosciutto, egg, english mustard @40 s0
Eton Mess: strawberries, meringue, cream @8 s0
Cauliflower Cheese: cauliflower, cheddar, milk, butter, wheat flour, english mustard @9 s0
Pea and Ham Soup: split peas, ham, onion, carrot, celery @8 s0
Chicken Tikka Masala: chicken, yoghurt, tomato, cream, butter, garlic, ginger, garam masala @15 s1
""",
    "Caribbean": """
Jerk Chicken with Rice and Peas: chicken, scotch bonnet, allspice, thyme, spring onion, rice, kidney beans, coconut milk, soy sauce @15 s3
Curry Goat: goat, curry powder, scotch bonnet, potato, thyme, onion @16 s2
Ackee and Saltfish: ackee, salt cod, onion, scotch bonnet, tomato @15 s2
Oxtail Stew: oxtail, butter beans, allspice, thyme, onion, soy sauce @19 s1
Fried Plantain: plantain, vegetable oil @4 s0
Jamaican Beef Patty: wheat flour, beef, vegetable shortening, curry powder, scotch bonnet @4 s2
Callaloo: callaloo, onion, garlic, thyme, scotch bonnet, coconut milk @8 s1
Escovitch Fish: red snapper, white vinegar, scotch bonnet, onion, carrot, allspice @19 s2
Festival: cornmeal, wheat flour, sugar, milk @3 s0
Ital Stew: pumpkin, sweet potato, kidney beans, coconut milk, thyme, scotch bonnet, okra @12 s2
""",
    "Turkish": """
Adana Kebab: lamb, red pepper flakes, onion, flatbread, sumac @15 s2
Lahmacun: wheat flour, lamb, tomato, bell pepper, parsley, lemon, yeast @8 s1
Iskender Kebab: lamb, pide bread, tomato, butter, yoghurt @18 s0
Imam Bayildi: aubergine, onion, tomato, garlic, olive oil @11 s0
Mercimek Corbasi: red lentils, onion, carrot, butter, cumin, lemon @6 s0
Pide with Cheese and Egg: wheat flour, kasar cheese, egg, butter, yeast @10 s0
Spinach Borek: filo pastry, feta, spinach, egg, butter @8 s0
Kunefe: kataifi pastry, kunefe cheese, butter, pistachio, sugar syrup @9 s0
Chicken Shish: chicken, yoghurt, garlic, paprika, bulgur wheat @14 s0
Cacik: yoghurt, cucumber, garlic, mint @5 s0
Hummus: chickpeas, tahini, lemon, garlic, olive oil @7 s0
Baklava: filo pastry, pistachio, butter, sugar syrup @6 s0
""",
    "Italian": """
Margherita Pizza: wheat flour, tomato, mozzarella, basil, olive oil, yeast @13 s0
Spaghetti Carbonara: spaghetti, egg, guanciale, pecorino, black pepper @16 s0
Penne Arrabbiata: penne, tomato, garlic, chilli, olive oil, parsley @13 s2
Lasagne al Forno: fresh egg pasta, beef, pork, tomato, bechamel, parmesan, celery, red wine @17 s0
Risotto ai Funghi: arborio rice, porcini, onion, white wine, butter, parmesan, vegetable stock @18 s0
Linguine alle Vongole: linguine, clams, garlic, white wine, chilli, parsley, olive oil @22 s1
Burrata with Tomatoes: burrata, tomato, basil, olive oil @12 s0
Tiramisu: mascarpone, raw egg, savoiardi, coffee, cocoa, marsala @8 s0
Trofie al Pesto: trofie, basil pesto, green beans, potato @15 s0
Minestrone: tomato, carrot, celery, courgette, cannellini beans, ditalini, olive oil, basil, parmesan @9 s0
Chicken Milanese: chicken, breadcrumbs, egg, lemon, rocket, butter @19 s0
Calzone: wheat flour, ricotta, mozzarella, ham, tomato, yeast @14 s0
Panna Cotta: cream, sugar, gelatine, vanilla @7 s0
Quattro Formaggi Pizza: wheat flour, mozzarella, gorgonzola, parmesan, fontina, yeast @14 s0
Lupini Beans: lupin beans, olive oil, garlic, lemon @5 s0
Pizza Diavola: wheat flour, tomato, mozzarella, spicy salami, chilli, yeast @15 s2
""",
    "Pizza": """
Plain Cheese Slice: wheat flour, tomato, mozzarella, yeast @4 s0
Pepperoni Slice: wheat flour, tomato, mozzarella, pepperoni, yeast @4.75 s1
Spicy Vodka Slice: wheat flour, tomato, cream, vodka, chilli, yeast @5.5 s2
Garden Salad: lettuce, tomato, cucumber, olive oil @9 s0
Sicilian Square Slice: wheat flour, tomato, mozzarella, olive oil, oregano, yeast @5 s0
Grandma Slice: wheat flour, tomato, mozzarella, garlic, basil, olive oil, yeast @5 s0
White Pie: wheat flour, ricotta, mozzarella, garlic, olive oil, yeast @22 s0
Sausage and Peppers Pie: wheat flour, tomato, mozzarella, italian sausage, bell pepper, onion, yeast @26 s0
Garlic Knots: wheat flour, garlic, butter, parsley, parmesan, yeast @5 s0
Buffalo Wings: chicken, hot sauce, butter, celery, blue cheese dressing @14 s2
Chicken Parm Hero: chicken, breadcrumbs, egg, tomato, mozzarella, italian bread @14 s0
Cannoli: wheat flour, ricotta, sugar, chocolate chips, egg, marsala @5 s0
""",
    "American": """
Classic Cheeseburger: beef, sesame bun, american cheese, lettuce, tomato, pickles, onion, deli mustard @16 s0
Buttermilk Pancakes: wheat flour, buttermilk, egg, butter, maple syrup @12 s0
Reuben Sandwich: corned beef, rye bread, swiss cheese, sauerkraut, russian dressing @20 s0
New England Clam Chowder: clams, potato, cream, onion, celery, bacon, butter, wheat flour @12 s0
Mac and Cheese: macaroni, cheddar, milk, butter, wheat flour @11 s0
Cobb Salad: chicken, bacon, egg, avocado, blue cheese, lettuce, tomato, red wine vinegar, dijon mustard, worcestershire sauce @16 s0
BLT: bacon, lettuce, tomato, mayonnaise, white bread @11 s0
Chicken and Waffles: chicken, buttermilk, wheat flour, egg, butter, maple syrup, hot sauce @18 s1
New York Cheesecake: cream cheese, sugar, egg, graham crackers, butter, sour cream @9 s0
Lobster Roll: lobster, mayonnaise, celery, lemon, hot dog bun, butter @32 s0
Black Bean Veggie Burger: black beans, oats, onion, sesame bun, lettuce, tomato, avocado, egg @15 s0
Buffalo Wings: chicken, hot sauce, butter, celery, blue cheese dressing @14 s2
""",
    "Jewish Deli": """
Pastrami on Rye: pastrami, rye bread, deli mustard, pickles @22 s0
Matzo Ball Soup: matzo meal, egg, chicken, carrot, celery, dill, schmaltz @10 s0
Chopped Liver: chicken liver, onion, egg, schmaltz, rye bread @9 s0
Potato Latkes: potato, onion, egg, matzo meal, vegetable oil @8 s0
Braised Brisket: beef brisket, onion, carrot, tomato, garlic @24 s0
Salt Beef Bagel: salt beef, bagel, english mustard, pickles @9 s0
Falafel in Pitta: chickpeas, herbs, pitta bread, tahini, aubergine, cabbage, onion, garlic @9 s0
Shakshuka: egg, tomato, bell pepper, chilli, cumin, onion, garlic @13 s2
Potato Knish: wheat flour, potato, onion, egg, vegetable oil @5 s0
Gefilte Fish: carp, pike, onion, egg, matzo meal, carrot, horseradish @9 s0
Cheese Blintzes: wheat flour, egg, farmer cheese, butter, sugar @11 s0
Rugelach: wheat flour, cream cheese, butter, walnut, sugar, cinnamon @4 s0
Lox and Cream Cheese Bagel: smoked salmon, bagel, cream cheese, capers, red onion @15 s0
Reuben Sandwich: corned beef, rye bread, swiss cheese, sauerkraut, russian dressing @20 s0
""",
    "Mexican": """
Tacos al Pastor: pork, corn tortilla, pineapple, onion, coriander, guajillo chilli @13 s2
Chicken Burrito: wheat tortilla, chicken, rice, black beans, sour cream, cheddar, salsa @13 s1
Carne Asada Tacos: beef, corn tortilla, onion, coriander, lime, salsa verde @14 s2
Guacamole and Chips: avocado, onion, tomato, lime, jalapeno, coriander, tortilla chips @9 s1
Enchiladas Verdes: corn tortilla, chicken, tomatillo, serrano chilli, crema, queso fresco @15 s2
Chiles Rellenos: poblano pepper, queso oaxaca, egg, wheat flour, tomato @15 s1
Elote: sweetcorn, mayonnaise, cotija, chilli powder, lime @6 s1
Baja Fish Tacos: cod, wheat flour, beer, cabbage, corn tortilla, crema, lime, mayonnaise, egg @14 s1
Pozole Rojo: pork, hominy, guajillo chilli, onion, oregano, radish @13 s2
Churros with Chocolate: wheat flour, sugar, cinnamon, chocolate sauce, vegetable oil, egg, butter @7 s0
Black Bean Tostada: corn tortilla, black beans, lettuce, avocado, salsa, lime, crema @10 s1
""",
    "Korean": """
Bibimbap: rice, beef, spinach, bean sprouts, carrot, egg, gochujang, sesame oil @16 s2
Kimchi Jjigae: kimchi, pork, tofu, gochugaru, spring onion @15 s3
Korean Fried Chicken: chicken, potato starch, gochujang, garlic, soy sauce, sugar, sesame seeds @18 s2
Bulgogi: beef, soy sauce, pear, garlic, sesame oil, sugar, rice @22 s0
Japchae: sweet potato noodles, beef, spinach, carrot, mushroom, soy sauce, sesame oil @16 s0
Haemul Pajeon: wheat flour, egg, spring onion, squid, prawn, soy sauce @18 s0
Tteokbokki: rice cakes, gochujang, fish cake, spring onion @12 s3
Sundubu Jjigae: soft tofu, clams, egg, gochugaru, spring onion, anchovy stock @16 s3
Kimchi Fried Rice: rice, kimchi, egg, spring onion, sesame oil, gochugaru, soy sauce @13 s2
Vegetable Mandu: wheat flour, tofu, cabbage, glass noodles, chive, soy sauce @10 s0
""",
    "Japanese": """
Salmon Nigiri: raw salmon, sushi rice, wasabi @9 s0
Chicken Katsu Curry: chicken, panko, egg, wheat flour, japanese curry roux, rice @15 s1
Tonkotsu Ramen: wheat noodles, pork bone broth, chashu pork, egg, soy sauce, nori, spring onion @17 s0
Miso Soup: miso, tofu, wakame, dashi, spring onion @4 s0
Edamame: edamame, sea salt @5 s0
Prawn Tempura: prawn, wheat flour, egg, tentsuyu @13 s0
Tuna Maki: raw tuna, sushi rice, nori @8 s0
Vegetable Gyoza: wheat flour, cabbage, mushroom, garlic, ginger, soy sauce, sesame oil @7 s0
Chicken Teriyaki Don: chicken, teriyaki sauce, rice, spring onion, sesame seeds @14 s0
Agedashi Tofu: tofu, potato starch, dashi, soy sauce, daikon, tentsuyu @8 s0
Matcha Ice Cream: milk, cream, sugar, matcha, egg @6 s0
Unagi Don: eel, rice, eel sauce @26 s0
Avocado Cucumber Roll: sushi rice, nori, avocado, cucumber, sesame seeds @7 s0
Spicy Tuna Roll: raw tuna, sushi rice, nori, sriracha mayo, spring onion, sesame seeds @10 s2
""",
    "French": """
Boeuf Bourguignon: beef, red wine, mushroom, carrot, onion, bacon, wheat flour, butter @25 s0
Ratatouille: aubergine, courgette, tomato, bell pepper, olive oil, herbs, onion, garlic @19 s0
Croque Monsieur: bread, ham, gruyere, butter, dijon mustard @15 s0
Creme Brulee: cream, egg, sugar, vanilla @9 s0
Steak Frites: beef, potato, butter, shallot, bearnaise sauce @26 s0
Soupe a l'Oignon: onion, beef stock, bread, gruyere, butter, white wine @12 s0
Coq au Vin: chicken, red wine, bacon, mushroom, onion, butter, wheat flour @24 s0
Confit de Canard: duck, potato, garlic, thyme, duck fat @25 s0
Moules Marinieres: mussels, white wine, shallot, butter, parsley, cream @20 s0
Escargots de Bourgogne: snails, butter, garlic, parsley, baguette @14 s0
Quiche Lorraine: wheat flour, butter, egg, cream, bacon, gruyere @12 s0
Salade Nicoise: tuna, egg, green beans, potato, olives, anchovy, tomato, lettuce, olive oil, dijon mustard @16 s0
Tarte Tatin: apple, butter, sugar, wheat flour, egg @9 s0
Blanquette de Veau: veal, carrot, onion, mushroom, cream, egg, butter, wheat flour, celery @25 s0
Sole Meuniere: sole, butter, wheat flour, lemon, parsley @34 s0
Salade de Chevre Chaud: goat's cheese, baguette, lettuce, walnut, honey, dijon mustard, red wine vinegar @14 s0
Profiteroles: choux pastry, vanilla ice cream, chocolate sauce @9 s0
""",
    "Creperie": """
Galette Complete: buckwheat flour, egg, ham, emmental, butter @11 s0
Galette Forestiere: buckwheat flour, mushroom, cream, emmental, onion, butter @12 s0
Galette Chevre Epinards: buckwheat flour, goat's cheese, spinach, walnut, honey @12 s0
Crepe Beurre Sucre: wheat flour, milk, egg, butter, sugar @5 s0
Crepe Nutella Banane: wheat flour, milk, egg, chocolate hazelnut spread, banana @7 s0
Crepe Suzette: wheat flour, milk, egg, butter, orange, grand marnier @9 s0
Bolee de Cidre: cider @5 s0
Galette Saucisse: buckwheat flour, sausage, onion, butter @9 s0
""",    "Boulangerie": """
Butter Croissant: wheat flour, butter, milk, egg, yeast, sugar @3 s0
Pain au Chocolat: wheat flour, butter, milk, egg, yeast, sugar, chocolate chips @3.5 s0
Baguette Tradition: baguette @1.5 s0
Jambon-Beurre: baguette, ham, butter @6 s0
Eclair au Chocolat: choux pastry, chocolate sauce, cream @5 s0
Chausson aux Pommes: puff pastry, apple, sugar, egg @3.5 s0
Quiche Lorraine: wheat flour, butter, egg, cream, bacon, gruyere @12 s0
Tarte Tatin: apple, butter, sugar, wheat flour, egg @9 s0
""",

    "North African": """
Couscous Royal: couscous, lamb, chicken, chickpeas, mixed vegetables, spices, merguez, butter @23 s2
Vegetable Tagine: chickpeas, carrot, courgette, apricot, almond, spices @18 s1
Harira Soup: lentils, chickpeas, tomato, celery, lamb, spices, wheat flour @8 s1
Shakshuka: egg, tomato, bell pepper, chilli, cumin, onion, garlic @13 s2
Chicken Tagine with Preserved Lemon: chicken, preserved lemon, green olives, onion, saffron, ginger, coriander @19 s0
Lamb Tagine with Prunes: lamb, prunes, almond, onion, cinnamon, honey, sesame seeds @21 s0
Merguez Frites: merguez, potato, baguette, harissa @11 s2
Brik a l'Oeuf: brik pastry, egg, tuna, parsley, capers @6 s0
Chicken Pastilla: chicken, warqa pastry, almond, egg, cinnamon, sugar, butter @16 s0
Zaalouk: aubergine, tomato, garlic, cumin, paprika, olive oil @7 s1
Moroccan Mint Tea: green tea, mint, sugar @3 s0
Makroud: semolina, dates, honey, orange blossom water @4 s0
""",
    "Vietnamese": """
Pho Bo: rice noodles, beef, beef broth, fish sauce, star anise, bean sprouts, basil, lime @13 s0
Bun Cha: pork, rice vermicelli, fish sauce, lettuce, herbs, sugar, lime @14 s1
Banh Mi: baguette, pork, pork liver pate, pickled carrot, daikon, coriander, mayonnaise, chilli, fish sauce, soy sauce @8 s1
Summer Rolls: rice paper, prawn, pork, rice vermicelli, lettuce, mint, peanut sauce @8 s0
Bo Bun: beef, rice vermicelli, lemongrass, peanut, fried shallots, fish sauce, lettuce @13 s1
Nem Ran: pork, prawn, wood ear mushroom, glass noodles, carrot, rice paper, egg, fish sauce @8 s0
Ca Ri Ga: chicken, coconut milk, sweet potato, lemongrass, curry powder, fish sauce @13 s2
Lemongrass Tofu: tofu, lemongrass, chilli, soy sauce, rice @11 s2
""",
    "Mughlai": """
Chicken Seekh Kebab: chicken, onion, chilli, spices @11 s2
Mutton Biryani: rice, goat, yoghurt, ghee, onion, cashew, spices @15 s2
Paneer Tikka: paneer, yoghurt, chilli, spices, onion, ginger, garlic @10 s2
Baida Roti: wheat flour, egg, goat, chilli @7 s2
Nihari: goat, wheat flour, ghee, ginger, spices, fried onions @9 s2
Mutton Korma: goat, yoghurt, cashew, onion, ghee, cardamom, cream @11 s1
Chicken Malai Tikka: chicken, cream, processed cheese, cashew, yoghurt, cardamom @9 s0
Sheermal: wheat flour, milk, ghee, sugar, saffron, yeast @2 s0
Phirni: ground rice, milk, sugar, cardamom, pistachio @3 s0
Bheja Fry: goat brain, onion, tomato, green chilli, spices, vegetable oil @6 s2
Kheema Pav: goat, onion, tomato, peas, spices, pav, butter @5 s2
Chicken Biryani: rice, chicken, yoghurt, onion, ghee, saffron, spices @16 s2
""",
    "Gujarati": """
Gujarati Thali: lentils, rice, wheat flour, ghee, mixed vegetables, yoghurt, jaggery, mustard seeds, peanut @18 s1
Vada Pav: potato, chickpea flour, bread, garlic, peanut, chilli, mustard seeds @2 s2
Pav Bhaji: mixed vegetables, butter, bread, tomato, spices @6 s2
Pani Puri: wheat flour, chickpeas, potato, tamarind, mint, chilli @3 s2
Dhokla: chickpea flour, yoghurt, mustard seeds, curry leaves, green chilli, sugar, ginger, sesame seeds @3 s1
Khandvi: chickpea flour, yoghurt, mustard seeds, sesame seeds, coconut, curry leaves, ginger @3 s1
Undhiyu: purple yam, papdi beans, aubergine, potato, fenugreek, chickpea flour, peanut, coconut, wheat flour, sesame seeds @6 s2
Methi Thepla: wheat flour, fenugreek, yoghurt, turmeric, vegetable oil, sesame seeds @3 s0
Sev Puri: wheat flour, potato, sev, tamarind, onion, coriander @2 s1
Khichdi: rice, yellow lentils, ghee, turmeric, cumin @3 s0
Shrikhand: yoghurt, sugar, saffron, cardamom, pistachio @3 s0
Gujarati Kadhi: yoghurt, chickpea flour, ginger, green chilli, curry leaves, ghee, asafoetida, mustard seeds @3 s1
""",
    "South Indian": """
Masala Dosa: rice, urad dal, potato, onion, mustard seeds, curry leaves, green chilli, coconut chutney @4 s1
Idli Sambar: rice, urad dal, toor dal, tamarind, sambar powder, mustard seeds, drumstick, onion @3 s1
Medu Vada: urad dal, green chilli, curry leaves, black pepper, vegetable oil, ginger, onion @3 s1
Onion Uttapam: rice, urad dal, onion, tomato, green chilli, coriander @4 s1
Rava Upma: semolina, onion, mustard seeds, cashew, curry leaves, ghee @3 s1
Filter Coffee: coffee, milk, sugar @1 s0
Chettinad Chicken: chicken, black pepper, fennel seeds, coconut, curry leaves, red chilli @8 s3
Appam with Vegetable Stew: rice, coconut milk, carrot, potato, green beans, curry leaves @5 s0
Lemon Rice: rice, lemon, mustard seeds, peanut, curry leaves, turmeric @3 s1
Rasam: tomato, tamarind, black pepper, cumin, toor dal, garlic, curry leaves, mustard seeds, ghee @2 s2
""",
    "Konkani Seafood": """
Bombil Fry: bombay duck, rice flour, semolina, chilli powder, turmeric @5 s2
Surmai Fry: kingfish, rice flour, chilli powder, turmeric, lemon @7 s2
Prawn Gassi: prawn, coconut, kokum, red chilli, tamarind, onion @8 s2
Crab Masala: crab, onion, tomato, coconut, garam masala, red chilli @12 s3
Pomfret Thali: pomfret, rice, coconut milk, kokum, red chilli, turmeric @8 s2
Tisrya Sukka: clams, coconut, onion, red chilli, turmeric @6 s2
Sol Kadhi: coconut milk, kokum, garlic, green chilli @1 s1
Neer Dosa: rice, coconut @2 s0
Prawn Koliwada: prawn, chickpea flour, chilli, egg @11 s2
Squid Sukka: squid, coconut, onion, red chilli, curry leaves @8 s2
""",
    "Parsi": """
Bun Maska: bread, butter @1 s0
Akuri on Toast: egg, onion, tomato, green chilli, butter, bread @3 s1
Berry Pulao: rice, chicken, barberries, fried onions, cashew, saffron, ghee @6 s1
Mutton Dhansak: goat, toor dal, red lentils, aubergine, pumpkin, fenugreek, spices @6 s2
Salli Boti: goat, tomato, onion, jaggery, white vinegar, potato straws @6 s1
Caramel Custard: milk, egg, sugar @2 s0
Irani Chai: tea, milk, sugar, cardamom @1 s0
Patra ni Machhi: pomfret, coconut chutney, banana leaf, green chilli, mint @7 s2
Mawa Cake: wheat flour, mawa, butter, egg, sugar, cardamom @1 s0
""",
    "Indo-Chinese": """
Chicken Manchurian: chicken, cornflour, soy sauce, garlic, ginger, green chilli, spring onion, egg, wheat flour @4 s2
Gobi Manchurian: cauliflower, cornflour, wheat flour, soy sauce, garlic, chilli sauce @3 s2
Veg Hakka Noodles: wheat noodles, cabbage, carrot, bell pepper, soy sauce, white vinegar @3 s1
Chilli Paneer: paneer, bell pepper, onion, soy sauce, green chilli, cornflour @4 s2
Schezwan Fried Rice: rice, schezwan sauce, carrot, spring onion, egg @4 s3
Sweet Corn Soup: sweetcorn, cornflour, carrot, egg, vegetable stock, soy sauce @2 s0
American Chopsuey: wheat noodles, chicken, tomato ketchup, cabbage, egg, cornflour, soy sauce @4 s1
""",
    "Mumbai Street Food": """
Vada Pav: potato, chickpea flour, bread, garlic, peanut, chilli, mustard seeds @2 s2
Pav Bhaji: mixed vegetables, butter, bread, tomato, spices @6 s2
Pani Puri: wheat flour, chickpeas, potato, tamarind, mint, chilli @3 s2
Bhel Puri: puffed rice, sev, onion, tamarind, peanut, potato, coriander, wheat flour @2 s1
Misal Pav: moth beans, farsan, onion, bread, spices @2 s3
Kanda Poha: flattened rice, onion, peanut, mustard seeds, curry leaves, lemon @1 s1
Chicken Frankie: wheat flour, egg, chicken, onion, green chutney @3 s2
Bombay Sandwich: bread, butter, potato, cucumber, tomato, green chutney, processed cheese @2 s1
Sabudana Vada: sago, potato, peanut, green chilli @2 s1
Sev Puri: wheat flour, potato, sev, tamarind, onion, coriander @2 s1
""",
    "Halal Cart": """
Chicken over Rice: chicken, rice, white sauce, hot sauce, lettuce, pitta bread @10 s1
Lamb Gyro over Rice: lamb, rice, white sauce, pitta bread, tomato, beef @11 s1
Falafel Platter: chickpeas, herbs, garlic, cumin, tahini, rice, lettuce, pitta bread, white sauce @9 s0
Combo Platter: chicken, lamb, rice, white sauce, hot sauce, lettuce, pitta bread, beef @12 s1
Lamb Gyro Wrap: lamb, pitta bread, white sauce, onion, tomato, beef @9 s1
""",
}

# What nearly every restaurant of a cuisine serves (naan at an Indian, a croissant at a
# boulangerie): every generated or collected menu has these besides its random draw of the others.
STAPLES: dict[str, tuple[str, ...]] = {
    "Nigerian": ("Jollof Rice with Chicken",), "Lebanese": ("Hummus",), "Chinese": ("Egg Fried Rice",),
    "Indian": ("Garlic Naan", "Chicken Tikka Masala"), "Bangladeshi": ("Pilau Rice", "Garlic Naan"),
    "British": ("Cod and Chips",), "Caribbean": ("Jerk Chicken with Rice and Peas",), "Turkish": ("Chicken Shish",),
    "Italian": ("Tiramisu",), "Pizza": ("Plain Cheese Slice",), "American": ("Classic Cheeseburger",),
    "Jewish Deli": ("Pastrami on Rye",), "Mexican": ("Guacamole and Chips",), "Korean": ("Bibimbap",),
    "Japanese": ("Miso Soup",), "French": ("Creme Brulee",), "Creperie": ("Galette Complete",),
    "Boulangerie": ("Butter Croissant", "Baguette Tradition"), "North African": ("Couscous Royal",),
    "Vietnamese": ("Pho Bo",), "Mughlai": ("Chicken Biryani",), "Gujarati": ("Gujarati Thali",),
    "South Indian": ("Masala Dosa",), "Konkani Seafood": ("Sol Kadhi",), "Parsi": ("Bun Maska",),
    "Indo-Chinese": ("Veg Hakka Noodles",), "Mumbai Street Food": ("Vada Pav",),
    "Halal Cart": ("Chicken over Rice",),
}

# Cuisines whose restaurants are halal-certified with probability p (kosher likewise).
HALAL_RATE = {"Nigerian": 0.55, "Lebanese": 0.9, "Turkish": 0.9, "Bangladeshi": 0.85, "Mughlai": 0.95,
              "North African": 0.8, "Halal Cart": 1.0, "Indian": 0.35, "Caribbean": 0.15,
              "Indo-Chinese": 0.2, "Parsi": 0.0, "Konkani Seafood": 0.3}
KOSHER_RATE = {"Jewish Deli": 0.7}
# Templates a certified-kosher (meat) restaurant will not serve: it drops any dish the
# enricher would not tag kosher.  Halal-certified restaurants likewise drop pork/alcohol.

# Neighbourhoods: city -> [(name, lat, lon, cuisines, prayer spaces nearby, stay tags, why)]
NEIGHBOURHOODS: dict[str, list[tuple]] = {
    "Lagos": [
        ("Victoria Island", 6.4281, 3.4219, ["Nigerian", "Lebanese", "Chinese", "Italian", "Indian"], ["mosque", "church"], ["business", "central", "luxury", "food"], "close to restaurants, galleries and the beach"),
        ("Ikoyi", 6.4549, 3.4365, ["Nigerian", "Italian", "Lebanese", "Chinese"], ["mosque", "church"], ["quiet", "luxury", "family"], "leafy streets and the lagoon front"),
        ("Lekki Phase 1", 6.4474, 3.4723, ["Nigerian", "Lebanese", "Italian", "Chinese"], ["mosque", "church"], ["quiet", "family", "food"], "calm streets near Lekki Conservation Centre"),
        ("Ikeja GRA", 6.5833, 3.3500, ["Nigerian", "Lebanese", "Indian", "Chinese"], ["mosque", "church"], ["business", "transport"], "fifteen minutes from the airport"),
        ("Surulere", 6.5000, 3.3500, ["Nigerian"], ["mosque", "church"], ["budget", "nightlife", "food"], "buka culture and the national stadium"),
        ("Yaba", 6.5095, 3.3711, ["Nigerian", "Chinese"], ["mosque", "church"], ["budget", "nightlife"], "tech hubs, students and cheap eats"),
        ("Lagos Island", 6.4550, 3.3900, ["Nigerian", "Lebanese"], ["mosque", "church"], ["budget", "central", "museums"], "markets, the Central Mosque and Tinubu Square"),
        ("Ajah", 6.4698, 3.5852, ["Nigerian"], ["mosque", "church"], ["budget", "quiet"], "quieter, near the Lekki beaches"),
    ],
    "London": [
        ("Shoreditch", 51.5265, -0.0786, ["British", "Turkish", "Japanese", "Italian", "Indian"], ["mosque", "church"], ["nightlife", "food", "central"], "street food, bars and galleries on the doorstep"),
        ("Spitalfields", 51.5196, -0.0754, ["British", "Bangladeshi", "Italian"], ["mosque", "church"], ["food", "central"], "the market, Brick Lane and the City"),
        ("Whitechapel", 51.5194, -0.0600, ["Bangladeshi", "Indian", "Turkish"], ["mosque"], ["budget", "food", "transport"], "East London Mosque and Brick Lane curry houses"),
        ("Soho", 51.5136, -0.1365, ["Italian", "Japanese", "British", "Chinese"], ["church"], ["nightlife", "central", "food"], "theatres, late bars and Chinatown next door"),
        ("Chinatown", 51.5116, -0.1311, ["Chinese", "Japanese"], ["church"], ["central", "food", "nightlife"], "Gerrard Street and the West End"),
        ("Brixton", 51.4613, -0.1156, ["Caribbean", "British", "Italian"], ["mosque", "church"], ["nightlife", "budget", "food"], "the market, live music and Caribbean food"),
        ("Peckham", 51.4740, -0.0690, ["Caribbean", "Nigerian", "British"], ["mosque", "church"], ["budget", "nightlife"], "rooftop bars and West African grocers"),
        ("Edgware Road", 51.5200, -0.1680, ["Lebanese", "Turkish"], ["mosque"], ["central", "food", "transport"], "late-night Lebanese cafés near Hyde Park"),
        ("Southall", 51.5110, -0.3760, ["Indian"], ["temple", "mosque"], ["budget", "food"], "the biggest Punjabi high street outside India"),
        ("Golders Green", 51.5724, -0.1941, ["Jewish Deli", "Italian"], ["synagogue"], ["quiet", "family"], "kosher bakeries and Hampstead Heath"),
        ("King's Cross", 51.5308, -0.1238, ["British", "Italian", "Japanese", "Indian"], ["church"], ["budget", "transport"], "trains to everywhere, canal-side walks"),
        ("South Kensington", 51.4941, -0.1738, ["French", "Italian", "Lebanese"], ["church", "mosque"], ["quiet", "family", "museums", "luxury"], "walkable to the museums and Hyde Park"),
    ],
    "New York": [
        ("Greenwich Village", 40.7336, -74.0027, ["Pizza", "Italian", "American"], ["church", "synagogue"], ["central", "nightlife", "food"], "jazz clubs and Washington Square Park"),
        ("Chinatown", 40.7158, -73.9970, ["Chinese", "Vietnamese"], ["temple", "church"], ["budget", "food", "central"], "dumpling shops and Canal Street"),
        ("Lower East Side", 40.7150, -73.9843, ["Jewish Deli", "American", "Pizza", "Mexican"], ["synagogue", "church"], ["nightlife", "food", "central"], "late-night food and music venues"),
        ("Harlem", 40.8116, -73.9465, ["American", "Caribbean", "Halal Cart"], ["mosque", "church"], ["museums", "food", "budget"], "soul food, the Apollo and Masjid Malcolm Shabazz"),
        ("Williamsburg", 40.7081, -73.9571, ["Pizza", "Mexican", "American", "Japanese"], ["synagogue", "church"], ["nightlife", "food"], "bars, flea markets and skyline views"),
        ("Astoria", 40.7644, -73.9235, ["Halal Cart", "Lebanese", "Italian", "American"], ["mosque", "church"], ["budget", "quiet", "food"], "Steinway Street cafés and Astoria Park"),
        ("Jackson Heights", 40.7557, -73.8831, ["Indian", "Mexican", "Halal Cart"], ["mosque", "temple"], ["budget", "food", "transport"], "South Asian sweets and Latin bakeries"),
        ("Flushing", 40.7675, -73.8331, ["Chinese", "Korean"], ["temple", "mosque"], ["budget", "food"], "food courts and regional Chinese cooking"),
        ("Borough Park", 40.6339, -73.9968, ["Jewish Deli"], ["synagogue"], ["quiet", "family"], "kosher bakeries and a Shabbat-quiet weekend"),
        ("Midtown", 40.7549, -73.9840, ["American", "Halal Cart", "Japanese", "Italian"], ["church", "mosque"], ["business", "central", "luxury"], "Times Square, Broadway and Grand Central"),
        ("Koreatown", 40.7479, -73.9870, ["Korean"], ["church"], ["nightlife", "food", "central"], "24-hour barbecue and karaoke"),
        ("Long Island City", 40.7447, -73.9485, ["American", "Italian", "Mexican"], ["church", "mosque"], ["budget", "transport"], "one subway stop from Midtown"),
        ("Upper West Side", 40.7870, -73.9754, ["American", "Jewish Deli", "Italian"], ["synagogue", "church"], ["quiet", "family", "museums", "luxury"], "between Central Park and the river"),
    ],
    "Paris": [
        ("Le Marais", 48.8575, 2.3592, ["French", "Jewish Deli", "Creperie"], ["synagogue", "church"], ["central", "food", "museums"], "walkable old streets, falafel and galleries"),
        ("Belleville", 48.8722, 2.3767, ["North African", "Vietnamese", "Chinese"], ["mosque", "church"], ["budget", "nightlife", "food"], "street art, couscous and Chinese bakeries"),
        ("Saint-Germain-des-Prés", 48.8540, 2.3330, ["French", "Creperie", "Italian"], ["church"], ["quiet", "luxury", "family"], "cafés, bookshops and the Luxembourg Gardens"),
        ("Montmartre", 48.8867, 2.3431, ["French", "Creperie", "Italian"], ["church"], ["museums", "nightlife"], "Sacré-Cœur and painters' squares"),
        ("Canal Saint-Martin", 48.8710, 2.3650, ["French", "Japanese", "Lebanese"], ["church"], ["budget", "nightlife"], "canal-side bars and a young crowd"),
        ("Latin Quarter", 48.8499, 2.3470, ["French", "North African", "Lebanese"], ["mosque", "church"], ["museums", "central", "budget"], "the Sorbonne, the Grande Mosquée and bookshops"),
        ("Quartier Asiatique", 48.8250, 2.3600, ["Vietnamese", "Chinese"], ["temple"], ["budget", "food"], "pho and Chinese supermarkets in the 13th"),
        ("Goutte d'Or", 48.8850, 2.3540, ["North African"], ["mosque"], ["budget", "food", "transport"], "Marché Dejean and West African tailors"),
        ("Opera", 48.8708, 2.3322, ["Japanese", "French", "Italian"], ["church"], ["business", "central", "luxury"], "rue Sainte-Anne's ramen and the Palais Garnier"),
        ("Bastille", 48.8532, 2.3692, ["French", "Italian", "Lebanese"], ["church"], ["nightlife", "food"], "rue de Lappe bars and the Aligre market"),
    ],
    "Mumbai": [
        ("Colaba", 18.9067, 72.8147, ["Mughlai", "Konkani Seafood", "Italian", "Parsi"], ["mosque", "church", "synagogue"], ["central", "museums", "luxury"], "near the Gateway of India and Colaba Causeway"),
        ("Kalbadevi", 18.9490, 72.8280, ["Gujarati", "Mumbai Street Food"], ["temple"], ["budget", "food"], "markets, thalis and old bazaars"),
        ("Fort", 18.9345, 72.8356, ["Parsi", "Konkani Seafood", "Mumbai Street Food"], ["church", "temple"], ["business", "central", "museums"], "Irani cafés and Victorian Gothic streets"),
        ("Mohammed Ali Road", 18.9555, 72.8335, ["Mughlai"], ["mosque"], ["food", "budget"], "kebab stalls and Minara Masjid"),
        ("Bandra West", 19.0596, 72.8295, ["Italian", "Konkani Seafood", "Indo-Chinese", "Mughlai"], ["church", "mosque"], ["nightlife", "food", "quiet"], "sea-front promenade, cafés and bars"),
        ("Dadar", 19.0178, 72.8478, ["Mumbai Street Food", "Konkani Seafood", "South Indian"], ["temple"], ["budget", "transport"], "Shivaji Park and Maharashtrian food"),
        ("Matunga", 19.0270, 72.8553, ["South Indian", "Gujarati"], ["temple"], ["budget", "quiet"], "the city's South Indian quarter"),
        ("Juhu", 19.1075, 72.8263, ["Mumbai Street Food", "Indo-Chinese", "Italian"], ["temple", "mosque"], ["family", "quiet", "luxury"], "the beach and Juhu chowpatty stalls"),
        ("Andheri East", 19.1136, 72.8697, ["Indo-Chinese", "Mughlai", "South Indian"], ["mosque", "temple"], ["budget", "transport", "business"], "ten minutes from the airport"),
        ("Lower Parel", 18.9953, 72.8302, ["Italian", "Japanese", "Indo-Chinese"], ["temple"], ["nightlife", "business", "luxury"], "mill-turned-mall restaurants and bars"),
    ],
}

# Restaurants added after the first generation: (city, neighbourhood, lat, lon, prayer spaces, cuisine,
# how many).  Generated from their own seed (``build_dataset.more_restaurants``) so the first ones
# keep their names and menus.  Places people ask for that the first generation lacked: Camden and
# the East Village, Indian canteens around La Chapelle, French bistros and bakeries, Nigerian
# kitchens abroad, Japanese and French in Lagos, Italian in Soho, Indian in Brixton.
MORE_RESTAURANTS: list[tuple] = [
    ("London", "Camden", 51.5390, -0.1426, ["church", "mosque"], "British", 2),
    ("London", "Camden", 51.5390, -0.1426, ["church", "mosque"], "Japanese", 1),
    ("London", "Camden", 51.5390, -0.1426, ["church", "mosque"], "Indian", 1),
    ("London", "Camden", 51.5390, -0.1426, ["church", "mosque"], "Lebanese", 1),
    ("London", "Camden", 51.5390, -0.1426, ["church", "mosque"], "Italian", 1),
    ("London", "Soho", 51.5136, -0.1365, ["church"], "Italian", 1),
    ("London", "Soho", 51.5136, -0.1365, ["church"], "French", 1),
    ("London", "Brixton", 51.4613, -0.1156, ["mosque", "church"], "Indian", 1),
    ("London", "Peckham", 51.4740, -0.0690, ["mosque", "church"], "Nigerian", 1),
    ("New York", "East Village", 40.7265, -73.9815, ["church"], "Japanese", 1),
    ("New York", "East Village", 40.7265, -73.9815, ["church"], "Indian", 1),
    ("New York", "East Village", 40.7265, -73.9815, ["church"], "French", 1),
    ("New York", "East Village", 40.7265, -73.9815, ["church"], "Pizza", 1),
    ("New York", "Greenwich Village", 40.7336, -74.0027, ["church", "synagogue"], "French", 1),
    ("New York", "Upper West Side", 40.7870, -73.9754, ["synagogue", "church"], "French", 1),
    ("New York", "Harlem", 40.8116, -73.9465, ["mosque", "church"], "Nigerian", 1),
    ("New York", "Bed-Stuy", 40.6872, -73.9418, ["church", "mosque"], "Caribbean", 1),
    ("New York", "Bed-Stuy", 40.6872, -73.9418, ["church", "mosque"], "Nigerian", 1),
    ("Paris", "La Chapelle", 48.8845, 2.3600, ["temple", "mosque"], "Indian", 2),
    ("Paris", "Goutte d'Or", 48.8850, 2.3540, ["mosque"], "Nigerian", 1),
    ("Paris", "Saint-Germain-des-Prés", 48.8540, 2.3330, ["church"], "Boulangerie", 1),
    ("Paris", "Le Marais", 48.8575, 2.3592, ["synagogue", "church"], "Boulangerie", 1),
    ("Paris", "Montmartre", 48.8867, 2.3431, ["church"], "Boulangerie", 1),
    ("Paris", "Pigalle", 48.8822, 2.3370, ["church"], "Italian", 1),
    ("Lagos", "Victoria Island", 6.4281, 3.4219, ["mosque", "church"], "Japanese", 1),
    ("Lagos", "Ikoyi", 6.4549, 3.4365, ["mosque", "church"], "French", 1),
    ("Lagos", "Lekki Phase 1", 6.4474, 3.4723, ["mosque", "church"], "Italian", 1),
    ("Mumbai", "Bandra West", 19.0596, 72.8295, ["church", "mosque"], "Boulangerie", 1),
    ("Mumbai", "Colaba", 18.9067, 72.8147, ["mosque", "church", "synagogue"], "French", 1),
]

# Personal and place words for restaurant names, per cuisine family.
NAME_PATTERNS: dict[str, tuple[list[str], list[str]]] = {
    "Nigerian": (["Mama {p}'s Kitchen", "Iya {p} Buka", "{p}'s Place", "The {p} Pot", "{h} Suya Spot", "{p} Chop House"],
                 ["Titi", "Bisi", "Ngozi", "Amaka", "Tunde", "Kemi", "Funke", "Chioma", "Sade", "Emeka", "Yemi", "Ada"]),
    "Lebanese": (["{p}", "Beit {p}", "Al {p}", "{p} Grill", "Maison {p}"],
                 ["Cedars", "Byblos", "Zaatar", "Beirut", "Baalbek", "Tripoli", "Sidon", "Jounieh", "Yasmine", "Karam"]),
    "Chinese": (["{p} Garden", "Golden {p}", "{p} Noodle House", "{p} Dumpling Bar", "Lucky {p}"],
                ["Dragon", "Jade", "Lotus", "Bamboo", "Panda", "Phoenix", "Peony", "Sichuan", "Canton", "Pearl"]),
    "Indian": (["{p} Tandoor", "The {p} Kitchen", "{p} Spice", "Curry {p}", "{p} Dhaba"],
               ["Punjab", "Masala", "Saffron", "Chilli", "Lahore", "Amritsar", "Kerala", "Tiffin", "Mehfil", "Ruchi"]),
    "Bangladeshi": (["{p} Balti House", "{p} Tandoori", "Café {p}", "{p} Curry House"],
                    ["Sylhet", "Dhaka", "Padma", "Monsoon", "Shapla", "Gulshan", "Meghna", "Bengal"]),
    "British": (["The {p} Arms", "The {p} & Crown", "{p} Chippy", "The {p}", "{p} Kitchen"],
                ["Red Lion", "Kings Head", "Rose", "Fox", "Plough", "Swan", "Anchor", "Bell", "Albion", "Wellington"]),
    "Caribbean": (["{p}'s Jerk Centre", "Taste of {p}", "{p} Yard", "Island {p}"],
                  ["Kingston", "Negril", "Trench Town", "Ochi", "Montego", "Spice", "Irie", "Portland"]),
    "Turkish": (["{p} Ocakbasi", "{p} Mangal", "Antepli {p}", "{p} Kebab"],
                ["Istanbul", "Anatolia", "Bosphorus", "Gökyüzü", "Mangal", "Sultan", "Efes", "Topkapi"]),
    "Italian": (["Trattoria {p}", "Osteria {p}", "Da {p}", "{p} Pasta Bar", "Pizzeria {p}"],
                ["Roma", "Luigi", "Nonna", "Vesuvio", "Marco", "Sofia", "Gino", "Portofino", "Bella", "Toscana"]),
    "Pizza": (["{p}'s Pizza", "{p} Slice", "Famous {p} Pizza", "{p} Pizzeria"],
              ["Joe", "Tony", "Sal", "Vinnie", "Rosa", "Carmine", "Lombardi", "Prince", "Bleecker", "Mulberry"]),
    "American": (["{p} Diner", "{p} Luncheonette", "The {p} Grill", "{p} Burger Joint"],
                 ["Empire", "Liberty", "Hudson", "Broadway", "Brooklyn", "Sunrise", "Skyline", "Gotham", "Metro"]),
    "Jewish Deli": (["{p}'s Deli", "{p} Bakery & Deli", "{p}'s Kosher Kitchen", "Delicatessen {p}"],
                    ["Katz", "Sammy", "Feldman", "Levy", "Mendel", "Rosen", "Goldberg", "Schwartz", "Miriam"]),
    "Mexican": (["Taqueria {p}", "{p} Cantina", "Tacos {p}", "La {p}"],
                ["El Paisa", "Guadalupe", "Jalisco", "Oaxaca", "La Esquina", "Puebla", "Chilango", "Mixteca"]),
    "Korean": (["{p} BBQ", "{p} House", "Seoul {p}", "{p} Pocha"],
               ["Gangnam", "Hanok", "Kimchi", "Bukchon", "Jongno", "Hwaro", "Mapo", "Busan"]),
    "Japanese": (["{p} Sushi", "{p} Ramen", "Izakaya {p}", "{p} Donburi"],
                 ["Sakura", "Koya", "Kintaro", "Umi", "Hana", "Tsuki", "Yuzu", "Kaze", "Shiro", "Hinata"]),
    "French": (["Le {p}", "Chez {p}", "Bistrot {p}", "La Table de {p}", "Brasserie {p}"],
               ["Petit Zinc", "Marcel", "Colette", "Louis", "Comptoir", "Gaston", "Margaux", "Lucien", "Odette"]),
    "Boulangerie": (["Boulangerie {p}", "Maison {p}", "Au Pain de {p}", "Fournil {p}"],
                    ["Dupont", "Lefèvre", "Moreau", "Garnier", "Rousseau", "Fabre", "Chevalier", "Girard"]),
    "Creperie": (["Crêperie {p}", "Ty {p}", "Breizh {p}"],
                 ["Josselin", "Armor", "Quimper", "Saint-Malo", "Bigouden", "Morlaix"]),
    "North African": (["Chez {p}", "Le {p}", "Dar {p}", "{p} Couscous"],
                      ["Yasmina", "Atlas", "Marrakech", "Fès", "Djerba", "Oran", "Tlemcen", "Essaouira"]),
    "Vietnamese": (["Pho {p}", "{p} Saigon", "Banh Mi {p}", "Le {p} d'Asie"],
                   ["Hanoi", "Huong", "Mekong", "Lotus", "Tonkin", "Hoi An", "Hue", "Dalat"]),
    "Mughlai": (["{p} Kebab House", "{p} Darbar", "Hotel {p}", "{p} Mughlai"],
                ["Colaba", "Noor", "Shalimar", "Bademiya", "Sarvi", "Persian", "Nawab", "Zaika"]),
    "Gujarati": (["{p} Thali House", "Shree {p}", "{p} Bhojanalay", "{p} Farsan"],
                 ["Kalbadevi", "Rajdhani", "Soam", "Thaker", "Bhagat", "Panchvati", "Swati"]),
    "South Indian": (["{p} Udupi", "Café {p}", "{p} Bhavan", "{p} Idli House"],
                     ["Madras", "Mysore", "Ram Ashraya", "Sharda", "Anand", "Mani", "Komala"]),
    "Konkani Seafood": (["{p} Seafood", "Hotel {p}", "{p} Lunch Home", "{p} Coastal"],
                        ["Trishna", "Gajalee", "Mahesh", "Malvan", "Konkan", "Sindhudurg", "Anantashram"]),
    "Parsi": (["Café {p}", "{p} & Co", "{p} Irani Restaurant"],
              ["Britannia", "Kyani", "Yazdani", "Sassanian", "Ideal", "Jimmy Boy", "Merwan"]),
    "Indo-Chinese": (["{p} Chinese Corner", "Hakka {p}", "{p} Wok", "China {p}"],
                     ["Mainland", "Ling's", "Kowloon", "Nanking", "Shanghai", "Golden Dragon", "Szechwan"]),
    "Mumbai Street Food": (["{p} Vada Pav", "{p} Chaat Centre", "{p} Pav Bhaji", "Shree {p} Snacks"],
                           ["Ashok", "Aaram", "Sardar", "Elco", "Shiv Sagar", "Kirti", "Sion", "Chowpatty"]),
    "Halal Cart": (["{p} Halal Guys", "{p} Halal Food", "Halal {p} Cart"],
                   ["53rd Street", "Royal", "Sammy", "Abdul", "Rafiqi", "Crescent", "Sultan"]),
}

# Hotel families: (name pattern, price in US dollars per night, tags, kind)
STAY_KINDS: list[tuple[str, float, list[str], str]] = [
    ("{h} Backpackers Hostel", 35, ["budget", "nightlife"], "hostel"),
    ("{h} Guesthouse", 70, ["budget", "quiet"], "guesthouse"),
    ("The {h} Boutique Hotel", 160, ["food", "central"], "boutique"),
    ("{h} Business Suites", 190, ["business", "transport"], "business"),
    ("Grand {h} Hotel", 320, ["luxury", "family"], "luxury"),
    ("{h} Family Apartments", 140, ["family", "quiet"], "apartment"),
]
STAY_PRICE = {"Lagos": (750.0, 1000.0), "London": (0.8, 5.0), "New York": (1.1, 5.0),
              "Paris": (0.9, 5.0), "Mumbai": (45.0, 100.0)}

_LINE = re.compile(r"^(?P<name>[^:]+):\s*(?P<ings>[^@]+?)\s*@\s*(?P<price>[\d.]+)(?:\s+s(?P<spice>[0-3]))?\s*$")


def dish_templates(cuisine: str) -> list[dict]:
    """Parsed templates of one cuisine: name, ingredients, usd price, spice (or None)."""
    out = []
    for line in CUISINES[cuisine].strip().splitlines():
        m = _LINE.match(line.strip())
        if not m:
            raise ValueError(f"bad template line in {cuisine}: {line!r}")
        out.append({"name": m["name"].strip(), "ingredients": [i.strip() for i in m["ings"].split(",")],
                    "usd": float(m["price"]), "spice": int(m["spice"]) if m["spice"] else None})
    return out
