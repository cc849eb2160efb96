"""Stigmatising language: the data file covers safety-facts C2, and every entry is found."""

from __future__ import annotations

import pytest

from beacon_safety import assess, language_terms

pytestmark = pytest.mark.safety

# The "avoid" cells of the three C2 tables in safety-facts.md, in table order (64 rows).
C2_AVOID = [
    # suicide and self-harm
    "committed suicide / commit suicide",
    "successful suicide",
    "unsuccessful suicide",
    "failed suicide / failed attempt",
    "suicide bid",
    "suicide epidemic",
    'skyrocketing / "growing problem" (of suicide)',
    'political suicide, suicide mission, "career suicide" (figurative)',
    '"caused by" a single event (job loss, divorce)',
    # mental illness
    "mental patient",
    "nutter",
    "lunatic",
    "psycho",
    "schizo",
    "mad",
    "deranged",
    "crazy / crazed",
    "insane",
    "nuts",
    "psychotic (of behaviour, casually)",
    "victim of (a mental illness)",
    "suffering from / sufferer",
    "afflicted with",
    '"a schizophrenic"',
    '"an anorexic"',
    '"the mentally ill"',
    '"mentally ill" (as a label for a person)',
    'schizophrenic (meaning "contradictory", e.g. "schizophrenic economy")',
    'psychotic (of things, e.g. "psychotic dog")',
    "happy pills",
    "shrink",
    "mental institution",
    # substance use
    "addict",
    "addicted (as an identity)",
    "user; drug user",
    "abuser; drug/substance abuser",
    "alcoholic",
    "drunk (as a noun for a person)",
    "alcoholism",
    "drug/substance/alcohol abuse",
    "drug/substance dependence (outside DSM-IV/ICD context)",
    "drug habit; habit",
    "vice",
    "prescription drug abuse",
    "drugs of abuse",
    "abuse potential",
    "ex-, former, recovering or reformed addict/alcoholic",
    "clean (of a person)",
    "dirty (of a person)",
    "clean / dirty (drug test)",
    "fail / pop (a test)",
    "clean / dirty (syringes)",
    "hardcore (user)",
    "IV drug user; injection drug user",
    "meth head (and similar slang)",
    "junkie",
    "strung out, tweaking, high (clinically)",
    "getting drunk / getting high",
    "relapse / slip / lapse",
    "medication-assisted treatment (MAT); replacement or substitution therapy; "
    "methadone maintenance",
    "non-compliant",
    "in denial",
    "failed treatment",
    "scourge (of addiction)",
]

TERMS = language_terms("en")
EXAMPLES = [(t.id, ex) for t in TERMS for ex in t.examples]


def test_data_file_covers_every_c2_entry() -> None:
    assert len(C2_AVOID) == 64
    assert [t.term for t in TERMS] == C2_AVOID


def test_every_entry_has_alternatives_why_source_and_examples() -> None:
    assert len({t.id for t in TERMS}) == len(TERMS)
    for term in TERMS:
        assert term.alternatives and term.why and term.source and term.category
        assert term.examples, term.id


@pytest.mark.parametrize(
    ("entry_id", "example"), EXAMPLES, ids=[f"{i}:{e[:30]}" for i, e in EXAMPLES]
)
def test_every_entry_is_detected_in_its_examples(entry_id: str, example: str) -> None:
    flags = assess(example).language
    assert entry_id in {f.entry_id for f in flags}, [(f.entry_id, f.term) for f in flags]


def test_flag_span_alternatives_and_why() -> None:
    text = "My uncle committed suicide in 2010."
    (flag,) = [f for f in assess(text).language if f.entry_id == "committed-suicide"]
    assert text[flag.start : flag.end] == "committed suicide"
    assert flag.term == "committed suicide"
    assert "died by suicide" in flag.alternatives
    assert flag.why
    assert flag.severity == "suggest"


def test_figurative_use_is_marked_gently() -> None:
    (flag,) = [f for f in assess("Work was crazy busy today.").language if f.entry_id == "crazy"]
    assert flag.figurative is True


def test_self_descriptive_use_is_marked() -> None:
    flags = assess("As a recovering addict, I know how hard this is.").language
    assert any(f.self_descriptive for f in flags)


@pytest.mark.parametrize(
    "text",
    [
        "I'm so mad at my sister.",
        "I'm allergic to nuts and seeds.",
        "Wash your clothes in clean water.",
        "I failed my driving test twice.",
        "The vice president spoke.",
        "Don't let the sweater shrink in the wash.",
        "She's a regular user of the library app.",
    ],
)
def test_everyday_words_are_not_flagged(text: str) -> None:
    assert assess(text).language == ()


def test_language_terms_fields() -> None:
    term = TERMS[0]
    assert term.source and term.category == "suicide"
    assert language_terms("xx") == TERMS  # unknown language falls back to English
