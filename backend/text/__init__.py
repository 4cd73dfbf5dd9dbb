"""Korean text tools shared by search, answers and display: the analyzer (Kiwi morphemes and
character bigrams), the glossary, the answer types and the one normaliser."""
