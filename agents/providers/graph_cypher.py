"""The Cypher the graph store runs, in one place: it sticks to what FalkorDB and Neo4j both accept.

Parameters are ``$names``; ``%s`` (labels) is filled in by agents/providers/graph.py from a
fixed set, never from user input.  The outside dishes' and bookings' queries (the last section)
are run by agents/providers/mcp_offers.py.
"""

# --- catalogue: dishes, restaurants, stays, orders ----------------------------------------
DISH_COLUMNS = """
RETURN d.id AS id, d.name AS name, d.price AS price, d.spice AS spice,
       d.allergens AS allergens, d.diets AS diets, d.ingredients AS ingredients,
       r.id AS restaurant_id, r.name AS restaurant, r.neighbourhood AS neighbourhood,
       r.rating AS rating, c.name AS city, r.cuisine AS cuisine, d.price_band AS price_band
"""

FIND_DISHES = """
MATCH (c:City {name: $city})<-[:IN]-(r:Restaurant)<-[:SERVED_AT]-(d:Dish)
WHERE none(a IN d.allergens WHERE a IN $allergies)
  AND all(x IN $diets WHERE x IN d.diets)
  AND d.spice >= $min_spice AND d.spice <= $max_spice AND d.price <= $max_price
  AND (size($restaurant_ids) = 0 OR r.id IN $restaurant_ids)
  AND (size($name_words) = 0 OR any(w IN $name_words WHERE toLower(d.name) CONTAINS w OR toLower(r.cuisine) CONTAINS w))
""" + DISH_COLUMNS + """
ORDER BY r.rating DESC, d.price ASC
LIMIT $limit
"""

# Orders name any dish of the city, not only the top ``limit`` of find_dishes: the whole
# menu's names (two short strings a dish), then the chosen dishes by id.
MENU_NAMES = """
MATCH (c:City {name: $city})<-[:IN]-(r:Restaurant)<-[:SERVED_AT]-(d:Dish)
RETURN d.id AS id, d.name AS name, r.name AS restaurant, r.cuisine AS cuisine,
       r.neighbourhood AS neighbourhood, d.spice AS spice, d.price_band AS price_band,
       r.lat AS lat, r.lon AS lon
ORDER BY r.rating DESC, d.id
"""

# Where each neighbourhood of a city is: the mean position of its restaurants.
NEIGHBOURHOOD_CENTRES = """
MATCH (c:City {name: $city})<-[:IN]-(r:Restaurant)
RETURN r.neighbourhood AS neighbourhood, avg(r.lat) AS lat, avg(r.lon) AS lon
"""

# The words a request can name a dish by: each dish name and cuisine of the city once.
MENU_WORDS = """
MATCH (c:City {name: $city})<-[:IN]-(r:Restaurant)<-[:SERVED_AT]-(d:Dish)
RETURN DISTINCT d.name AS name, r.cuisine AS cuisine
"""

DISHES_BY_ID = """
MATCH (d:Dish) WHERE d.id IN $ids
MATCH (d)-[:SERVED_AT]->(r:Restaurant)-[:IN]->(c:City)
""" + DISH_COLUMNS

# The hot query: the point index on Restaurant.loc finds the restaurants in the circle,
# then their dishes are filtered (allergens excluded inside the query), nearest first.
# ``WITH`` fixes the plan: without it FalkorDB starts from a label scan of every Dish
# whenever the dish filters are present (measured 60-170 ms at 3k restaurants vs ~1 ms).
# The dish lists are projected (d_allergens, d_diets) before the list predicates: FalkorDB
# 4.x evaluated ``all(x IN $diets WHERE x IN d.diets)`` wrongly on a node bound after a
# WITH (always false).  tests/test_catalogue_query.py checks every answer against Python.
FIND_DISHES_NEAR = """
MATCH (r:Restaurant)
WHERE distance(r.loc, point({latitude: $lat, longitude: $lon})) <= $radius_m
  AND ($city = '' OR r.city = $city)
  AND (size($restaurant_ids) = 0 OR r.id IN $restaurant_ids)
WITH r, distance(r.loc, point({latitude: $lat, longitude: $lon})) AS dist
MATCH (r)<-[:SERVED_AT]-(d:Dish)
WITH r, dist, d, d.allergens AS d_allergens, d.diets AS d_diets
WHERE none(a IN d_allergens WHERE a IN $allergies)
  AND all(x IN $diets WHERE x IN d_diets)
  AND d.spice >= $min_spice AND d.spice <= $max_spice AND d.price <= $max_price
WITH r, d, dist, d_allergens, d_diets, r.rating AS rating, d.price AS price
ORDER BY dist ASC, rating DESC, price ASC
LIMIT $limit
RETURN d.id AS id, d.name AS name, price, d.spice AS spice,
       d_allergens AS allergens, d_diets AS diets, d.ingredients AS ingredients,
       r.id AS restaurant_id, r.name AS restaurant, r.neighbourhood AS neighbourhood,
       rating, r.city AS city, r.cuisine AS cuisine, d.price_band AS price_band,
       round(dist) AS distance_m
"""

GROUP_PLACES = """
MATCH (c:City {name: $city})<-[:IN]-(r:Restaurant)
WHERE r.max_group >= $size
RETURN r.id AS id, r.name AS name, r.neighbourhood AS neighbourhood, r.cuisine AS cuisine,
       r.rating AS rating, r.max_group AS max_group
ORDER BY r.rating DESC
"""

STAYS = """
MATCH (c:City {name: $city})<-[:IN]-(s:Stay)
RETURN s.id AS id, s.name AS name, s.neighbourhood AS neighbourhood, s.price AS price,
       s.tags AS tags, s.why AS why, s.lat AS lat, s.lon AS lon
ORDER BY s.id
"""

RECORD_ORDER = """
MATCH (u:User {id: $user_id}), (d:Dish {id: $dish_id})
MERGE (u)-[o:ORDERED {session_id: $session_id}]->(d)
ON CREATE SET o.at = $at
RETURN count(o) AS n
"""


# --- people: friends, what was recommended, shares ----------------------------------------
USERS_NAMED = """
MATCH (u:User)
WHERE (coalesce(u.name_key, toLower(u.name)) = $name OR u.name_first = $name) AND u.id <> $me
  AND ($city = '' OR u.home_city = $city)
RETURN properties(u) AS u
"""

RECORD_RECOMMENDED = """
MATCH (u:User {id: $user_id})
UNWIND range(0, size($ids) - 1) AS i
MATCH (n:%s {id: $ids[i]})
MERGE (u)-[r:RECOMMENDED {session_id: $session_id}]->(n)
ON CREATE SET r.at = $at, r.rank = $ranks[i]
RETURN count(r) AS n
"""

# The newest session (other than this one) whose reply named something, and what it named.
LAST_RECOMMENDED = """
MATCH (:User {id: $id})-[r:RECOMMENDED]->()
WHERE r.session_id <> $session_id
WITH r.session_id AS sid, max(r.at) AS at ORDER BY at DESC LIMIT 1
MATCH (:User {id: $id})-[r:RECOMMENDED {session_id: sid}]->(n)
RETURN n.id AS id, n.name AS name, labels(n) AS labels, n.city AS city, r.rank AS rank
ORDER BY rank
"""

SHARE = """
MATCH (a:User {id: $from_id}), (b:User {id: $to_id})
MERGE (s:Share {id: $share_id})
ON CREATE SET s.at = $at, s.seen = false
MERGE (a)-[:SENT]->(s)
MERGE (s)-[:TO]->(b)
RETURN s.id AS id
"""

SHARE_OF = """
MATCH (s:Share {id: $share_id})
UNWIND $ids AS iid
MATCH (n:%s {id: iid})
MERGE (s)-[:OF]->(n)
RETURN count(n) AS n
"""

SHARED_WITH = """
MATCH (a:User)-[:SENT]->(s:Share)-[:TO]->(:User {id: $id})
WHERE NOT $unseen_only OR s.seen = false
MATCH (s)-[:OF]->(n)
RETURN s.id AS share, s.at AS at, a.id AS from_id, a.name AS from_name,
       n.id AS id, n.name AS name, n.city AS city, labels(n) AS labels
ORDER BY at DESC, id
LIMIT $limit
"""


# --- outside dishes and bookings: what external MCP servers offered and booked (mcp_offers.py) ---
REMEMBER_OFFERED = """
MATCH (u:User {id: $user_id})
UNWIND $dishes AS row
MERGE (d:OutsideDish {id: row.id})
SET d.name = row.name, d.city = $city, d.row = row.json
MERGE (u)-[o:OFFERED]->(d)
SET o.at = $at, o.session_id = $session_id
RETURN count(o) AS n
"""

OFFERED_LATELY = """
MATCH (:User {id: $user_id})-[o:OFFERED]->(d:OutsideDish)
WHERE d.city = $city AND o.at >= $since
RETURN d.row AS row ORDER BY o.at DESC LIMIT $limit
"""

OUTSIDE_DISHES_BY_ID = """
MATCH (d:OutsideDish) WHERE d.id IN $ids
RETURN d.row AS row
"""

RECORD_OUTSIDE_ORDER = """
MATCH (u:User {id: $user_id}), (d:OutsideDish {id: $dish_id})
MERGE (u)-[o:ORDERED {session_id: $session_id}]->(d)
ON CREATE SET o.at = $at
SET o.confirmation = $confirmation, o.server = $server
RETURN count(o) AS n
"""

RECORD_BOOKING = """
MATCH (u:User {id: $user_id})
MERGE (b:Booking {id: $id})
ON CREATE SET b.confirmation = $confirmation, b.server = $server, b.restaurant = $restaurant, b.city = $city,
              b.party_size = $party_size, b.time = $time
MERGE (u)-[r:BOOKED {session_id: $session_id}]->(b)
ON CREATE SET r.at = $at
RETURN count(r) AS n
"""

OUTSIDE_ORDERS = """
MATCH (:User {id: $user_id})-[o:ORDERED]->(d:OutsideDish)
RETURN d.id AS id, d.name AS name, o.confirmation AS confirmation, o.server AS server, o.session_id AS session_id
ORDER BY o.at
"""

BOOKINGS = """
MATCH (:User {id: $user_id})-[r:BOOKED]->(b:Booking)
RETURN b.confirmation AS confirmation, b.server AS server, b.restaurant AS restaurant, b.party_size AS party_size,
       b.time AS time, r.session_id AS session_id
ORDER BY r.at
"""
