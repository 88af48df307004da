"""Hypothesis strategies shared by the property tests."""

from hypothesis import strategies as st

ARABIC = "ابتثجحخدذرزسشصضطظعغفقكلمنهويءآأإؤئىة"
MARKS = "\u064b\u064c\u064d\u064e\u064f\u0650\u0651\u0652\u0670\u0640"
arabic_text = st.text(alphabet=ARABIC + MARKS + ' \n.,،؛:«»"0123456789٠١٢٣٤٥٦٧٨٩ABCxyz\u200f\ufefb', max_size=300)
