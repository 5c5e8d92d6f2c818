"""The edit corpus of re-anchoring: an old text, a new text, and the outcome a claim must get.

Each text marks one span with ⟦ and ⟧: in the old text the claim's quote, in the new text
the span the claim must land on (none when it must be orphaned). The marks are taken out
before the texts are used. Written before the code, from the rules in docs/articles.md.
"""

from __future__ import annotations

from dataclasses import dataclass

from annotations.anchoring import normalise_newlines

OPEN, CLOSE = "⟦", "⟧"


@dataclass(frozen=True)
class Case:
    name: str
    old: str  # with the claim's quote marked
    new: str  # with the expected span marked, or no mark when the claim must be orphaned
    expected: str  # unchanged, moved, edited or orphaned
    why: str = ""


def unmark(marked: str) -> tuple[str, tuple[int, int] | None]:
    """The text without its marks, and the marked span in it (None when there is none)."""
    if OPEN not in marked:
        assert CLOSE not in marked, "a mark is closed without being opened"
        return marked, None
    start = marked.index(OPEN)
    end = marked.index(CLOSE) - 1
    text = marked.replace(OPEN, "", 1).replace(CLOSE, "", 1)
    assert OPEN not in text and CLOSE not in text, "one marked span per text"
    return text, (start, end)


def plain(marked: str) -> str:
    return marked.replace(OPEN, "").replace(CLOSE, "")


# --- An English article -----------------------------------------------------------------------

P1 = (
    "Northfield, 4 March. The regional statistics office published its quarterly report on Tuesday."
)
P2 = (
    "The labour minister said ⟦unemployment fell to 5.2 percent in March⟧, the lowest level since "
    "2008. Opposition parties questioned the method used to count part-time workers."
)
P3 = (
    "Economists at the central bank expect growth of 1.4 percent this year. They warned that "
    "energy prices remain the largest risk to the forecast."
)
P4 = (
    "The report also covers housing. Rents in the capital rose by 7 percent over twelve months, "
    "while prices outside the main cities stayed flat. A separate survey of 2,000 households "
    "found that one in five spends more than a third of its income on rent."
)
P5 = "The next report is due in June."


def article(*paragraphs: str) -> str:
    return "\n\n".join(paragraphs)


EN = article(P1, P2, P3, P4, P5)
P2_PLAIN = plain(P2)
NEW_PARAGRAPH = (
    "Update: this article was corrected on 6 March to give the survey's full sample size."
)

# --- French, Russian, Chinese ---------------------------------------------------------------------

FR = article(
    "Paris, le 12 mai. Le gouvernement a présenté son projet de loi de finances.",
    "Selon le ministre, ⟦le déficit public atteindra 4,4 % du PIB l'an prochain⟧, contre 5 % "
    "cette année. L'opposition juge ces prévisions trop optimistes.",
    "Le Haut Conseil des finances publiques rendra son avis la semaine prochaine.",
)
RU = article(
    "Москва, 3 апреля. Министерство экономики опубликовало новый прогноз.",
    "По словам министра, ⟦инфляция в этом году составит 4,5 процента⟧, а рост экономики — "
    "около двух процентов. Эксперты считают прогноз слишком оптимистичным.",
    "Центральный банк представит свой доклад в конце месяца.",
)
ZH = article(
    "北京，5月8日。国家统计局周三发布了最新数据。",
    "报告显示，⟦今年第一季度国内生产总值同比增长百分之五点三⟧，高于市场预期。",
    "分析人士认为，消费回暖是主要原因。",
)

FAMILY = "\U0001f468\u200d\U0001f469\u200d\U0001f467"  # man, ZWJ, woman, ZWJ, girl
FAMILY_WITH_BOY = FAMILY + "\u200d\U0001f466"
FLAG_FR = "\U0001f1eb\U0001f1f7"


CASES: list[Case] = [
    # --- unchanged ---------------------------------------------------------------------------
    Case("identical text", EN, EN, "unchanged"),
    Case(
        "typo fixed in another paragraph",
        EN.replace("quarterly", "quaterly").replace("central bank", "centrl bank"),
        EN,
        "unchanged",
    ),
    Case(
        "typo fixed in the quote's sentence, outside the quote",
        EN.replace("labour minister", "labour minsiter"),
        EN,
        "unchanged",
    ),
    Case(
        "edit touching only the prefix and suffix context",
        EN,
        EN.replace(
            "The labour minister said ", "Labour minister Ana Reyes told reporters that "
        ).replace(", the lowest level since 2008", " — its lowest level since 2008"),
        "unchanged",
        "the quote is intact where the diff maps it, whatever happened around it",
    ),
    Case(
        "paragraph inserted before",
        EN,
        article(P1, NEW_PARAGRAPH, P2, P3, P4, P5),
        "unchanged",
    ),
    Case("paragraph inserted after", EN, article(P1, P2, P3, NEW_PARAGRAPH, P4, P5), "unchanged"),
    Case(
        "most of the text before the quote deleted",
        EN,
        article("Northfield.", P2, P3, P4, P5),
        "unchanged",
    ),
    Case(
        "look-alike sentence added elsewhere, the original untouched",
        EN,
        article(P1, P2, P3, "The minister said unemployment fell to 5.3 percent in March.", P4, P5),
        "unchanged",
    ),
    Case(
        "blank lines and line wrapping changed around the quote",
        EN,
        EN.replace("\n\n", "\n\n\n").replace(" Opposition parties", "\nOpposition parties"),
        "unchanged",
    ),
    Case(
        "white space run before the quote collapsed",
        EN.replace("minister said ⟦", "minister  said   ⟦"),
        EN,
        "unchanged",
    ),
    Case(
        "line endings normalised by the caller (CRLF became LF)",
        EN,
        normalise_newlines(EN.replace("\n", "\r\n")),
        "unchanged",
        "the caller normalises line endings first; the text then matches exactly",
    ),
    Case(
        "emoji inserted before the quote",
        EN,
        EN.replace("The labour minister", "🔥📈 The labour minister"),
        "unchanged",
        "offsets count code points: two astral characters shift the quote by two",
    ),
    Case(
        "ZWJ family and a flag inserted before the quote",
        EN,
        EN.replace("The labour minister", f"{FAMILY} {FLAG_FR} The labour minister"),
        "unchanged",
    ),
    Case(
        "ZWJ sequence before the quote grows by one person",
        EN.replace("The labour minister", f"Families {FAMILY} The labour minister"),
        EN.replace("The labour minister", f"Families {FAMILY_WITH_BOY} The labour minister"),
        "unchanged",
    ),
    Case(
        "quote at the very start, headline inserted before it",
        "⟦Unemployment fell to 5.2 percent⟧ in March, the minister said.\n\n" + plain(P3),
        "Jobs report\n\n⟦Unemployment fell to 5.2 percent⟧ in March, the minister said.\n\n"
        + plain(P3),
        "unchanged",
    ),
    Case(
        "quote at the very start, text after it changed",
        "⟦Unemployment fell to 5.2 percent⟧ in March, the minister said.",
        "⟦Unemployment fell to 5.2 percent⟧ in March, the labour minister told parliament.",
        "unchanged",
    ),
    Case(
        "quote at the very end, paragraph appended",
        plain(P1) + "\n\nThe minister said ⟦unemployment fell to 5.2 percent⟧",
        plain(P1) + "\n\nThe minister said ⟦unemployment fell to 5.2 percent⟧\n\n" + NEW_PARAGRAPH,
        "unchanged",
    ),
    Case(
        "the quoted phrase appears twice; the claim on the second, paragraph inserted before",
        article(
            "Officials said prices rose sharply in January.",
            "In February, officials said ⟦prices rose sharply⟧ again, citing fuel.",
        ),
        article(
            "Officials said prices rose sharply in January.",
            NEW_PARAGRAPH,
            "In February, officials said ⟦prices rose sharply⟧ again, citing fuel.",
        ),
        "unchanged",
    ),
    Case(
        "quote's paragraph copied to the end, the original kept in place",
        article(
            "Officials said prices rose sharply in January.",
            "In February, officials said ⟦prices rose sharply⟧ again, citing fuel.",
            plain(P3),
        ),
        article(
            "Officials said prices rose sharply in January.",
            "In February, officials said ⟦prices rose sharply⟧ again, citing fuel.",
            plain(P3),
            "In February, officials said prices rose sharply again, citing fuel.",
        ),
        "unchanged",
        "the diff keeps the original where it was: that is where the claim stays",
    ),
    # --- moved -------------------------------------------------------------------------------
    Case(
        "quote's paragraph moved to the end",
        EN,
        article(P1, P3, P4, P5, P2),
        "moved",
        "the diff keeps the longer paragraphs in place and sees the short one deleted and re-added",
    ),
    Case(
        "paragraph starting with the quote moved: the prefix changed, the suffix identifies it",
        article(
            plain(P1),
            "⟦Unemployment fell to 5.2 percent in March⟧, the labour minister said on Tuesday.",
            plain(P3),
            plain(P4),
        ),
        article(
            plain(P1),
            plain(P3),
            plain(P4),
            "⟦Unemployment fell to 5.2 percent in March⟧, the labour minister said on Tuesday.",
        ),
        "moved",
    ),
    Case(
        "the quoted phrase appears twice; the claim's paragraph moved, the context picks it",
        article(
            "Officials said prices rose sharply in January.",
            "In February, officials said ⟦prices rose sharply⟧ again, citing fuel.",
            plain(P3),
            plain(P4),
        ),
        article(
            "Officials said prices rose sharply in January.",
            plain(P3),
            plain(P4),
            "In February, officials said ⟦prices rose sharply⟧ again, citing fuel.",
        ),
        "moved",
    ),
    # --- edited ------------------------------------------------------------------------------
    Case("typo fixed inside the quote", EN.replace("in March", "in Mrach"), EN, "edited"),
    Case(
        "figure changed inside the quote",
        EN,
        EN.replace("5.2 percent", "5.4 percent"),
        "edited",
        "a corrected figure: the old and the new quote are both kept, and an approved claim "
        "goes back to review",
    ),
    Case(
        "both figures of a short quote changed",
        "Rents ⟦rose 7% in 2023⟧ in the capital.",
        "Rents ⟦rose 9% in 2024⟧ in the capital.",
        "edited",
        "two characters of fifteen: still clearly the same passage, now saying something else",
    ),
    Case(
        "word inserted inside the quote",
        EN,
        EN.replace("fell to 5.2", "fell sharply to 5.2"),
        "edited",
    ),
    Case(
        "the quote's last word replaced by a longer phrase",
        EN,
        EN.replace("in March⟧", "in April and May⟧"),
        "edited",
        "the new wording runs to the end of what replaced the quote's end (similarity 84)",
    ),
    Case(
        "the quote's last words cut",
        EN,
        EN.replace("percent in March⟧", "percent⟧"),
        "edited",
    ),
    Case(
        "the quote's first word replaced by a synonym",
        EN,
        plain(EN).replace("unemployment fell", "joblessness fell"),
        "orphaned",
        "a whole word of five changed: similarity 79, below 80",
    ),
    Case(
        "white space inside the quote changed",
        EN.replace("fell to 5.2", "fell  to\n5.2"),
        EN,
        "edited",
        "the exact quote is gone, so it is not unchanged; its words are, so it scores 100",
    ),
    Case(
        "quote at the very end, its last word changed",
        plain(P1) + "\n\nThe minister said ⟦unemployment fell to 5.2 percent⟧",
        plain(P1) + "\n\nThe minister said ⟦unemployment fell to 5.2 per cent⟧",
        "edited",
    ),
    Case(
        "quote ending in an emoji that gains a skin tone",
        "The coach wrote ⟦we are proud of you 👍⟧ on Sunday.",
        "The coach wrote ⟦we are proud of you 👍🏽⟧ on Sunday.",
        "edited",
        "the quote's last character is now a different one (a longer grapheme cluster)",
    ),
    # --- orphaned ----------------------------------------------------------------------------
    Case("quote's paragraph deleted", EN, article(P1, P3, P4, P5), "orphaned"),
    Case(
        "quote's sentence deleted, the rest of its paragraph kept",
        EN,
        EN.replace(P2, "Opposition parties questioned the method used to count part-time workers."),
        "orphaned",
    ),
    Case(
        "sentence rewritten",
        EN,
        EN.replace(
            "The labour minister said ⟦unemployment fell to 5.2 percent in March⟧, the lowest "
            "level since 2008.",
            "Joblessness dropped in March to its lowest since 2008, according to the ministry.",
        ),
        "orphaned",
    ),
    Case(
        "a short quote's figure and verb changed",
        "Rents ⟦rose 7% in 2023⟧ in the capital.",
        "Rents fell 12% in 2021 in the capital.",
        "orphaned",
        "a third of its characters differ: it no longer scores as the same quote",
    ),
    Case(
        "a one-figure quote changed",
        "Rents rose ⟦7%⟧ in the capital.",
        "Rents rose 9% in the capital.",
        "orphaned",
        "one character of two: below the threshold, whatever the context says",
    ),
    Case(
        "quote's sentence deleted, a look-alike with one word different remains elsewhere",
        article(
            plain(P1),
            P2,
            plain(P3),
            "Last year the minister said unemployment fell to 5.2 percent in April.",
        ),
        article(
            plain(P1),
            plain(P3),
            "Last year the minister said unemployment fell to 5.2 percent in April.",
        ),
        "orphaned",
        "the look-alike is not where the diff maps the quote: never re-anchor to it",
    ),
    Case(
        "quote edited by one word while a look-alike elsewhere scores the same",
        article(
            plain(P1),
            P2,
            plain(P3),
            "Last year the minister said unemployment fell to 5.2 percent in April.",
        ),
        article(
            plain(P1),
            P2_PLAIN.replace("in March", "in May"),
            plain(P3),
            "Last year the minister said unemployment fell to 5.2 percent in April.",
        ),
        "orphaned",
        "two candidates score alike: not guessing",
    ),
    Case(
        "quote edited into a copy of another sentence of the article",
        article(
            "Analysts said ⟦taxes would fall by 2 percent⟧ next year.",
            plain(P3),
            "Critics replied that taxes would rise by 2 percent instead.",
        ),
        article(
            "Analysts said taxes would rise by 2 percent next year.",
            plain(P3),
            "Critics replied that taxes would rise by 2 percent instead.",
        ),
        "orphaned",
    ),
    Case(
        "the quoted phrase remains only in another context",
        article(
            "Officials said prices rose sharply in January.",
            "In February, officials said ⟦prices rose sharply⟧ again, citing fuel.",
        ),
        article(
            "Officials said prices rose sharply in January.",
            "In February, officials gave no figures.",
        ),
        "orphaned",
        "the exact words exist elsewhere, but neither the prefix nor the suffix is theirs",
    ),
    Case(
        "quote's paragraph moved and duplicated: two places match exactly",
        article(
            "Officials said prices rose sharply in January.",
            "In February, officials said ⟦prices rose sharply⟧ again, citing fuel.",
            plain(P3),
            plain(P4),
            plain(P5),
        ),
        article(
            "Officials said prices rose sharply in January.",
            plain(P3),
            plain(P4),
            "In February, officials said prices rose sharply again, citing fuel.",
            plain(P5),
            "In February, officials said prices rose sharply again, citing fuel.",
        ),
        "orphaned",
        "both copies keep the same context: which one the claim was on cannot be told",
    ),
    Case(
        "quote moved and edited",
        EN,
        article(P1, P3, P4, P5, P2_PLAIN.replace("5.2 percent", "5.4 percent")),
        "orphaned",
        "a change of place and of words at once is a guess: the editor re-attaches it",
    ),
    Case("whole text replaced", EN, "The page you requested is no longer available.", "orphaned"),
    # --- French, Russian, Chinese ----------------------------------------------------------------
    Case(
        "French: accent fixed in the context",
        FR.replace("présenté", "presenté"),
        FR,
        "unchanged",
    ),
    Case(
        "French: figure corrected inside the quote",
        FR,
        FR.replace("4,4 %", "4,6 %"),
        "edited",
    ),
    Case(
        "French: quote's sentence deleted",
        FR,
        FR.replace(
            "Selon le ministre, ⟦le déficit public atteindra 4,4 % du PIB l'an prochain⟧, contre "
            "5 % cette année. ",
            "",
        ),
        "orphaned",
    ),
    Case(
        "Russian: paragraph inserted before",
        RU,
        RU.replace(
            "\n\nПо словам", "\n\nОбновлено 4 апреля: добавлен комментарий экспертов.\n\nПо словам"
        ),
        "unchanged",
    ),
    Case(
        "Russian: word changed inside the quote",
        RU,
        RU.replace("в этом году", "в текущем году"),
        "edited",
    ),
    Case(
        "Russian: quote's paragraph deleted",
        RU,
        article(
            "Москва, 3 апреля. Министерство экономики опубликовало новый прогноз.",
            "Центральный банк представит свой доклад в конце месяца.",
        ),
        "orphaned",
    ),
    Case(
        "Chinese: paragraph inserted before",
        ZH,
        ZH.replace("\n\n报告显示", "\n\n更新：本文补充了分析人士的观点。\n\n报告显示"),
        "unchanged",
    ),
    Case(
        "Chinese: one character corrected inside the quote",
        ZH,
        ZH.replace("五点三", "五点二"),
        "edited",
    ),
]
