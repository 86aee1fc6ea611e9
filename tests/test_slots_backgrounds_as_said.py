"""Backgrounds as people say them: "were" is not "we're", generation words drop, Hinglish "munda
hoon", a background others assume is not the speaker's, a compound in a bare clause with a hedge,
and a compound replaces its own part ("Ghanaian, well, British Ghanaian")."""

from agents.profile_agent import profile_changes
from agents.slots_background import cultures_in


def test_a_relatives_background_in_the_past_tense_is_not_the_speakers():
    assert cultures_in("I'm Canadian, my great-grandparents were Polish") == ["Canadian"]


def test_generation_words_drop():
    assert cultures_in("third generation Punjabi, living in Southall") == ["Punjabi"]
    assert cultures_in("I'm 2nd-gen Tamil") == ["Tamil"]


def test_hinglish_boy_and_girl_words():
    assert cultures_in("Marathi mulgi nahi, Gujarati kudi hoon") == ["Gujarati"]


def test_a_background_others_assume_is_not_the_speakers():
    assert cultures_in("Everyone thinks I'm Korean, but I'm Japanese") == ["Japanese"]
    assert cultures_in("I think I'm mostly Irish") == ["Irish"]


def test_a_compound_in_a_bare_clause_and_a_compound_replacing_its_part():
    assert cultures_in("Ghanaian, well, British Ghanaian actually") == ["British Ghanaian"]
    assert cultures_in("Yoruba Muslim") == ["Yoruba", "Muslim"]  # a people and a faith are two
    later = profile_changes({"cultural_background": ["Indian"]}, "British Indian really")
    assert later["cultural_background"] == ["British Indian"]


def test_more_ways_to_state_a_background():
    assert cultures_in("my heritage's Ethiopian") == ["Ethiopian"]
    assert cultures_in("Igbo by tribe, Catholic by faith") == ["Igbo", "Catholic"]
    assert cultures_in("proper Naija girl, living in Ikeja") == ["Nigerian"]
    assert cultures_in("I'm a Brit through and through") == ["British"]
