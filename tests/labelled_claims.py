"""The labelled set of "checked before?": published claims over the seed article and test
articles in English, French and Russian, and texts that must find them (paraphrases,
reordered words, changed case and accents, a sentence that quotes them) or must not (a
changed number, a negation, another person or place).

Each published claim is (key, article key, quote in the article, restated claim). Each pair
is (text, key of the claim it must find first, or None when it must find none).
"""

from __future__ import annotations

from pathlib import Path

SEED = Path(__file__).resolve().parent.parent / "seeds" / "000_d157ccb9017dd866.txt"

ARTICLES = {
    "fr": (
        "fr",
        "Budget : ce que disent les chiffres",
        "Selon l'Insee, le chômage a baissé de 5 % en 2025 en France.\n"
        "Emmanuel Macron a augmenté le budget de la défense de 3 milliards d'euros.\n"
        "Le ministre affirme que le prix de l'électricité n'a pas augmenté depuis 2022.\n"
        "La dette publique française dépasse 3 000 milliards d'euros, rappelle la Cour des comptes.\n",
    ),
    "ru": (
        "ru",
        "Что говорят цифры",
        "По данным Росстата, безработица в России снизилась до 2,4 процента в 2025 году.\n"
        "Путин заявил, что инфляция в прошлом году составила 9 процентов.\n"
        "Ещё в 2020 году Москва потратила на метро 500 миллиардов рублей.\n"
        "Власти утверждают, что цены на хлеб не выросли за последний год.\n",
    ),
    "en": (
        "en",
        "Council approves budget",
        "The city council approved a budget of 4.2 million euros on Tuesday.\n"
        "The mayor said unemployment had fallen by half since 2020.\n"
        "Critics noted that the figures came from a report nobody has published.\n",
    ),
}

# key: (article, quote, restated claim). The seed article is "seed".
CLAIMS = {
    "contacts": (
        "seed",
        "Russia and France have resumed diplomatic contacts at a technical level",
        "Russia and France have resumed diplomatic contacts at a technical level",
    ),
    "no_talks": (
        "seed",
        "no talks between presidents are currently planned",
        "No talks between the Russian and French presidents are currently planned",
    ),
    "isolation": (
        "seed",
        "continued isolation would sideline Europe from shaping its own future",
        "Continued isolation of Russia would sideline Europe from shaping its own future",
    ),
    "budget": (
        "en",
        "The city council approved a budget of 4.2 million euros on Tuesday",
        "The city council approved a budget of 4.2 million euros",
    ),
    "unemployment": (
        "en",
        "unemployment had fallen by half since 2020",
        "Unemployment in the city has fallen by half since 2020",
    ),
    "chomage": (
        "fr",
        "le chômage a baissé de 5 % en 2025 en France",
        "Le chômage a baissé de 5 % en France en 2025",
    ),
    "defense": (
        "fr",
        "Emmanuel Macron a augmenté le budget de la défense de 3 milliards d'euros",
        "Emmanuel Macron a augmenté le budget de la défense de 3 milliards d'euros",
    ),
    "electricite": (
        "fr",
        "le prix de l'électricité n'a pas augmenté depuis 2022",
        "Le prix de l'électricité n'a pas augmenté depuis 2022",
    ),
    "dette": (
        "fr",
        "La dette publique française dépasse 3 000 milliards d'euros",
        "La dette publique française dépasse 3 000 milliards d'euros",
    ),
    "bezrabotica": (
        "ru",
        "безработица в России снизилась до 2,4 процента в 2025 году",
        "Безработица в России снизилась до 2,4 процента в 2025 году",
    ),
    "inflyaciya": (
        "ru",
        "Путин заявил, что инфляция в прошлом году составила 9 процентов",
        "Путин: инфляция в прошлом году составила 9 процентов",
    ),
    "metro": (
        "ru",
        "Ещё в 2020 году Москва потратила на метро 500 миллиардов рублей",
        "Ещё в 2020 году Москва потратила на метро 500 миллиардов рублей",
    ),
    "hleb": (
        "ru",
        "цены на хлеб не выросли за последний год",
        "Цены на хлеб не выросли за последний год",
    ),
}

MUST_MATCH = [
    # Paraphrases in other words, which a matcher of words misses (docs/search.md): kept in
    # the set so that the recall it reports is not flattered.
    ("Joblessness in the city has fallen by half since 2020", "unemployment"),
    ("Le nombre de chômeurs a reculé de 5 % en France en 2025", "chomage"),
    ("Russia and France restored technical-level diplomatic communications", "contacts"),
    ("Unemployment in the city has halved since 2020", "unemployment"),
    # English: case, order, paraphrase, a sentence quoting the claim.
    ("RUSSIA AND FRANCE HAVE RESUMED DIPLOMATIC CONTACTS AT A TECHNICAL LEVEL", "contacts"),
    ("At a technical level, Russia and France have resumed diplomatic contacts", "contacts"),
    ("Russia and France resumed diplomatic contacts at the technical level", "contacts"),
    (
        "The Kremlin confirmed Russia and France have resumed diplomatic contacts at a technical level.",
        "contacts",
    ),
    ("no talks between the russian and french presidents are currently planned", "no_talks"),
    ("Currently no talks are planned between the Russian and French presidents", "no_talks"),
    (
        "Peskov said no talks between the Russian and French presidents are planned currently.",
        "no_talks",
    ),
    ("Continued isolation of Russia would sideline Europe from shaping its future", "isolation"),
    (
        "Europe would be sidelined from shaping its own future by continued isolation of Russia",
        "isolation",
    ),
    ("The city council approved a 4.2 million euros budget", "budget"),
    ("THE CITY COUNCIL APPROVED A BUDGET OF 4.2 MILLION EUROS", "budget"),
    ("A budget of 4.2 million euros was approved by the city council", "budget"),
    ("Unemployment in the city has fallen by half since 2020", "unemployment"),
    ("Since 2020, unemployment in the city has fallen by half", "unemployment"),
    ("The mayor says unemployment in the city fell by half since 2020.", "unemployment"),
    # French: accents, case, order.
    ("Le chomage a baisse de 5 % en France en 2025", "chomage"),
    ("En 2025, le chômage a baissé de 5 % en France", "chomage"),
    ("LE CHÔMAGE A BAISSÉ DE 5 % EN FRANCE EN 2025", "chomage"),
    ("Selon l'Insee, en France le chômage a baissé de 5 % en 2025.", "chomage"),
    ("Emmanuel Macron a augmente le budget de la defense de 3 milliards d'euros", "defense"),
    (
        "Le budget de la défense a été augmenté de 3 milliards d'euros par Emmanuel Macron",
        "defense",
    ),
    ("emmanuel macron a augmenté de 3 milliards d'euros le budget de la défense", "defense"),
    ("Le prix de l'electricite n'a pas augmente depuis 2022", "electricite"),
    ("Depuis 2022, le prix de l'électricité n'a pas augmenté", "electricite"),
    ("La dette publique francaise depasse 3 000 milliards d'euros", "dette"),
    ("La dette publique française dépasse 3000 milliards d'euros", "dette"),
    ("Plus de 3 000 milliards d'euros : la dette publique française dépasse ce seuil", "dette"),
    # Russian: ё and е, case, order.
    ("безработица в россии снизилась до 2,4 процента в 2025 году", "bezrabotica"),
    ("В 2025 году безработица в России снизилась до 2,4 процента", "bezrabotica"),
    ("БЕЗРАБОТИЦА В РОССИИ СНИЗИЛАСЬ ДО 2,4 ПРОЦЕНТА В 2025 ГОДУ", "bezrabotica"),
    ("Путин: в прошлом году инфляция составила 9 процентов", "inflyaciya"),
    ("Инфляция в прошлом году составила 9 процентов, сказал Путин", "inflyaciya"),
    ("Еще в 2020 году Москва потратила на метро 500 миллиардов рублей", "metro"),
    ("Москва ещё в 2020 году потратила 500 миллиардов рублей на метро", "metro"),
    ("Цены на хлеб не выросли за последний год", "hleb"),
    ("За последний год цены на хлеб не выросли", "hleb"),
    ("цены на хлеб за последний год не выросли, утверждают власти", "hleb"),
]

MUST_NOT_MATCH = [
    # A changed number.
    ("The city council approved a budget of 5.2 million euros", "budget"),
    ("Unemployment in the city has fallen by half since 2019", "unemployment"),
    ("Le chômage a baissé de 7 % en France en 2025", "chomage"),
    ("Emmanuel Macron a augmenté le budget de la défense de 30 milliards d'euros", "defense"),
    ("La dette publique française dépasse 2 000 milliards d'euros", "dette"),
    ("Безработица в России снизилась до 3,4 процента в 2025 году", "bezrabotica"),
    ("Путин: инфляция в прошлом году составила 19 процентов", "inflyaciya"),
    ("Ещё в 2021 году Москва потратила на метро 500 миллиардов рублей", "metro"),
    # A negation added or taken away.
    ("Russia and France have not resumed diplomatic contacts at a technical level", "contacts"),
    ("Talks between the Russian and French presidents are currently planned", "no_talks"),
    (
        "Continued isolation of Russia would never sideline Europe from shaping its own future",
        "isolation",
    ),
    ("Le chômage n'a pas baissé de 5 % en France en 2025", "chomage"),
    ("Le prix de l'électricité a augmenté depuis 2022", "electricite"),
    ("Emmanuel Macron n'a pas augmenté le budget de la défense de 3 milliards d'euros", "defense"),
    ("Цены на хлеб выросли за последний год", "hleb"),
    ("Безработица в России не снизилась до 2,4 процента в 2025 году", "bezrabotica"),
    # Another person or place.
    ("Germany and France have resumed diplomatic contacts at a technical level", "contacts"),
    ("Marine Le Pen a augmenté le budget de la défense de 3 milliards d'euros", "defense"),
    ("Медведев: инфляция в прошлом году составила 9 процентов", "inflyaciya"),
    ("Ещё в 2020 году Петербург потратил на метро 500 миллиардов рублей", "metro"),
    ("Russia and Germany have resumed diplomatic contacts at a technical level", "contacts"),
    ("Безработица в Казахстане снизилась до 2,4 процента в 2025 году", "bezrabotica"),
    # Unrelated, and too little of a claim.
    ("The weather was sunny in Paris on Tuesday", None),
    ("unemployment", "unemployment"),
    ("Le budget", "defense"),
]
