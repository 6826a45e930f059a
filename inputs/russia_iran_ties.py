"""The sample workbook, declared as data: what `inputs/russia_iran_ties.xlsx` holds.

Every row is drawn from one news article of August 2022 (`../shared/seed/`), its one source;
the people and bodies the article quotes are recorded as attributions, and its hedges ("say
Iranian businessmen", "appears to") are kept wherever its words are printed. The key
judgements are the desk's own, in ICD 203's words of likelihood, resting on the article.

The workbook is written through `init`'s blank workbook, so it carries the same dropdowns,
input messages and Instructions sheet as a workbook an analyst starts from. After a change to
the contract or to this content, write it again:

    python -m inputs.russia_iran_ties
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from pipeline.workbook.blank import filled

WORKBOOK = Path(__file__).with_suffix(".xlsx")

CONTENT = {
    "Briefing": {
        "title": "Russia and Iran: Tighter Ties Than Ever",
        "subtitle": "Diplomacy, trade, wheat, energy, sanctions, drones and space, as reported in August 2022",
        "as_of": dt.datetime(2022, 8, 31),
        "edition": "1",
        "prepared_by": "Russia–Iran Desk",
        "marking": "TLP:CLEAR",
        "summary": (
            "Shut out by Western sanctions and pushed together by the war in Ukraine, Russia and Iran are cooperating "
            "more closely than ever, but the substance lies in a few fields: wheat, drones and ways around sanctions. "
            "Overall trade remains small: $4 billion in 2021 by Russia’s count, while Beijing’s customs figures put "
            "China’s non-oil trade with Iran at $14.8 billion, though the two counts cover different things. The military side matters most to Washington: Iran’s forces hosted "
            "drone drills with Russia’s in August, and the U.S. says Moscow is preparing to receive Iranian drones for "
            "use in Ukraine, which Tehran denies."
        ),
        "scope_note": (
            "Drawn from a single open-source news article (The Portal Center, August 2022). Figures, events and "
            "statements are as reported in that article and have not been independently verified; the key "
            "judgements and assessments are the desk’s own."
        ),
    },
    "Sections": [
        {"section_id": "diplomacy", "order": 1, "heading": "Diplomacy and strategic alignment", "source_id": "S1", "locator": "para. 3 and para. 5",
         "intro": "The Ukraine war has accelerated efforts to bring Russia and Iran together: the two share an opposition to a U.S.-led world order and both suffer from tough U.S. sanctions. Raisi travelled to Moscow in January and Putin visited Tehran in July."},
        {"section_id": "trade", "order": 2, "heading": "Trade and economy", "source_id": "S1", "locator": "para. 6, para. 7 and para. 13",
         "intro": "Bilateral trade is growing, but some observers say the relationship still has a long way to go, and both countries need trade partners badly even if they are limited in their ability to help each other."},
        {"section_id": "wheat", "order": 3, "heading": "Wheat and food", "source_id": "S1", "locator": "para. 2 and para. 14",
         "intro": "In July Iran became the world’s largest buyer of Russian wheat, and Moscow appears to have given Iran preference for agricultural exports amid fears of food shortages."},
        {"section_id": "energy", "order": 4, "heading": "Energy", "source_id": "S1", "locator": "para. 7 and para. 12",
         "intro": "Iran’s state-run National Iranian Oil Co. has signed a deal with Gazprom to invest in Iran’s natural-gas industry, while China is a major consumer of Russian oil shunned in much of the Western world."},
        {"section_id": "sanctions", "order": 5, "heading": "Sanctions evasion and finance", "source_id": "S1", "locator": "para. 9, para. 14 and para. 15",
         "intro": "Russians have been flocking to Iran, often to discuss ways to circumvent sanctions, Iranian businessmen say. Iran offers Russia expertise in avoiding Western sanctions, and both have struggled to find banks for their commodities transactions, according to trade experts."},
        {"section_id": "drones", "order": 6, "heading": "Drones and military cooperation", "source_id": "S1", "locator": "para. 2, para. 18 and para. 21",
         "intro": "Iran’s Revolutionary Guards hosted drone drills with the Russian army at Kashan in August, as the U.S. warns that Moscow is preparing to receive Iranian drones for use in Ukraine; Tehran denies plans to assist Russia’s war."},
        {"section_id": "space", "order": 7, "heading": "Space", "source_id": "S1", "locator": "para. 2 and para. 22",
         "intro": "On 9 August Russia launched an Iranian satellite from a facility it controls in Kazakhstan, a rare success for Tehran’s space program."},
    ],
    "Sources": [
        {"source_id": "S1", "publisher": "The Portal Center", "title": "Iran and Russia are forging tighter ties than ever", "published": "2022-08", "source_type": "news"},
    ],
    "Figures": [
        {"figure_id": "F01", "section_id": "trade", "indicator": "Russia–Iran bilateral trade, growth", "value": 10, "unit": "%", "period": "2022 YTD", "source_id": "S1", "locator": "para. 6", "key": "Y", "note": "“up 10% ... this year”"},
        {"figure_id": "F02", "section_id": "trade", "indicator": "Russia–Iran bilateral trade", "value": 4, "unit": "USD bn", "period": "2021", "source_id": "S1", "attribution": "according to Russia", "locator": "para. 6", "key": "Y", "note": "80% rise on 2020"},
        {"figure_id": "F03", "section_id": "trade", "indicator": "Russia–Iran bilateral trade, growth", "value": 80, "unit": "%", "period": "2021", "source_id": "S1", "attribution": "according to Russia", "locator": "para. 6", "note": "trade “surged 80% higher” to $4 billion"},
        {"figure_id": "F04", "section_id": "trade", "indicator": "China–Iran non-oil trade (goods and services)", "value": 14.8, "unit": "USD bn", "period": "2021", "source_id": "S1", "attribution": "according to Beijing’s customs statistics", "locator": "para. 7", "key": "Y", "note": "“last year”"},
        {"figure_id": "F05", "section_id": "trade", "indicator": "China–Iran trade agreement, total value", "value": 400, "unit": "USD bn", "period": "25-year agreement", "source_id": "S1", "locator": "para. 7", "note": "25-year trade agreement"},
        {"figure_id": "F06", "section_id": "energy", "indicator": "NIOC–Gazprom deal: investment in Iran’s natural-gas industry", "value": 40, "unit": "USD bn", "period": "reported Aug 2022", "source_id": "S1", "locator": "para. 12", "key": "Y", "note": "deal signed by National Iranian Oil Co. and Gazprom PJSC"},
        {"figure_id": "F07", "section_id": "trade", "indicator": "Russia real GDP growth", "value": -6, "unit": "%", "period": "2022 forecast", "source_id": "S1", "attribution": "according to the IMF", "locator": "para. 13", "key": "Y", "note": "6% contraction"},
        {"figure_id": "F08", "section_id": "trade", "indicator": "Iran real GDP growth", "value": 3, "unit": "%", "period": "2022 forecast", "source_id": "S1", "attribution": "according to the IMF", "locator": "para. 13", "key": "Y"},
        {"figure_id": "F09", "section_id": "trade", "indicator": "Iran inflation", "value": 50, "unit": "%", "period": "2022", "source_id": "S1", "locator": "para. 13", "note": "“struggling with 50% inflation”"},
        {"figure_id": "F10", "section_id": "trade", "indicator": "Russian customers of a Tehran grand bazaar carpet seller, change", "value": 2, "unit": "multiple", "period": "Aug 2022 vs Feb 2022", "source_id": "S1", "attribution": "according to Hossein, a carpet seller at Tehran’s grand bazaar", "locator": "para. 10", "note": "number has doubled since February"},
        {"figure_id": "F11", "section_id": "trade", "indicator": "Russians’ share of a Tehran grand bazaar carpet seller’s customer base", "value": 50, "unit": "%", "period": "2022-08", "source_id": "S1", "attribution": "according to Hossein, a carpet seller at Tehran’s grand bazaar", "locator": "para. 10", "note": "“now make up half its customer base”"},
    ],
    "Statements": [
        # The desk's key judgements, first: each says how likely in ICD 203's words.
        {"statement_id": "KJ1", "section_id": "diplomacy", "kind": "assessment", "likelihood": "very likely", "confidence": "moderate", "key": "Y", "source_id": "S1", "locator": "para. 1", "date": "2022-08",
         "text": "Russia and Iran will very likely keep drawing closer while both remain isolated by Western sanctions: their isolation is driving them toward more trade and military cooperation."},
        {"statement_id": "KJ2", "section_id": "drones", "kind": "assessment", "likelihood": "likely", "confidence": "low", "key": "Y", "source_id": "S1", "locator": "para. 2, para. 19 and para. 21", "date": "2022-08",
         "text": "Russia will probably receive Iranian drones for use in Ukraine, as the U.S. warns, whatever Tehran says of its plans."},
        {"statement_id": "KJ3", "section_id": "wheat", "kind": "assessment", "likelihood": "likely", "confidence": "moderate", "key": "Y", "source_id": "S1", "locator": "para. 2, para. 14 and para. 16", "date": "2022-08",
         "text": "Iran will likely remain the largest buyer of Russian wheat this year: few other suppliers take the risk of trading with it, and Moscow appears to favour it."},
        {"statement_id": "KJ4", "section_id": "trade", "kind": "assessment", "likelihood": "unlikely", "confidence": "moderate", "key": "Y", "source_id": "S1", "locator": "para. 6 and para. 13", "date": "2022-08",
         "text": "Trade between Russia and Iran is unlikely to grow into a broad economic partnership within the next year: it came to $4 billion in 2021 by Russia’s count, both economies are under strain, and each is limited in what it can offer the other."},
        {"statement_id": "ST01", "section_id": "diplomacy", "text": "Iran and Russia are forging tighter ties than ever, as their international isolation drives the two staunch American foes toward more trade and military cooperation, alarming Washington.", "kind": "fact", "date": "2022-08", "source_id": "S1", "locator": "para. 1", "key": "Y"},
        {"statement_id": "ST02", "section_id": "diplomacy", "text": "The Ukraine war has accelerated efforts to bring together Russia and Iran, which have often talked of closer ties but with few results.", "kind": "fact", "date": "2022", "source_id": "S1", "locator": "para. 3", "key": "Y"},
        {"statement_id": "ST03", "section_id": "diplomacy", "text": "Russia and Iran share an opposition to a U.S.-led world order and both suffer from tough U.S. sanctions.", "kind": "fact", "source_id": "S1", "locator": "para. 3"},
        {"statement_id": "ST04", "section_id": "diplomacy", "text": "Until 2022, Russia–Iran relations had been weighed down by opposing agendas in Syria, by Iran’s historic suspicion of foreign interference and by Russia’s historical role as the dominant power in Central Asia and the Caucasus.", "kind": "fact", "source_id": "S1", "locator": "para. 3"},
        {"statement_id": "ST05", "section_id": "diplomacy", "text": "A closer Russia–Iran alliance would help both countries mitigate the impact of Western sanctions by finding new markets for their products and boosting military cooperation that could help Moscow’s war in Ukraine and Tehran’s regional activities in the Middle East.", "kind": "fact", "source_id": "S1", "locator": "para. 4"},
        {"statement_id": "ST06", "section_id": "diplomacy", "text": "profound threat", "kind": "quote", "attributed_to": "Jake Sullivan, U.S. national security adviser, on the burgeoning Russia–Iran ties", "source_id": "S1", "locator": "para. 4", "key": "Y"},
        {"statement_id": "ST07", "section_id": "diplomacy", "text": "Washington and Tehran appear on the cusp of clinching a revived nuclear deal.", "kind": "fact", "date": "2022-08", "source_id": "S1", "locator": "para. 8"},
        {"statement_id": "ST08", "section_id": "trade", "text": "Apart from food and military cooperation, the Russia–Iran relationship still has a long way to go.", "kind": "claim", "attributed_to": "some observers", "source_id": "S1", "locator": "para. 7"},
        {"statement_id": "ST09", "section_id": "trade", "text": "A revived nuclear deal could spark more Russian investment in Iran.", "kind": "claim", "attributed_to": "Esfandyar Batmanghelidj, Bourse & Bazaar Foundation", "source_id": "S1", "locator": "para. 8"},
        {"statement_id": "ST10", "section_id": "trade", "text": "Russian is often heard in Tehran’s shops and hotels, as Iran remains open to Russian travelers who have been cut off from much of the West.", "kind": "fact", "date": "2022-08", "source_id": "S1", "locator": "para. 9"},
        {"statement_id": "ST11", "section_id": "trade", "text": "In the lobby of a luxury hotel in Tehran, the only Europeans were Russians who brought their laptops for a business meeting with Iranians in black suits.", "kind": "fact", "date": "2022-08", "source_id": "S1", "locator": "para. 10"},
        {"statement_id": "ST12", "section_id": "trade", "text": "Deals on the table include Iran selling clothing to Russian buyers to replace Western brands and automotive spare parts to embattled Russian car makers.", "kind": "fact", "source_id": "S1", "locator": "para. 11"},
        {"statement_id": "ST13", "section_id": "trade", "text": "Discussions have been held of an export corridor running from Russia to India through Iran.", "kind": "fact", "source_id": "S1", "locator": "para. 11"},
        {"statement_id": "ST14", "section_id": "trade", "text": "Both Russia and Iran need trade partners badly, even if they are limited in their ability to help each other.", "kind": "fact", "source_id": "S1", "locator": "para. 13"},
        {"statement_id": "ST15", "section_id": "trade", "text": "Iran’s currency hit a record low against the U.S. dollar.", "kind": "fact", "date": "2022", "source_id": "S1", "locator": "para. 13"},
        {"statement_id": "ST16", "section_id": "wheat", "text": "Moscow appears to have given Iran preference for agricultural exports amid fears of food shortages.", "kind": "fact", "source_id": "S1", "locator": "para. 14"},
        {"statement_id": "ST17", "section_id": "wheat", "text": "Russia–Iran blossoming trade is a marriage of convenience at a time when European traders shun new contracts in Russian grain and other commodities.", "kind": "fact", "source_id": "S1", "locator": "para. 15"},
        {"statement_id": "ST18", "section_id": "wheat", "text": "Iran can only buy wheat from a limited number of sources.", "kind": "quote", "attributed_to": "Masha Belikova, grains analyst, Fastmarkets", "source_id": "S1", "locator": "para. 16"},
        {"statement_id": "ST19", "section_id": "wheat", "text": "When the war started, Russia was targeted by sanctions and faced payments issues. Iran was one of the few countries ready to accept [such political risk].", "kind": "quote", "attributed_to": "Masha Belikova, grains analyst, Fastmarkets", "source_id": "S1", "locator": "para. 16"},
        {"statement_id": "ST20", "section_id": "energy", "text": "China is also a major consumer of Russian oil that is being shunned in much of the Western world.", "kind": "fact", "source_id": "S1", "locator": "para. 7"},
        {"statement_id": "ST21", "section_id": "sanctions", "text": "Russians have been flocking to the Islamic Republic in recent months, often to discuss ways to circumvent sanctions.", "kind": "claim", "attributed_to": "Iranian businessmen", "date": "2022", "source_id": "S1", "locator": "para. 9"},
        {"statement_id": "ST22", "section_id": "sanctions", "text": "Discussions have been held to set up a banking system totally insulated from U.S. sanctions.", "kind": "fact", "source_id": "S1", "locator": "para. 11"},
        {"statement_id": "ST23", "section_id": "sanctions", "text": "Iran offers Russia expertise in avoiding Western sanctions.", "kind": "fact", "source_id": "S1", "locator": "para. 14"},
        {"statement_id": "ST24", "section_id": "sanctions", "text": "Iran and Russia have both struggled to find banks to handle their commodities transactions.", "kind": "claim", "attributed_to": "trade experts", "source_id": "S1", "locator": "para. 15"},
        {"statement_id": "ST25", "section_id": "drones", "text": "Moscow is preparing to receive Iranian drones for use in the war in Ukraine.", "kind": "claim", "attributed_to": "the U.S.", "date": "2022-08", "source_id": "S1", "locator": "para. 2", "key": "Y"},
        {"statement_id": "ST26", "section_id": "drones", "text": "The increased military cooperation between Iran and Russia has alarmed U.S. officials.", "kind": "fact", "source_id": "S1", "locator": "para. 17"},
        {"statement_id": "ST27", "section_id": "drones", "text": "Iranian state television showed IRGC members flying Russian flags as they led a parade of Moscow’s soldiers.", "kind": "fact", "date": "2022-08", "source_id": "S1", "locator": "para. 18"},
        {"statement_id": "ST28", "section_id": "drones", "text": "Iran is training Russian soldiers to potentially use its attack drones in Ukraine.", "kind": "claim", "attributed_to": "the White House", "source_id": "S1", "locator": "para. 19", "key": "Y"},
        {"statement_id": "ST29", "section_id": "drones", "text": "Drone technologies designed by Tehran have emerged as a key instrument of asymmetrical attacks carried by the Islamic Republic against Saudi oil fields and by allies in the Gaza Strip, Iraq and Yemen.", "kind": "fact", "source_id": "S1", "locator": "para. 20"},
        {"statement_id": "ST30", "section_id": "drones", "text": "Iran has no plans to assist Russia’s war in Ukraine.", "kind": "claim", "attributed_to": "Tehran", "source_id": "S1", "locator": "para. 21"},
        {"statement_id": "ST31", "section_id": "drones", "text": "The drone drills with Russia were aimed at fighting global terrorism.", "kind": "claim", "attributed_to": "Brig. Gen. Ali Balali, IRGC air force", "date": "2022-08", "source_id": "S1", "locator": "para. 21"},
        {"statement_id": "ST32", "section_id": "drones", "text": "The military UAV competition also involves Russian allies Armenia and Belarus and is normally hosted in the former Soviet Union rather than Iran.", "kind": "fact", "source_id": "S1", "locator": "para. 21"},
        {"statement_id": "ST33", "section_id": "space", "text": "Russia’s launch of an Iranian satellite into space was a rare success for Tehran’s space program.", "kind": "fact", "date": "2022-08", "source_id": "S1", "locator": "para. 2"},
        {"statement_id": "ST34", "section_id": "space", "text": "The satellite will help bolster “management and planning capacities” in agriculture, water resources, disaster management or border monitoring.", "kind": "claim", "attributed_to": "Iran", "source_id": "S1", "locator": "para. 22"},
        {"statement_id": "ST35", "section_id": "space", "text": "The satellite could be used by Tehran to help monitor Ukrainian troop movements.", "kind": "claim", "attributed_to": "the U.S.", "source_id": "S1", "locator": "para. 23", "key": "Y"},
    ],
    "Events": [
        {"event_id": "E01", "date": "2015", "section_id": "drones", "event": "The military UAV competition is first launched; it is normally hosted in the former Soviet Union.", "source_id": "S1", "locator": "para. 21"},
        {"event_id": "E02", "date": "2022-01", "section_id": "diplomacy", "event": "Iranian President Ebrahim Raisi travels to Moscow; the two countries pledge more economic and military cooperation.", "source_id": "S1", "locator": "para. 5"},
        {"event_id": "E03", "date": "2022-02-24", "section_id": "diplomacy", "event": "Russian President Vladimir Putin orders the invasion of Ukraine.", "source_id": "S1", "locator": "para. 5"},
        {"event_id": "E04", "date": "2022-06", "section_id": "drones", "event": "Iran hosts a Russian delegation in Kashan to showcase its attack drones, the White House alleges.", "source_id": "S1", "locator": "para. 19"},
        {"event_id": "E05", "date": "2022-07", "section_id": "wheat", "event": "Iran becomes the world’s largest buyer of Russian wheat.", "source_id": "S1", "locator": "para. 2"},
        {"event_id": "E06", "date": "2022-07", "section_id": "diplomacy", "event": "Putin visits Tehran, his second foreign trip since he ordered the invasion of Ukraine.", "source_id": "S1", "locator": "para. 5"},
        # One event, which the article reports twice: as joint drone exercises (para. 2) and as
        # the UAV competition the IRGC hosts at Kashan (para. 18).
        {"event_id": "E07", "date": "2022-08", "section_id": "drones", "event": "Iran’s Revolutionary Guards host joint drone exercises with the Russian army, a competition of military UAVs, at their air base in Kashan, south of Tehran.", "source_id": "S1", "locator": "para. 2 and para. 18"},
        {"event_id": "E08", "date": "2022-08-09", "section_id": "space", "event": "Russia launches an Iranian satellite from a facility it controls in Kazakhstan.", "source_id": "S1", "locator": "para. 22"},
    ],
    "Charts": [
        {"chart_id": "C1", "section_id": "trade", "title": "Iran’s trade with Russia vs China, 2021 (USD bn)", "kind": "bar", "figures": "F02, F04",
         "caption": "Different reporters and coverage: Russia’s figure is all bilateral trade; Beijing’s is non-oil trade in goods and services."},
        {"chart_id": "C2", "section_id": "trade", "title": "IMF 2022 GDP forecasts: Russia vs Iran (%)", "kind": "bar", "figures": "F07, F08",
         "caption": "IMF forecasts for 2022: Russian GDP to contract 6%, Iran’s GDP to grow 3%."},
    ],
}


def main() -> None:
    filled(CONTENT).save(WORKBOOK)
    print(f"Wrote {WORKBOOK}.")


if __name__ == "__main__":
    main()
