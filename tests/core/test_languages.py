from beacon.core.languages import language_name


def test_familiar_names_come_first_then_the_iso_tables():
    assert language_name("es") == "Spanish"
    assert language_name("el") == "Greek"  # Django's name, not "Modern Greek (1453-)"
    assert language_name("tl") == "Tagalog"  # not in Django's list
    assert language_name("ZH") == "Chinese"
    assert language_name("sw") == "Swahili"  # "(macrolanguage)" dropped
    assert language_name("yue") == "Yue Chinese"  # a three-letter code


def test_an_unknown_code_comes_back_as_given():
    assert language_name("qq") == "QQ"
    assert language_name("x-klingon") == "X-KLINGON"
