// Hand-written UltraChat-style conversations, English and German, turn by turn (user first).
// The German side is a faithful translation except where `drift` says otherwise: those turns were
// damaged on purpose so the QA checks have something to find (see ../DRIFT.md).
import type { Conversation } from './types'

export const ultrachat: Conversation[] = [
  {
    en: [
      'How long should I boil an egg if I want the yolk to stay soft?',
      'For a soft, runny yolk, lower the egg into water that is already boiling and cook it for about 6 minutes. If you like the yolk jammy but not liquid, go for 7 minutes. Afterwards, put the egg into cold water for 1 minute so it stops cooking and is easier to peel.',
    ],
    de: [
      'Wie lange sollte ich ein Ei kochen, wenn das Eigelb weich bleiben soll?',
      'Für ein weiches, flüssiges Eigelb legen Sie das Ei in bereits kochendes Wasser und kochen es etwa 6 Minuten. Wenn Sie das Eigelb cremig, aber nicht flüssig mögen, nehmen Sie 7 Minuten. Legen Sie das Ei danach für 1 Minute in kaltes Wasser, damit es nicht weitergart und sich leichter schälen lässt.',
    ],
  },
  {
    en: [
      'I have three days in Lisbon. What should I not miss?',
      'Three days are enough to get a good feel for the city. Here is a simple plan:\n\n1. Day one: walk through Alfama, ride tram 28 and watch the sunset from a viewpoint.\n2. Day two: visit Belém, the Jerónimos Monastery and try a custard tart.\n3. Day three: take the train to Sintra, which is about 40 minutes away.\n\nWear comfortable shoes, because the streets are steep and paved with smooth stones.',
    ],
    de: [
      'Ich habe drei Tage in Lissabon. Was sollte ich auf keinen Fall verpassen?',
      'Drei Tage reichen aus, um ein gutes Gefühl für die Stadt zu bekommen. Hier ist ein einfacher Plan:\n\n1. Tag eins: Spazieren Sie durch die Alfama, fahren Sie mit der Straßenbahn 28 und sehen Sie sich den Sonnenuntergang von einem Aussichtspunkt an.\n2. Tag zwei: Besuchen Sie Belém und das Hieronymuskloster und probieren Sie ein Puddingtörtchen.\n3. Tag drei: Fahren Sie mit dem Zug nach Sintra, das etwa 40 Minuten entfernt liegt.\n\nTragen Sie bequeme Schuhe, denn die Straßen sind steil und mit glatten Steinen gepflastert.',
    ],
  },
  {
    en: [
      'How do I read a CSV file in Python?',
      'The standard library already has everything you need. The `csv` module reads each line into a dictionary when you use `DictReader`:\n\n```python\nimport csv\n\nwith open("sales.csv", newline="", encoding="utf-8") as f:\n    for row in csv.DictReader(f):\n        print(row["region"], row["amount"])\n```\n\nIf the file is large or you want to do calculations, `pandas.read_csv("sales.csv")` is often more convenient.',
    ],
    de: [
      'Wie lese ich eine CSV-Datei in Python ein?',
      'Die Standardbibliothek bringt bereits alles mit, was Sie brauchen. Das Modul `csv` liest jede Zeile in ein Dictionary ein, wenn Sie `DictReader` verwenden:\n\n```python\nimport csv\n\nwith open("sales.csv", newline="", encoding="utf-8") as f:\n    for row in csv.DictReader(f):\n        print(row["region"], row["amount"])\n```\n\nWenn die Datei groß ist oder Sie Berechnungen durchführen möchten, ist `pandas.read_csv("sales.csv")` oft bequemer.',
    ],
  },
  {
    en: [
      'Why did the Hanseatic League lose its power?',
      'Several developments weakened the League at the same time. Strong territorial states such as Sweden, Denmark and the Grand Duchy of Moscow no longer accepted its trading privileges. Trade routes shifted towards the Atlantic after the discoveries of the late 15th century. Dutch and English merchants built larger fleets and offered cheaper transport. Finally, the member cities often pursued their own interests, so the League rarely acted as one.',
    ],
    de: [
      'Warum hat die Hanse ihre Macht verloren?',
      // Drift (omitted-sentence): the sentence about Dutch and English merchants is missing.
      'Mehrere Entwicklungen schwächten die Hanse gleichzeitig. Starke Territorialstaaten wie Schweden, Dänemark und das Großfürstentum Moskau erkannten ihre Handelsprivilegien nicht mehr an. Nach den Entdeckungen des späten 15. Jahrhunderts verlagerten sich die Handelswege in Richtung Atlantik. Schließlich verfolgten die Mitgliedsstädte oft ihre eigenen Interessen, sodass die Hanse selten geschlossen handelte.',
    ],
    drift: [{ turn: 1, kind: 'omitted-sentence', note: 'the sentence about Dutch and English merchants is missing' }],
  },
  {
    en: [
      'What is 15% of 240, and how can I work it out in my head?',
      '15% of 240 is 36. A quick way: 10% of 240 is 24, and 5% is half of that, which is 12. Add them together: 24 + 12 = 36.',
    ],
    de: [
      'Wie viel sind 15 % von 240, und wie kann ich das im Kopf ausrechnen?',
      '15 % von 240 sind 36. Ein schneller Weg: 10 % von 240 sind 24, und 5 % sind die Hälfte davon, also 12. Addieren Sie beides: 24 + 12 = 36.',
    ],
  },
  {
    en: [
      'At what temperature should I bake sourdough bread?',
      'Preheat the oven with a Dutch oven inside to 250 °C. Bake the loaf with the lid on for 20 minutes, then lower the heat to 230 °C and bake it without the lid for another 20 to 25 minutes, until the crust is deep brown. The inside should reach about 96 °C.',
    ],
    de: [
      'Bei welcher Temperatur sollte ich Sauerteigbrot backen?',
      // Drift (changed-number): 250 °C became 220 °C.
      'Heizen Sie den Backofen mit einem gusseisernen Topf darin auf 220 °C vor. Backen Sie den Laib 20 Minuten mit Deckel, senken Sie dann die Temperatur auf 230 °C und backen Sie ihn ohne Deckel weitere 20 bis 25 Minuten, bis die Kruste tiefbraun ist. Innen sollte das Brot etwa 96 °C erreichen.',
    ],
    drift: [{ turn: 1, kind: 'changed-number', note: '250 °C became 220 °C' }],
  },
  {
    en: [
      'When can I plant tomatoes outside?',
      'Tomatoes need warmth, so wait until there is no longer any risk of frost. In most of Central Europe that is around mid-May. The soil should be at least 12 °C.',
      'What if a cold night comes after I have planted them?',
      'Cover the plants with garden fleece or an upturned bucket for the night and remove the cover in the morning. Young plants survive a short cool night at around 5 °C, but frost will kill them.',
    ],
    de: [
      'Wann kann ich Tomaten ins Freie pflanzen?',
      'Tomaten brauchen Wärme, warten Sie also, bis keine Frostgefahr mehr besteht. In weiten Teilen Mitteleuropas ist das etwa Mitte Mai der Fall. Der Boden sollte mindestens 12 °C warm sein.',
      'Was ist, wenn nach dem Pflanzen noch eine kalte Nacht kommt?',
      'Decken Sie die Pflanzen über Nacht mit Gartenvlies oder einem umgedrehten Eimer ab und nehmen Sie die Abdeckung am Morgen wieder ab. Junge Pflanzen überstehen eine kurze kühle Nacht mit etwa 5 °C, Frost jedoch nicht.',
    ],
  },
  {
    en: [
      'How much water should an adult drink per day?',
      'A common guideline is about 1.5 to 2 litres of fluid a day for a healthy adult. You need more when it is hot, when you exercise or when you have a fever. Pale yellow urine is a simple sign that you are drinking enough.',
    ],
    de: [
      'Wie viel Wasser sollte ein Erwachsener pro Tag trinken?',
      'Als gängige Richtlinie gelten für gesunde Erwachsene etwa 1,5 bis 2 Liter Flüssigkeit pro Tag. Mehr brauchen Sie, wenn es heiß ist, wenn Sie Sport treiben oder wenn Sie Fieber haben. Hellgelber Urin ist ein einfaches Zeichen dafür, dass Sie genug trinken.',
    ],
  },
  {
    en: [
      'What is the difference between let and const in JavaScript?',
      'Both declare block-scoped variables. A variable declared with `const` cannot be reassigned, while one declared with `let` can. Note that `const` does not make objects immutable: you can still change the properties of a `const` object.',
      'And what about var?',
      '`var` is the older way to declare variables. It is scoped to the whole function instead of the block, and its declaration is hoisted to the top. This often leads to surprising bugs, so most style guides recommend `let` and `const` instead.',
    ],
    de: [
      'Was ist der Unterschied zwischen let und const in JavaScript?',
      'Beide deklarieren Variablen mit Blockgültigkeit. Einer mit `const` deklarierten Variable kann kein neuer Wert zugewiesen werden, einer mit `let` deklarierten schon. Beachten Sie, dass `const` Objekte nicht unveränderlich macht: Die Eigenschaften eines `const`-Objekts können Sie weiterhin ändern.',
      'Und was ist mit var?',
      // Drift (untranslated): the middle sentence was left in English.
      '`var` ist die ältere Art, Variablen zu deklarieren. It is scoped to the whole function instead of the block, and its declaration is hoisted to the top. Das führt oft zu überraschenden Fehlern, deshalb empfehlen die meisten Styleguides stattdessen `let` und `const`.',
    ],
    drift: [{ turn: 3, kind: 'untranslated', note: 'the second sentence is still English' }],
  },
  {
    en: [
      'Can you explain compound interest with an example?',
      'With compound interest you earn interest on your interest. Suppose you invest 1,000 euros at 5% per year. After one year you have 1,050 euros. In the second year you earn 5% on 1,050 euros, so you end up with 1,102.50 euros. After 10 years the amount grows to about 1,628.89 euros, while simple interest would give only 1,500 euros.',
    ],
    de: [
      'Können Sie den Zinseszins an einem Beispiel erklären?',
      'Beim Zinseszins erhalten Sie Zinsen auf Ihre Zinsen. Angenommen, Sie legen 1.000 Euro zu 5 % pro Jahr an. Nach einem Jahr haben Sie 1.050 Euro. Im zweiten Jahr erhalten Sie 5 % auf 1.050 Euro und kommen so auf 1.102,50 Euro. Nach 10 Jahren wächst der Betrag auf etwa 1.628,89 Euro, während einfache Zinsen nur 1.500 Euro ergeben würden.',
    ],
  },
  {
    en: [
      'Why is the sky blue?',
      'Sunlight contains all colours. When it passes through the atmosphere, it is scattered by the molecules of the air, and short wavelengths are scattered much more strongly than long ones. Blue light is therefore spread across the whole sky. At sunset the light travels a longer way through the air, so more of the blue is scattered away and the sky turns red and orange.',
    ],
    de: [
      'Warum ist der Himmel blau?',
      'Sonnenlicht enthält alle Farben. Auf seinem Weg durch die Atmosphäre wird es an den Molekülen der Luft gestreut, und kurze Wellenlängen werden viel stärker gestreut als lange. Blaues Licht verteilt sich deshalb über den ganzen Himmel. Bei Sonnenuntergang legt das Licht einen längeren Weg durch die Luft zurück, sodass mehr Blau herausgestreut wird und sich der Himmel rot und orange färbt.',
    ],
  },
  {
    en: [
      'Do you have tips for learning German vocabulary?',
      'Here are some methods that work well for many learners:\n\n- Always learn nouns together with their article, for example "der Tisch".\n- Use flashcards with spaced repetition, about 15 minutes a day.\n- Group words by topic, such as kitchen, weather or work.\n- Write short sentences with every new word.\n\nConsistency matters more than the length of each session.',
    ],
    de: [
      'Haben Sie Tipps, wie man deutsche Vokabeln lernt?',
      // Drift (truncated): the answer stops in the middle of the third list item.
      'Hier sind einige Methoden, die bei vielen Lernenden gut funktionieren:\n\n- Lernen Sie Substantive immer zusammen mit ihrem Artikel, zum Beispiel „der Tisch“.\n- Nutzen Sie Karteikarten mit verteilter Wiederholung, etwa 15 Minuten am Tag.\n- Ordnen Sie Wörter nach',
    ],
    drift: [{ turn: 1, kind: 'truncated', note: 'stops in the middle of the third list item; the last item and the closing sentence are missing' }],
  },
  {
    en: [
      'Can you make me a running plan for a complete beginner?',
      'Here is a gentle four-week plan with three sessions per week:\n\n1. Week 1: alternate 1 minute of running with 2 minutes of walking, 8 times.\n2. Week 2: run 2 minutes, walk 2 minutes, 6 times.\n3. Week 3: run 4 minutes, walk 1 minute, 5 times.\n4. Week 4: run 10 minutes, walk 2 minutes, 3 times.\n\nTake at least one rest day between sessions.',
      'What should I do if my knees hurt?',
      'Slow down and run on softer ground such as forest paths. Check that your shoes are not worn out; many running shoes last about 600 to 800 kilometres. If the pain lasts longer than a few days, see a doctor before you continue.',
    ],
    de: [
      'Können Sie mir einen Laufplan für absolute Anfänger erstellen?',
      'Hier ist ein sanfter Vier-Wochen-Plan mit drei Einheiten pro Woche:\n\n1. Woche 1: 1 Minute laufen und 2 Minuten gehen im Wechsel, 8-mal.\n2. Woche 2: 2 Minuten laufen, 2 Minuten gehen, 6-mal.\n3. Woche 3: 4 Minuten laufen, 1 Minute gehen, 5-mal.\n4. Woche 4: 10 Minuten laufen, 2 Minuten gehen, 3-mal.\n\nLegen Sie zwischen den Einheiten mindestens einen Ruhetag ein.',
      'Was soll ich tun, wenn meine Knie schmerzen?',
      'Laufen Sie langsamer und auf weicherem Untergrund wie Waldwegen. Prüfen Sie, ob Ihre Schuhe abgenutzt sind; viele Laufschuhe halten etwa 600 bis 800 Kilometer. Wenn die Schmerzen länger als ein paar Tage anhalten, gehen Sie zum Arzt, bevor Sie weitermachen.',
    ],
  },
  {
    en: [
      'How do I find all files larger than 100 MB on Linux?',
      'Use `find` with the `-size` option:\n\n```bash\nfind / -type f -size +100M -exec ls -lh {} \\; 2>/dev/null\n```\n\nThe `2>/dev/null` part hides the "Permission denied" messages for folders you cannot read. To search only your home folder, replace `/` with `~`.',
    ],
    de: [
      'Wie finde ich unter Linux alle Dateien, die größer als 100 MB sind?',
      'Verwenden Sie `find` mit der Option `-size`:\n\n```bash\nfind / -type f -size +100M -exec ls -lh {} \\; 2>/dev/null\n```\n\nDer Teil `2>/dev/null` blendet die Meldungen „Permission denied“ für Ordner aus, die Sie nicht lesen dürfen. Um nur Ihren Home-Ordner zu durchsuchen, ersetzen Sie `/` durch `~`.',
    ],
  },
  {
    en: [
      'Write a Python function that returns the first n Fibonacci numbers.',
      'Here is a simple iterative version:\n\n```python\ndef fibonacci(n):\n    numbers = []\n    a, b = 0, 1\n    for _ in range(n):\n        numbers.append(a)\n        a, b = b, a + b\n    return numbers\n\nprint(fibonacci(10))  # [0, 1, 1, 2, 3, 5, 8, 13, 21, 34]\n```\n\nIt runs in linear time and needs no recursion, so it also works for large values of n.',
    ],
    de: [
      'Schreiben Sie eine Python-Funktion, die die ersten n Fibonacci-Zahlen zurückgibt.',
      // Drift (altered-code): `a, b = b, a + b` became `a, b = b, a * b` inside the code block.
      'Hier ist eine einfache iterative Version:\n\n```python\ndef fibonacci(n):\n    numbers = []\n    a, b = 0, 1\n    for _ in range(n):\n        numbers.append(a)\n        a, b = b, a * b\n    return numbers\n\nprint(fibonacci(10))  # [0, 1, 1, 2, 3, 5, 8, 13, 21, 34]\n```\n\nSie läuft in linearer Zeit und kommt ohne Rekursion aus, funktioniert also auch für große Werte von n.',
    ],
    drift: [{ turn: 1, kind: 'altered-code', note: 'in the code block `a + b` became `a * b`' }],
  },
  {
    en: [
      'How does composting work?',
      'Bacteria, fungi and small animals such as worms break down organic material into humus. They need air, moisture and a good mix of "green" material like vegetable scraps and "brown" material like dry leaves. Turn the heap every few weeks. After six to twelve months you get dark, crumbly compost that you can spread in the garden.',
    ],
    de: [
      'Wie funktioniert Kompostieren?',
      'Bakterien, Pilze und kleine Tiere wie Würmer zersetzen organisches Material zu Humus. Dafür brauchen sie Luft, Feuchtigkeit und eine gute Mischung aus „grünem“ Material wie Gemüseresten und „braunem“ Material wie trockenem Laub. Setzen Sie den Haufen alle paar Wochen um. Nach sechs bis zwölf Monaten erhalten Sie dunklen, krümeligen Kompost, den Sie im Garten verteilen können.',
    ],
  },
  {
    en: [
      'Help me write a short thank-you note to my neighbour, who watered my plants while I was away.',
      'Dear Mrs. Weber,\n\nthank you so much for looking after my plants during the last two weeks. Everything is green and healthy, and I was very happy to come home to such a welcome. Please let me know whenever I can return the favour.\n\nWarm regards,\nAnna',
    ],
    de: [
      'Helfen Sie mir, eine kurze Dankeskarte an meine Nachbarin zu schreiben, die meine Pflanzen gegossen hat, während ich weg war.',
      'Liebe Frau Weber,\n\nvielen herzlichen Dank, dass Sie sich in den letzten zwei Wochen um meine Pflanzen gekümmert haben. Alles ist grün und gesund, und ich habe mich sehr über diesen Empfang gefreut. Sagen Sie mir bitte Bescheid, wann immer ich mich revanchieren kann.\n\nHerzliche Grüße\nAnna',
    ],
  },
  {
    en: [
      'Give me a simple recipe for pancakes.',
      'Simple pancakes for 4 people:\n250 g flour, 2 eggs, 500 ml milk, a pinch of salt and 1 tablespoon of sugar.\nWhisk everything into a smooth batter and let it rest for 15 minutes.\nHeat a little butter in a pan over medium heat.\nPour in a ladle of batter and bake each side for about 2 minutes.\nServe with fruit, jam or maple syrup.',
    ],
    de: [
      'Geben Sie mir ein einfaches Rezept für Pfannkuchen.',
      // Drift (first-line-only): only the first line was translated, the other lines are missing.
      'Einfache Pfannkuchen für 4 Personen:',
    ],
    drift: [{ turn: 1, kind: 'first-line-only', note: 'only the first of six lines was translated; the rest is missing' }],
  },
  {
    en: [
      'What is the longest river in Europe?',
      'The Volga is the longest river in Europe. It is about 3,530 kilometres long and flows through Russia into the Caspian Sea. The Danube comes second with about 2,850 kilometres.',
    ],
    de: [
      'Welcher ist der längste Fluss Europas?',
      'Die Wolga ist der längste Fluss Europas. Sie ist etwa 3.530 Kilometer lang und fließt durch Russland ins Kaspische Meer. Die Donau folgt an zweiter Stelle mit etwa 2.850 Kilometern.',
    ],
  },
  {
    en: [
      'How can I stop procrastinating?',
      'Start by making the first step very small, for example "open the document and write one sentence". Work in short blocks of 25 minutes with a 5-minute break. Put your phone in another room while you work. Most importantly, do not wait until you feel motivated: motivation usually comes after you have started.',
      'What if I get distracted anyway?',
      'That is normal. Keep a sheet of paper next to you and write down every distracting thought, then return to your task. You can deal with the list during your next break.',
    ],
    de: [
      'Wie kann ich aufhören, Dinge aufzuschieben?',
      'Machen Sie den ersten Schritt sehr klein, zum Beispiel „das Dokument öffnen und einen Satz schreiben“. Arbeiten Sie in kurzen Blöcken von 25 Minuten mit 5 Minuten Pause. Legen Sie Ihr Handy während der Arbeit in ein anderes Zimmer. Vor allem: Warten Sie nicht, bis Sie sich motiviert fühlen, denn die Motivation kommt meist erst, nachdem Sie angefangen haben.',
      'Und wenn ich mich trotzdem ablenken lasse?',
      'Das ist normal. Legen Sie ein Blatt Papier neben sich, notieren Sie jeden ablenkenden Gedanken und kehren Sie dann zu Ihrer Aufgabe zurück. Um die Liste können Sie sich in der nächsten Pause kümmern.',
    ],
  },
  {
    en: [
      'How do I count the rows per category in SQL?',
      'Group by the category column and use `COUNT(*)`:\n\n```sql\nSELECT category, COUNT(*) AS n\nFROM products\nGROUP BY category\nORDER BY n DESC;\n```\n\nIf you only want categories with more than 10 rows, add `HAVING COUNT(*) > 10` after the `GROUP BY` line.',
    ],
    de: [
      'Wie zähle ich in SQL die Zeilen pro Kategorie?',
      'Gruppieren Sie nach der Kategoriespalte und verwenden Sie `COUNT(*)`:\n\n```sql\nSELECT category, COUNT(*) AS n\nFROM products\nGROUP BY category\nORDER BY n DESC;\n```\n\nWenn Sie nur Kategorien mit mehr als 10 Zeilen sehen möchten, fügen Sie nach der Zeile mit `GROUP BY` die Bedingung `HAVING COUNT(*) > 10` hinzu.',
    ],
  },
  {
    en: [
      'How fast does sound travel?',
      'In dry air at 20 °C, sound travels at about 343 metres per second, which is roughly 1,235 kilometres per hour. In water it is more than four times faster, at about 1,480 metres per second. That is why you can count the seconds between lightning and thunder: every 3 seconds mean about 1 kilometre of distance.',
    ],
    de: [
      'Wie schnell breitet sich Schall aus?',
      // Drift (changed-number): 1,480 metres per second became 1.840 Meter pro Sekunde.
      'In trockener Luft bei 20 °C breitet sich Schall mit etwa 343 Metern pro Sekunde aus, das sind ungefähr 1.235 Kilometer pro Stunde. In Wasser ist er mehr als viermal so schnell, nämlich etwa 1.840 Meter pro Sekunde. Deshalb kann man die Sekunden zwischen Blitz und Donner zählen: Alle 3 Sekunden entsprechen etwa 1 Kilometer Entfernung.',
    ],
    drift: [{ turn: 1, kind: 'changed-number', note: '1,480 m/s became 1.840 m/s' }],
  },
  {
    en: [
      'How often should I feed an adult cat?',
      'Most adult cats do well with two meals a day, about 12 hours apart. Check the package for the daily amount, which depends on the weight of the cat. Fresh water should always be available.',
    ],
    de: [
      'Wie oft sollte ich eine erwachsene Katze füttern?',
      'Die meisten erwachsenen Katzen kommen gut mit zwei Mahlzeiten am Tag im Abstand von etwa 12 Stunden aus. Die Tagesmenge, die vom Gewicht der Katze abhängt, finden Sie auf der Verpackung. Frisches Wasser sollte immer bereitstehen.',
    ],
  },
  {
    en: [
      'How do I remove limescale from a kettle?',
      'Fill the kettle halfway with water and add two tablespoons of citric acid. Bring it to the boil, let it stand for 30 minutes and pour it out. Rinse the kettle twice with clean water. Avoid vinegar essence in kettles with rubber seals, because it can damage them.',
    ],
    de: [
      'Wie entferne ich Kalk aus einem Wasserkocher?',
      'Füllen Sie den Wasserkocher zur Hälfte mit Wasser und geben Sie zwei Esslöffel Zitronensäure hinzu. Bringen Sie das Wasser zum Kochen, lassen Sie es 30 Minuten stehen und gießen Sie es dann aus. Spülen Sie den Wasserkocher zweimal mit klarem Wasser nach. Verwenden Sie bei Wasserkochern mit Gummidichtungen keine Essigessenz, da sie die Dichtungen beschädigen kann.',
    ],
  },
  {
    en: [
      'What is the difference between major and minor keys?',
      'The difference lies in the third note of the scale. In a major key it is four semitones above the root, in a minor key only three. That small change makes major usually sound bright and minor sound darker or sadder.',
    ],
    de: [
      'Was ist der Unterschied zwischen Dur und Moll?',
      'Der Unterschied liegt im dritten Ton der Tonleiter. In Dur liegt er vier Halbtöne über dem Grundton, in Moll nur drei. Durch diese kleine Änderung klingt Dur meist hell und Moll eher dunkler oder trauriger.',
    ],
  },
  {
    en: [
      'How do I undo my last Git commit but keep the changes?',
      'Run:\n\n```bash\ngit reset --soft HEAD~1\n```\n\nThe commit disappears, but your changes stay staged, so you can fix them and commit again. If you have already pushed the commit, use `git revert` instead, because rewriting shared history causes problems for everyone else.',
    ],
    de: [
      'Wie mache ich meinen letzten Git-Commit rückgängig, ohne die Änderungen zu verlieren?',
      // Drift (untranslated): the final sentence was left in English.
      'Führen Sie Folgendes aus:\n\n```bash\ngit reset --soft HEAD~1\n```\n\nDer Commit verschwindet, aber Ihre Änderungen bleiben in der Staging-Area, sodass Sie sie korrigieren und erneut committen können. If you have already pushed the commit, use `git revert` instead, because rewriting shared history causes problems for everyone else.',
    ],
    drift: [{ turn: 1, kind: 'untranslated', note: 'the last sentence is still English' }],
  },
  {
    en: [
      'What causes inflation?',
      'Inflation usually has several causes. Demand can grow faster than the economy can produce goods. Costs can rise, for example when energy becomes more expensive. And if the money supply grows much faster than output for a long time, prices rise as well. Central banks try to keep inflation at around 2% by adjusting interest rates.',
    ],
    de: [
      'Was verursacht Inflation?',
      'Inflation hat meist mehrere Ursachen. Die Nachfrage kann schneller wachsen, als die Wirtschaft Güter herstellen kann. Die Kosten können steigen, zum Beispiel wenn Energie teurer wird. Und wenn die Geldmenge über lange Zeit viel schneller wächst als die Produktion, steigen die Preise ebenfalls. Zentralbanken versuchen, die Inflation über die Leitzinsen bei etwa 2 % zu halten.',
    ],
  },
  {
    en: [
      'How many bones does an adult human have?',
      'An adult human has 206 bones. Babies are born with around 300, but many of them fuse together during growth, for example in the skull. The smallest bone is the stirrup in the middle ear, at about 3 millimetres long.',
    ],
    de: [
      'Wie viele Knochen hat ein erwachsener Mensch?',
      // Drift (omitted-sentence): the sentence about babies is missing.
      'Ein erwachsener Mensch hat 206 Knochen. Der kleinste Knochen ist der Steigbügel im Mittelohr, der etwa 3 Millimeter lang ist.',
    ],
    drift: [{ turn: 1, kind: 'omitted-sentence', note: 'the sentence about babies having about 300 bones is missing' }],
  },
  {
    en: [
      'Is it better to take the train or to fly from Berlin to Munich?',
      'For most people the train is the better choice. The fastest ICE trains take about 4 hours from city centre to city centre. A flight takes about 1 hour in the air, but with the trip to the airport, security and waiting time you rarely save much. The train also causes far less CO2.',
      'How early should I book the ticket?',
      'Saver fares go on sale about six months in advance and become more expensive as the date approaches. Booking two to four weeks ahead is usually a good compromise.',
    ],
    de: [
      'Ist es besser, von Berlin nach München mit dem Zug zu fahren oder zu fliegen?',
      'Für die meisten Menschen ist der Zug die bessere Wahl. Die schnellsten ICE-Züge brauchen von Innenstadt zu Innenstadt etwa 4 Stunden. Ein Flug dauert in der Luft zwar nur etwa 1 Stunde, aber mit der Anfahrt zum Flughafen, der Sicherheitskontrolle und den Wartezeiten sparen Sie selten viel. Außerdem verursacht der Zug deutlich weniger CO2.',
      'Wie früh sollte ich das Ticket buchen?',
      'Sparpreise gibt es etwa sechs Monate im Voraus, und sie werden teurer, je näher der Termin rückt. Zwei bis vier Wochen vorher zu buchen ist meist ein guter Kompromiss.',
    ],
  },
  {
    en: [
      'What does aperture mean in photography?',
      'The aperture is the opening in the lens that lets light through. It is given as an f-number such as f/2.8 or f/11. A small f-number means a large opening: more light reaches the sensor and the background becomes blurry. A large f-number means a small opening and a greater depth of field, which is useful for landscapes. More details are at https://en.wikipedia.org/wiki/Aperture.',
    ],
    de: [
      'Was bedeutet Blende in der Fotografie?',
      'Die Blende ist die Öffnung im Objektiv, durch die das Licht fällt. Sie wird als Blendenzahl wie f/2,8 oder f/11 angegeben. Eine kleine Blendenzahl bedeutet eine große Öffnung: Mehr Licht erreicht den Sensor, und der Hintergrund wird unscharf. Eine große Blendenzahl bedeutet eine kleine Öffnung und eine größere Schärfentiefe, was für Landschaften nützlich ist. Mehr dazu finden Sie unter https://en.wikipedia.org/wiki/Aperture.',
    ],
  },
  {
    en: [
      'Summarize the causes of the First World War in three bullet points.',
      '- Alliances: Europe was split into two blocs, so a local conflict quickly drew in the great powers.\n- Militarism and rivalry: the powers competed in an arms race, especially at sea.\n- The trigger: the assassination of Archduke Franz Ferdinand in Sarajevo on 28 June 1914.',
    ],
    de: [
      'Fassen Sie die Ursachen des Ersten Weltkriegs in drei Stichpunkten zusammen.',
      '- Bündnisse: Europa war in zwei Blöcke geteilt, sodass ein örtlicher Konflikt schnell die Großmächte hineinzog.\n- Militarismus und Rivalität: Die Mächte lieferten sich ein Wettrüsten, vor allem zur See.\n- Der Auslöser: das Attentat auf Erzherzog Franz Ferdinand am 28. Juni 1914 in Sarajevo.',
    ],
  },
  {
    en: [
      'How do I convert a temperature from Fahrenheit to Celsius?',
      'Subtract 32 and multiply the result by 5/9. For example, 68 °F becomes (68 − 32) × 5/9 = 20 °C. In code:\n\n```python\ndef to_celsius(f):\n    return (f - 32) * 5 / 9\n```',
      'And the other way round?',
      'Multiply by 9/5 and add 32. So 25 °C is 25 × 9/5 + 32 = 77 °F.',
    ],
    de: [
      'Wie rechne ich eine Temperatur von Fahrenheit in Celsius um?',
      'Ziehen Sie 32 ab und multiplizieren Sie das Ergebnis mit 5/9. Aus 68 °F werden zum Beispiel (68 − 32) × 5/9 = 20 °C. Als Code:\n\n```python\ndef to_celsius(f):\n    return (f - 32) * 5 / 9\n```',
      'Und umgekehrt?',
      'Multiplizieren Sie mit 9/5 und addieren Sie 32. 25 °C sind also 25 × 9/5 + 32 = 77 °F.',
    ],
  },
]
