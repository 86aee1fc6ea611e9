"""How a name is said aloud: said again in full, a title with a surname (kept) or a kin title before a
given name (dropped), a short form offered ("you can say", "for short", "just X is fine"), a
relative's name before the speaker's, French "à l'appareil", an answer after "oh sorry", and a
later onboarding turn that puts the name right."""

from agents.profile_agent import profile_changes
from agents.slots_names import name_in


def test_a_name_said_again_in_full_is_the_full_name():
    assert name_in("Chinedu, Chinedu Eze, and I'm in Yaba", answering=True) == "Chinedu Eze"
    assert name_in("Priya. Priya Raman.", answering=True) == "Priya Raman"
    assert name_in("I'm Tobi, Tobi Adewale") == "Tobi Adewale"
    assert name_in("Priya. Priya Raman.") is None  # only as an answer to "your name?"


def test_a_title_with_a_surname_stays_and_a_kin_title_drops():
    assert name_in("Professor Okafor speaking") == "Professor Okafor"
    assert name_in("Mr Bello here, I live in Ikeja") == "Mr Bello"
    assert name_in("Uncle Segun here o") == "Segun"
    assert name_in("Hi, Auntie Funmi here") == "Funmi"


def test_the_short_form_offered_wins_over_the_name_said():
    assert name_in("My passport says Katherine, but you can say Kate") == "Kate"
    assert name_in("It's Alexander, Alex for short") == "Alex"
    assert name_in("the office calls me Mr Eze, but just Obi is fine") == "Obi"
    assert name_in("just Jollof is fine") is None  # food
    assert name_in("but Friday works for me") is None  # a day


def test_a_relatives_name_is_not_the_speakers():
    assert name_in("I'm Tola's dad, Kunle") == "Kunle"
    assert name_in("this is Amaka's husband") is None


def test_french_on_the_phone():
    assert name_in("Bonsoir, c'est Margaux à l'appareil") == "Margaux"


def test_an_answer_after_a_hesitation_or_apology():
    assert name_in("oh, sorry, Ifeanyi", answering=True) == "Ifeanyi"
    assert name_in("yes, Tamsin", answering=True) == "Tamsin"
    assert name_in("sorry, Peckham", answering=True) is None


def test_a_later_onboarding_turn_puts_the_name_right():
    assert profile_changes({"name": "Aisha"}, "no, Ayesha, with a Y", answering=True)["name"] == "Ayesha"
    assert "name" not in profile_changes({"name": "Aisha"}, "no, Lagos", answering=True)
    assert "name" not in profile_changes({"name": "Aisha", "onboarded": True}, "no, Ayesha")  # profile agent: not a reply


def test_a_name_alone_before_a_sentence_about_the_speaker():
    assert name_in("Yetunde. I live in Ogba.", answering=True) == "Yetunde"
    assert name_in("Thanks. I live in Ogba.", answering=True) is None


def test_words_after_a_name_spelling_and_titles_alone_are_not_the_name():
    assert name_in("call me Liz instead") == "Liz"
    assert name_in("Bayo, B-A-Y-O", answering=True) == "Bayo"
    assert name_in("first name Halima, surname Bello") == "Halima"
    assert name_in("I'm Dr Bello's nurse") is None


def test_pidgin_na_me_be_and_a_short_form_others_use():
    assert name_in("na me be Obiageli o") == "Obiageli"
    assert name_in("I'm called Oluwakemi but everybody says Kemi") == "Kemi"
    assert name_in("it's Nathaniel, Nat is fine") == "Nat"
    assert name_in("I'm Tunde, Lagos is fine") == "Tunde"


def test_a_misheard_food_opening_a_health_answer_is_no_name():
    # "Nuts, all nuts, I'm allergic" heard as "Knets, all nuts, ...": Knets was stored as the name
    from agents.slots_names import name_in

    assert name_in("Knets, all nuts, I'm allergic to them.", answering=True) is None
    assert name_in("Hell, and no shaksh please, I'm allergic.", answering=True) is None  # "halal, and no shellfish"
    assert name_in("Tomás, I'm allergic to nuts", answering=True) == "Tomás"
    assert name_in("Ada, and I'm vegan", answering=True) == "Ada"
