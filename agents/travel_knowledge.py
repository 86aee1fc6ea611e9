"""What the travel agent knows about its five cities besides hotels: one table per city.

Tipping, getting from the airport and around, visa basics (always with "check official
sources": rules change and depend on the passport), dress codes at religious sites and
venues, customs, safety notes per district, landmarks with their district.  Written by hand
as general guidance, not live data; the hotels themselves stay in the catalogue graph
(``GraphStore.find_stays``).
"""

from __future__ import annotations

import math
import re

from agents.slots import normalise

TOPICS = ("hotel", "district", "landmark", "airport", "transport", "tipping", "visa", "dress_code", "safety",
          "customs")

BORDER_CHECK = "Allowances change, so check the official customs site before you travel."
# "How early should I be at the airport?"
HOW_EARLY = r"how early|what time should (i|we)|in time for|before (my|our|the) flight|arrive .{0,30}\bflight"
AIRPORT_EARLY = ("Be at the airport 3 hours before an international flight and 2 hours before a domestic one; "
                 "allow more for traffic to the airport.")
VISA_CHECK = "Rules depend on your passport and change, so check the official government site before you book."

CITIES: dict[str, dict] = {
    "Lagos": {
        "tipping": "Tipping isn't required in Lagos, but 5-10% in restaurants is appreciated when no service "
                   "charge is on the bill; small notes for porters, drivers and hotel staff are normal.",
        "transport": "Most visitors use ride-hailing apps (Uber, Bolt) or a hired driver. Danfo minibuses and BRT "
                     "buses are cheap but crowded; okada bikes are banned on many major roads. Allow for traffic: "
                     "a 15 km trip between the Island and the Mainland can take over an hour at rush hour.",
        "airports": {"Murtala Muhammed International (LOS)": "International flights use the international "
                     "terminal at Ikeja; domestic flights use the separate domestic terminals (MMA2 and the GAT). "
                     "Pre-book a hotel car or use a ride-hailing app from the official pick-up point; "
                     "to Victoria Island or Lekki allow 1-2 hours."},
        "visa": "Most visitors need a Nigerian visa or an approved visa on arrival; ECOWAS citizens do not.",
        "border": "Declare cash over US$10,000 (or its equal) on arrival. Some foods may not be brought in (for "
                  "example certain meats and some packaged drinks): check the Nigeria Customs Service list before you "
                  "pack.",
        "dress_code": "Dress modestly at mosques (covered arms and legs, headscarf for women) and churches; "
                      "Lagos nightlife and owambe parties are dressy, often in matching aso ebi.",
        "customs": "Greet elders first and warmly; Yoruba custom is to kneel or bow slightly to elders. "
                   "Give and receive with the right hand: using the left is seen as rude. Haggling is normal "
                   "in markets.",
        "safety": "Lagos is fine for visitors who take care: use a known driver or ride-hailing app at night, keep "
                  "phones out of sight in traffic and avoid walking alone after dark outside busy areas.",
        "districts": {
            "Victoria Island": ("the business and nightlife hub, hotels, restaurants and beaches nearby",
                                "one of the safer areas, busy and well policed; still use a car at night"),
            "Ikoyi": ("quiet, leafy and upmarket, embassies and fine dining", "one of the safest areas"),
            "Lekki": ("newer estates, beaches, Nike Art Gallery and the Lekki Conservation Centre; "
                      "good for a visitor who wants space and the beach", "generally safe in the estates; "
                      "traffic on the Lekki-Epe expressway is the main problem"),
            "Ikeja": ("the state capital on the Mainland, near the airport, malls and Computer Village",
                      "fine by day; use a car at night"),
            "Yaba": ("the tech and student district, lively, cheap food, University of Lagos nearby",
                     "busy and generally fine by day; at night stick to busy streets and use a ride-hailing app, "
                     "especially alone"),
            "Surulere": ("the old Mainland heart, the National Stadium, street food and live music",
                         "lively; take the usual care with phones and at night"),
            "Lagos Island": ("markets (Balogun), the old colonial centre, Freedom Park and the National Museum",
                             "very crowded: watch bags and phones in the markets"),
            "Ajah": ("the far end of Lekki, beaches and resorts", "quieter; go by car"),
        },
        "landmarks": {
            "Nike Art Gallery": ("Lekki", "five floors of Nigerian art by Nike Okundaye's collective; entry is "
                                 "free, open daily, and the staff will show you round"),
            "Lekki Conservation Centre": ("Lekki", "a nature reserve with Africa's longest canopy walkway "
                                          "(about 400 m, some 20 m up); it sways but has side nets; go early "
                                          "before the heat"),
            "Freedom Park": ("Lagos Island", "a former colonial prison turned park with concerts and food stalls"),
            "National Museum": ("Lagos Island", "Nigerian art and history in Onikan"),
            "Balogun Market": ("Lagos Island", "a huge fabric and everything market; go with a local and "
                               "keep valuables close"),
            "Kalakuta Museum": ("Ikeja", "Fela Kuti's former home, now a museum"),
            "Elegushi Beach": ("Lekki", "a busy private beach with music and food at weekends"),
            "Tarkwa Bay": ("Lagos Island", "a sheltered beach reached by boat from the jetties"),
        },
    },
    "London": {
        "tipping": "Tipping is optional in London. Many restaurants add a 12.5% service charge; if not, 10-12.5% "
                   "is usual for good service. You don't tip at the bar in pubs (you may offer to buy the bartender "
                   "a drink); round up for taxis.",
        "transport": "The Tube, buses and Overground take contactless cards or phones (daily fare caps apply; no "
                     "cash on buses). Night buses run all night across London, and the Night Tube runs Friday "
                     "and Saturday nights on some lines. Stand on the right on escalators.",
        "airports": {"Heathrow (LHR)": "the Elizabeth line or Piccadilly line into central London, or the "
                     "Heathrow Express to Paddington (15 min, dearer)",
                     "Gatwick (LGW)": "the Gatwick Express to Victoria or Thameslink/Southern trains; "
                     "for south London (Brixton, Clapham) Gatwick is usually easier: train to Victoria, then "
                     "the Victoria line",
                     "Stansted (STN)": "the Stansted Express to Liverpool Street",
                     "Luton (LTN)": "the DART shuttle to Luton Airport Parkway, then Thameslink",
                     "London City (LCY)": "the DLR, close to Canary Wharf and the City"},
        "visa": "Many visitors now need an Electronic Travel Authorisation (ETA) or a visa for the UK, applied "
                "for online; some nationalities need a full visitor visa.",
        "border": "Declare cash of £10,000 or more when you enter or leave the UK. Meat and dairy from outside the EU "
                  "may not be brought in your luggage; alcohol and tobacco have duty-free allowances.",
        "dress_code": "Theatres have no dress code: smart-casual is usual, people dress up for the opera and "
                      "first nights. Cover shoulders and knees in churches, mosques, gurdwaras and temples; "
                      "remove shoes and cover your head at the Neasden Mandir and in gurdwaras.",
        "customs": "Queue and wait your turn: skipping the queue is seen as very rude. Say please and thank you, "
                   "keep your voice down on the Tube, and stand on the right on escalators.",
        "safety": "London is generally safe; watch for pickpockets in crowded areas and phone snatching from "
                  "bikes. The Tube is safe late at night; sit in a busy carriage and use licensed black cabs or "
                  "booked minicabs.",
        "districts": {
            "Shoreditch": ("street art, bars and clubs, Brick Lane curries",
                           "busy and fine; watch phones late at night"),
            "Camden": ("Camden Market, live music, canal walks", "lively; keep an eye on bags in the market"),
            "Brixton": ("Brixton Village, Caribbean food, the Academy music venue", "lively and generally fine; "
                        "usual care late at night"),
            "Soho": ("theatres, bars and restaurants in the West End", "very busy until late; watch for pickpockets"),
            "South Kensington": ("the big museums, quiet and smart", "very safe"),
            "King's Cross": ("the Eurostar, Granary Square, good transport links", "safe and well lit"),
            "Whitechapel": ("the East London Mosque, Brick Lane nearby, cheap curries", "fine with usual care"),
            "Peckham": ("rooftop bars, Nigerian food on Rye Lane", "fine with usual care at night"),
            "Spitalfields": ("the old market, Georgian streets, near the City", "safe"),
        },
        "landmarks": {
            "British Museum": ("Bloomsbury", "free entry; book a timed slot at busy times"),
            "Tower of London": ("Tower Hill", "the Crown Jewels and the ravens; buy tickets online"),
            "Tower Bridge": ("Tower Hill", "walk across free; the glass walkway costs extra"),
            "Buckingham Palace": ("Westminster", "the Changing of the Guard most mornings; state rooms open in summer"),
            "Westminster Abbey": ("Westminster", "a working church: modest dress, closed to tourists on Sundays"),
            "Big Ben": ("Westminster", "the clock tower of the Houses of Parliament (the Elizabeth Tower): best seen "
                                       "from Westminster Bridge; tours inside are for UK residents, booked through an MP"),
            "St Paul's Cathedral": ("City of London", "climb to the Whispering Gallery; modest dress"),
            "Borough Market": ("Southwark", "London's best-known food market, busiest on Saturdays"),
            "Camden Market": ("Camden", "street food and stalls by the canal, every day"),
            "Natural History Museum": ("South Kensington", "free; the dinosaur hall gets busy at weekends"),
            "Tate Modern": ("Southwark", "free modern art in the old power station on the South Bank"),
            "London Eye": ("South Bank", "book ahead; sunset slots sell out"),
            "Neasden Temple": ("Neasden", "BAPS Shri Swaminarayan Mandir: shoes off, shoulders and knees covered"),
        },
    },
    "New York": {
        "tipping": "Tipping is expected in New York: 18-22% of the pre-tax bill at sit-down restaurants, "
                   "$1-2 a drink at bars, 15-20% for taxis, a few dollars a night for hotel housekeeping.",
        "transport": "The subway runs 24 hours; tap a contactless card or phone with OMNY (fares are capped "
                     "weekly). Buses use the same payment. Yellow cabs and ride-hailing apps are everywhere; "
                     "walking is often fastest in Manhattan.",
        "airports": {"JFK": "the AirTrain to Jamaica or Howard Beach, then the subway (E, A) or the LIRR into "
                     "Manhattan: cheapest and avoids traffic; a yellow cab has a flat fare to Manhattan (plus "
                     "tolls and tip) and takes 45-90 min",
                     "LaGuardia (LGA)": "the free Q70 bus to the subway, or a taxi",
                     "Newark (EWR)": "the AirTrain to Newark Airport station, then NJ Transit to Penn Station"},
        "visa": "Many visitors can use the Visa Waiver Program with an approved ESTA, applied for online before "
                "travel; others need a B1/B2 visitor visa with a consulate interview, and waiting times vary "
                "from weeks to months by country.",
        "border": "Declare cash over US$10,000, and declare all food on the customs form: most fresh fruit, "
                  "vegetables, meat and dairy are refused, while sealed pickles, baked goods and sweets are usually "
                  "allowed once declared.",
        "dress_code": "Most places are casual. Cover shoulders in St Patrick's Cathedral and other places of "
                      "worship; upscale restaurants and Broadway are smart-casual.",
        "customs": "Walk fast and keep to the right on sidewalks, don't stop at the top of subway stairs, "
                   "and tip for service: it's part of staff pay.",
        "safety": "New York is generally safe for visitors; stay alert on quiet subway platforms late at night, "
                  "ride in the conductor's car, and watch for pickpockets in Times Square.",
        "districts": {
            "Manhattan": ("the centre: Midtown, museums, Central Park, Broadway", "busy and generally safe"),
            "Brooklyn": ("neighbourhoods from DUMBO to Williamsburg, parks and food",
                         "generally safe; varies by block"),
            "Williamsburg": ("bars, vintage shops and waterfront views", "safe and busy at night"),
            "Harlem": ("the Apollo Theater, soul food, gospel churches", "fine with usual city care"),
            "Queens": ("the most diverse food in the city: Flushing, Jackson Heights, Astoria", "generally safe"),
            "Midtown": ("Times Square, the Empire State Building, hotels", "crowded; watch for scams in Times Square"),
            "Lower East Side": ("bars, old delis, the Tenement Museum", "lively at night"),
            "Upper West Side": ("quiet and residential next to Central Park", "very safe"),
        },
        "landmarks": {
            "Statue of Liberty": ("Battery Park", "tickets only from Statue City Cruises (the official ferry, "
                                  "from Battery Park); book pedestal or crown tickets weeks ahead"),
            "Central Park": ("Manhattan", "Bethesda Terrace, the Bow Bridge and the Ramble are the best bits; "
                             "Sheep Meadow for picnics"),
            "Empire State Building": ("Midtown", "buy timed tickets online; sunset is the busiest slot"),
            "Times Square": ("Midtown", "best at night; ignore the costumed characters asking for money"),
            "Metropolitan Museum of Art": ("Upper East Side", "pay-what-you-wish only for New York residents"),
            "Brooklyn Bridge": ("DUMBO", "walk it from Brooklyn towards Manhattan early in the morning"),
            "9/11 Memorial": ("Financial District", "the pools are free; the museum needs a ticket"),
            "Apollo Theater": ("Harlem", "Amateur Night on Wednesdays"),
            "St Patrick's Cathedral": ("Midtown", "free entry; dress respectfully"),
        },
    },
    "Paris": {
        "tipping": "Service is included in Paris restaurant prices (service compris), so a tip isn't expected; "
                   "leaving a euro or two, or rounding up, for good service is appreciated. Round up for taxis.",
        "transport": "The Métro is the quickest way around Paris; buses are slower but scenic. Pay with a "
                     "Navigo Easy pass or contactless card. Vélib' bikes are everywhere; Métro lines close "
                     "around 1 am (2 am on weekends), then Noctilien night buses run.",
        "airports": {"Charles de Gaulle (CDG)": "RER B to Gare du Nord and Châtelet (about 35 min), or a taxi "
                     "at a flat fare to the Right or Left Bank",
                     "Orly (ORY)": "Métro line 14 to the centre, or a taxi at a flat fare"},
        "visa": "France is in the Schengen area: many nationalities need a Schengen visa, applied for at the "
                "French consulate or its visa centre; others can stay up to 90 days visa-free.",
        "border": "Declare cash of €10,000 or more when you enter or leave the EU. Meat and dairy from outside the EU "
                  "may not be brought in your luggage; alcohol and tobacco have duty-free allowances.",
        "dress_code": "Smart-casual is the norm. The Opéra Garnier has no strict dress code, but people dress up "
                      "for evening performances. Cover shoulders in churches like Notre-Dame and Sacré-Cœur, "
                      "and at the Grande Mosquée.",
        "customs": "Say 'bonjour' when you walk into a shop or café, and 'bonsoir' in the evening. Friends greet "
                   "with la bise: usually two kisses on the cheek in Paris (right cheek first), a handshake "
                   "with strangers.",
        "safety": "Paris is generally safe but pickpockets work the Métro, the big sights and crowded stations; "
                  "keep bags closed and in front.",
        "districts": {
            "Le Marais": ("old mansions, galleries, falafel, the Jewish quarter, lively gay scene", "safe and busy"),
            "Belleville": ("multicultural, street art, Chinese and North African food, views of Paris",
                           "lively; fine at night on the main streets, take care with bags and in quieter side "
                           "streets late"),
            "Montmartre": ("Sacré-Cœur, artists' square, village streets", "safe; pickpockets and bracelet "
                           "scams around Sacré-Cœur"),
            "Pigalle": ("nightlife, music venues, the Moulin Rouge", "busy at night; fine on the main boulevards "
                        "but watch for pickpockets and bar scams, and avoid quiet side streets alone late"),
            "Saint-Germain": ("cafés, bookshops, galleries on the Left Bank", "very safe"),
            "Latin Quarter": ("students, the Pantheon, cheap eats", "safe and busy"),
            "Canal Saint-Martin": ("canal-side bars and cafés, young crowd", "safe"),
            "Opéra": ("grand boulevards, department stores, the Opéra Garnier", "safe, crowded by day"),
            "Bastille": ("bars and nightlife, the Opéra Bastille", "busy at night, usual care"),
        },
        "landmarks": {
            "Eiffel Tower": ("Champ de Mars", "book lift tickets online; the summit closes in high winds"),
            "Louvre": ("Louvre", "book a timed ticket; closed on Tuesdays"),
            "Notre-Dame": ("Ile de la Cite", "reopened in December 2024; entry free, reserve a slot to skip the queue"),
            "Sacré-Cœur": ("Montmartre", "free; climb the dome for the view"),
            "Opéra Garnier": ("Opéra", "visit by day with a ticket, or see a ballet in the evening"),
            "Musée d'Orsay": ("Saint-Germain", "Impressionists; closed on Mondays"),
            "Arc de Triomphe": ("Champs-Elysees", "use the underpass; the roof has great views"),
            "Centre Pompidou": ("Le Marais", "modern art; check the building is open (renovation from 2025)"),
            "Grande Mosquée de Paris": ("Latin Quarter", "a tea room and garden; dress modestly"),
            "Père Lachaise": ("Belleville", "the famous cemetery; pick up a map at the entrance"),
        },
    },
    "Mumbai": {
        "tipping": "Tipping is appreciated in Mumbai: about 10% in restaurants when no service charge is added, "
                   "small amounts for hotel staff and drivers; not expected in auto-rickshaws.",
        "transport": "Local trains (Western, Central and Harbour lines) are fastest but packed at rush hour; "
                     "there are ladies' compartments. The Metro covers some routes; taxis and auto-rickshaws "
                     "(suburbs only) use the meter; Uber and Ola work well.",
        "airports": {"Chhatrapati Shivaji Maharaj International (BOM)": "Terminal 2 for international flights; "
                     "prepaid taxis or app cabs from the official ranks. Juhu and Bandra are 20-40 min away, "
                     "South Mumbai (Colaba) about an hour or more in traffic"},
        "visa": "Most visitors need an Indian visa; many nationalities can apply online for an e-Visa before "
                "travel.",
        "border": "Declare foreign currency over US$5,000 in notes (US$10,000 in all) on arrival; most visitors may "
                  "not carry Indian rupees in or out. Goods beyond the duty-free allowance must be declared.",
        "dress_code": "At Haji Ali Dargah and mosques, cover your head (a scarf is fine, for men and women), "
                      "shoulders and legs, and remove shoes. At temples like Siddhivinayak, shoes off and modest "
                      "dress.",
        "customs": "Take your shoes off when entering someone's home (look for shoes at the door). Use the right "
                   "hand to give, receive and eat. A namaste is a polite greeting.",
        "safety": "Mumbai is generally safe; watch for pickpockets on local trains and in markets, and use "
                  "metered or app cabs at night.",
        "districts": {
            "Colaba": ("the Gateway of India, cafés, Causeway shopping", "safe and busy"),
            "Bandra": ("cafés, Bandstand, Mount Mary Church, nightlife", "safe"),
            "Juhu": ("the beach, street food stalls, Bollywood homes", "safe; busy in the evening"),
            "Andheri": ("near the airport, business hotels, nightlife in Versova", "fine with usual care"),
            "Fort": ("colonial buildings, CSMT station, Kala Ghoda art district", "safe by day"),
            "Lower Parel": ("old mills turned malls and restaurants", "safe"),
            "Dadar": ("markets, Shivaji Park, Maharashtrian food", "crowded; watch phones"),
            "Worli": ("the sea link, Haji Ali nearby, offices", "safe"),
        },
        "landmarks": {
            "Gateway of India": ("Colaba", "best early in the morning or at sunset; ferries to Elephanta "
                                 "Caves leave from here"),
            "Haji Ali": ("Worli", "the Dargah is reached by a causeway that floods at high tide, so check the "
                         "tide times; open from early morning until late evening"),
            "Marine Drive": ("Churchgate", "the Queen's Necklace at night"),
            "Chhatrapati Shivaji Terminus": ("Fort", "UNESCO-listed station, best seen lit up at night"),
            "Elephanta Caves": ("Colaba", "an hour's ferry from the Gateway; closed on Mondays"),
            "Siddhivinayak Temple": ("Prabhadevi", "long queues on Tuesdays"),
            "Juhu Beach": ("Juhu", "pav bhaji and bhel puri stalls in the evening"),
            "Chowpatty": ("Girgaon", "street food on the beach"),
            "Banganga Tank": ("Malabar Hill", "an old temple tank, quiet in the morning"),
        },
    },
}

# Where each landmark is (latitude, longitude), so "a hotel near the Louvre" offers the nearest stays.
LANDMARK_AT: dict[str, tuple[float, float]] = {
    "Nike Art Gallery": (6.4378, 3.4853), "Lekki Conservation Centre": (6.4410, 3.5357),
    "Freedom Park": (6.4499, 3.3958), "National Museum": (6.4445, 3.4030), "Balogun Market": (6.4550, 3.3900),
    "Kalakuta Museum": (6.6018, 3.3515), "Elegushi Beach": (6.4260, 3.4950), "Tarkwa Bay": (6.4000, 3.3960),
    "British Museum": (51.5194, -0.1270), "Tower of London": (51.5081, -0.0759), "Tower Bridge": (51.5055, -0.0754),
    "Buckingham Palace": (51.5014, -0.1419), "Westminster Abbey": (51.4993, -0.1273), "Big Ben": (51.5007, -0.1246),
    "St Paul's Cathedral": (51.5138, -0.0984), "Borough Market": (51.5055, -0.0910),
    "Camden Market": (51.5413, -0.1460), "Natural History Museum": (51.4967, -0.1764),
    "Tate Modern": (51.5076, -0.0994), "London Eye": (51.5033, -0.1196), "Neasden Temple": (51.5475, -0.2607),
    "Statue of Liberty": (40.6892, -74.0445), "Central Park": (40.7829, -73.9654),
    "Empire State Building": (40.7484, -73.9857), "Times Square": (40.7580, -73.9855),
    "Metropolitan Museum of Art": (40.7794, -73.9632), "Brooklyn Bridge": (40.7061, -73.9969),
    "9/11 Memorial": (40.7115, -74.0134), "Apollo Theater": (40.8100, -73.9500),
    "St Patrick's Cathedral": (40.7585, -73.9760),
    "Eiffel Tower": (48.8584, 2.2945), "Louvre": (48.8606, 2.3376), "Notre-Dame": (48.8530, 2.3499),
    "Sacré-Cœur": (48.8867, 2.3431), "Opéra Garnier": (48.8720, 2.3316), "Musée d'Orsay": (48.8600, 2.3266),
    "Arc de Triomphe": (48.8738, 2.2950), "Centre Pompidou": (48.8607, 2.3522),
    "Grande Mosquée de Paris": (48.8420, 2.3550), "Père Lachaise": (48.8614, 2.3933),
    "Gateway of India": (18.9220, 72.8347), "Haji Ali": (18.9827, 72.8089), "Marine Drive": (18.9440, 72.8230),
    "Chhatrapati Shivaji Terminus": (18.9398, 72.8355), "Elephanta Caves": (18.9633, 72.9315),
    "Siddhivinayak Temple": (19.0169, 72.8302), "Juhu Beach": (19.0988, 72.8267), "Chowpatty": (18.9548, 72.8147),
    "Banganga Tank": (18.9457, 72.7944),
}

# Landmarks said in other ways ("the Opéra", "Haji Ali Dargah", "Liberty").
LANDMARK_ALIASES = {"opera": "Opéra Garnier", "palais garnier": "Opéra Garnier", "haji ali dargah": "Haji Ali",
                    "statue of liberty": "Statue of Liberty", "the met": "Metropolitan Museum of Art",
                    "sacre coeur": "Sacré-Cœur", "sacre-coeur": "Sacré-Cœur", "notre dame": "Notre-Dame",
                    "tour eiffel": "Eiffel Tower", "csmt": "Chhatrapati Shivaji Terminus", "vt station":
                    "Chhatrapati Shivaji Terminus", "elizabeth tower": "Big Ben", "neasden mandir": "Neasden Temple",
                    "statue de la liberte": "Statue of Liberty",
                    "lekki conservation": "Lekki Conservation Centre", "canopy walk": "Lekki Conservation Centre"}

# Questions about what may cross the border ("how much cash can I bring in", "through customs at JFK"),
# answered from each city's "border" rules; other customs questions are about manners.
BORDER_CUES = (r"\bdeclare|duty[- ]free|customs (allowance|limit|rules|form)|through customs|\bdouane\b|"
               r"(allowed|can i|can we|may i) (to )?(bring|carry|take)|prescription letter|"
               r"(bring|carry|take)\b.{0,40}\b(into|in to|out of) (the country|nigeria|india|france|the uk|the us|"
               r"lagos|london|new york|paris|mumbai)")

# Topic cues, checked in this order: the first that matches wins (a tipping question that names
# a hotel is still about tipping).  General words, not sentences.
TOPIC_CUES = (
    # a place to stay by the airport is a stay, not the way to the airport
    ("hotel", r"\b(hotels?|stay|accommodation|hostel|room)\b.{0,40}\b(near|by|close to|next to|at) (the )?"
              r"(airport|heathrow|gatwick|jfk|cdg|charles de gaulle|murtala)|"
              r"\b(find|book|pick|recommend) (me |us )?(a |an )?([a-z-]+ )?(hotel|hostel|room|place to stay)\b"),
    ("visa", r"\bvisas?\b|e-?visa|\beta\b|\besta\b|passport|schengen|entry requirement"),
    ("tipping", r"\btip(s|ping|ped)?\b|gratuity|service charge|pourboire|baksh|"
                r"\bdash (him|her|them|the|am)\b|how much (should|do) (i|we) (give|leave)|\bround up\b|"
                r"service compris|\b(fifteen|eighteen|twenty|15|18|20) ?(%|per ?cent)"),
    ("dress_code", r"dress code|\bdress(ed)?\b|\bwear\b|\bcover (my|your|the|our) (head|hair|shoulders|legs|arms)|"
                   r"what to wear|clothes|tenue|\bshorts\b|trainers|sneakers|flip-?flops|vest tops?|sleeveless|"
                   r"shoulders|headscarf|hijab|dupatta|\bjeans\b|bouncers?|se couvrir|epaules|pehen|kapde|"
                   r"swimwear|swimsuit|bikini|smart casual|\bjacket\b|what (do|should) (i|we) pack|pack for|"
                   r"coat weather"),
    ("customs", BORDER_CUES),
    ("airport", r"airport|aeroport|terminal|\bflights?\b|\bjfk\b|heathrow|gatwick|stansted|luton|laguardia|"
                r"newark|\bcdg\b|charles de gaulle|orly|murtala|\blanding\b|layover|lounge"),
    ("safety", r"\bsafe\b|safety|dangerous|danger|crime|pickpocket|scam|\bsur\b|dangereu|secure|nervous|scared|"
               r"worried|afraid|sketchy|dodgy|craignos|\bca craint\b|"
               r"\b(ok|okay|fine) to walk|walk(ing)? (around|alone|home|back)\b.*\b(late|night|dark)|"
               r"after dark|\bavoid\b.{0,30}\b(at night|after dark|late)|areas? (to|should (i|we)) avoid|no-go"),
    ("customs", r"\brude\b|polite|etiquette|custom|manners|greet|\bkiss|handshake|shoes off|queue|left hand|"
                r"\bbow\b|offend|say (bonjour|hello|hi)\b|first names?\b|older people|elders|respectful"),
    ("transport", r"get (from|to|around|there)|getting (from|to|around)|\bmetro\b|\btube\b|\bbus(es)?\b|"
                  r"\btrain\b|\btaxi|\bcabs?\b|\buber\b|okada|danfo|subway|rickshaw|\bauto\b|ferry|comment aller|"
                  r"kaise jaa|how far|commute|travel card|oyster|navigo|\bbolt\b|ride[- ]hailing|"
                  r"\b(elizabeth|central|jubilee|northern|victoria|piccadilly|district|circle|metropolitan) line\b|"
                  r"\bwalk (from|to)\b|too far|way around|get about"),
    ("hotel", r"hotel|\b(where|place|somewhere|want|need|looking|wanna) (to )?stay\b|"
              r"\bstay (near|close|in|at|for|by|around|with|somewhere)\b|where (should|can|could|do|would|will) "
              r"(i|we) stay|\broom\b|hostel|airbnb|accommodation|"
              r"\b(for|a|one|two|three|four|five|six|seven|few|couple of|\d+) nights?\b|per night|book a bed|lodge|"
              r"logement|\bwhere\b[^,.?!]{0,25}\bstay\b|serviced (apartment|flat)s?|short[- ]term (let|rental)s?"),
)


# A clause that sets a topic aside ("I'm not looking for a hotel", "forget the hotels", "I've sorted
# the airport transfer already", "I know which subway to take, that's not the question").
_SET_ASIDE = re.compile(r"\b(not (looking for|asking (about|for)|interested in|after)|forget (about )?the|"
                        r"don'?t (need|find|book|want)|no need for|(i'?ve|we'?ve) (already )?(sorted|booked)|already (sorted|booked|got)|"
                        r"sorted already|we'?ve got an? (airbnb|hotel|place|flat)|"
                        r"i know (which|how|where)|that'?s not (the|my) question|not what i'?m asking)\b")
_CLAUSES = re.compile(r"[,.;:!?]|\bbut\b|\bjust\b")


def _asked_part(t: str) -> str:
    """The text without the clauses that set a topic aside (and the clause before "that's not the
    question"), so the topic is what is asked."""
    if not _SET_ASIDE.search(t):
        return t
    kept = []
    for part in (p for p in _CLAUSES.split(t) if p.strip()):
        if _SET_ASIDE.search(part):
            if re.search(r"not (the|my) question|not what i'?m asking", part) and kept:
                kept.pop()
            continue
        kept.append(part)
    return " , ".join(kept) if kept else t


def topic_of(text: str, landmark: str | None, district: str | None) -> str:
    """The travel topic of a request; a place named with no other cue asks about that place."""
    t = _asked_part(normalise(text))
    for topic, cue in TOPIC_CUES:
        if re.search(cue, t):
            return topic
    if landmark:
        return "landmark"
    if district or re.search(r"\b(area|neighbou?rhood|district|quartier|part of town)\b", t):
        return "district"
    return "overview"


def metres_between(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Great-circle distance in metres between two (latitude, longitude) points."""
    lat1, lon1, lat2, lon2 = map(math.radians, (*a, *b))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 2 * 6_371_000 * math.asin(math.sqrt(h))


def without_landmark_names(text: str) -> str:
    """The normalised text with every landmark's full name blanked: "Siddhivinayak Temple" names
    no district called Temple."""
    return _LANDMARK_NAMES_RE.sub(" ", normalise(text))


def landmark_in(city: str, text: str) -> str | None:
    """The landmark of ``city`` the text names, or None."""
    t = normalise(text)
    for alias, name in LANDMARK_ALIASES.items():
        if name in CITIES[city]["landmarks"] and re.search(r"\b" + re.escape(alias) + r"\b", t):
            return name
    for name in CITIES[city]["landmarks"]:
        if re.search(r"\b" + re.escape(normalise(name)) + r"\b", t):
            return name
    return None


# Boroughs people name that hold catalogue neighbourhoods ("Queens" holds Astoria and Flushing).
PARTS: dict[str, tuple[str, ...]] = {
    "Brooklyn": ("Williamsburg", "Borough Park", "DUMBO", "Bushwick", "Park Slope", "Greenpoint", "Crown Heights",
                 "Bed-Stuy", "Flatbush", "Brooklyn Heights", "Fort Greene"),
    "Queens": ("Astoria", "Jackson Heights", "Flushing", "Long Island City", "Elmhurst", "Sunnyside", "Forest Hills"),
    "Manhattan": ("Greenwich Village", "Chinatown", "Lower East Side", "Harlem", "Midtown", "Koreatown",
                  "Upper West Side", "Upper East Side", "East Village", "West Village", "Tribeca", "SoHo",
                  "Financial District", "Hell's Kitchen", "Chelsea"),
}


def within(said: str | None, hood: str | None) -> bool:
    """Whether a catalogue neighbourhood is the area said or lies in it (a borough's parts)."""
    from agents.areas import same_area

    if not said or not hood:
        return False
    return same_area(said, hood) or any(same_area(part, hood) for part in PARTS.get(said, ()))


def district_entry(city: str, district: str | None) -> tuple[str, tuple[str, str]] | None:
    """(name, (what it is, safety note)) for a district of the city table, matching "Lekki Phase 1" to "Lekki"."""
    if not district:
        return None
    key = normalise(district)
    for name, entry in CITIES[city]["districts"].items():
        n = normalise(name)
        if key == n or key.startswith(n + " ") or n.startswith(key + " "):
            return name, entry
    return None


_LANDMARK_NAMES_RE = re.compile(r"\b(" + "|".join(sorted((re.escape(normalise(n)) for c in CITIES.values()
                                                            for n in c["landmarks"] if " " in n), key=len, reverse=True))
                                + r")\b")
