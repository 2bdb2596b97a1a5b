// Hand-written preference pairs in the shape of HuggingFaceH4/ultrafeedback_binarized, English and German.
// Deliberate damage on the German side is declared in `drift` (see ../DRIFT.md).
import type { Preference } from './types'

export const binarized: Preference[] = [
  {
    en: {
      prompt: 'Name three renewable sources of energy.',
      chosen: 'Three renewable sources of energy are solar power, wind power and hydropower. All of them are replenished naturally and produce very little CO2 while they operate.',
      rejected: 'Coal, solar power and wind.',
    },
    de: {
      prompt: 'Nennen Sie drei erneuerbare Energiequellen.',
      chosen: 'Drei erneuerbare Energiequellen sind Sonnenenergie, Windkraft und Wasserkraft. Sie alle erneuern sich auf natürliche Weise und verursachen im Betrieb sehr wenig CO2.',
      rejected: 'Kohle, Sonnenenergie und Wind.',
    },
    score_chosen: 9.0,
    score_rejected: 3.0,
  },
  {
    en: {
      prompt: 'What is the capital of Australia?',
      chosen: 'The capital of Australia is Canberra. Many people guess Sydney, which is the largest city, but Canberra was chosen in 1908 as a compromise between Sydney and Melbourne.',
      rejected: 'The capital of Australia is Sydney.',
    },
    de: {
      prompt: 'Was ist die Hauptstadt von Australien?',
      // Drift (changed-number): 1908 became 1918 in chosen (and so in messages).
      chosen: 'Die Hauptstadt Australiens ist Canberra. Viele tippen auf Sydney, die größte Stadt, doch Canberra wurde 1918 als Kompromiss zwischen Sydney und Melbourne gewählt.',
      rejected: 'Die Hauptstadt Australiens ist Sydney.',
    },
    score_chosen: 8.5,
    score_rejected: 2.0,
    drift: [{ part: 'chosen', kind: 'changed-number', note: '1908 became 1918' }],
  },
  {
    en: {
      prompt: 'Rewrite this sentence in the passive voice: "The committee approved the budget."',
      chosen: 'The budget was approved by the committee.',
      rejected: 'The committee has approved the budget.',
    },
    de: {
      prompt: 'Formulieren Sie diesen Satz im Passiv: „Der Ausschuss genehmigte den Haushalt.“',
      chosen: 'Der Haushalt wurde vom Ausschuss genehmigt.',
      rejected: 'Der Ausschuss hat den Haushalt genehmigt.',
    },
    score_chosen: 9.5,
    score_rejected: 4.0,
  },
  {
    en: {
      prompt: 'Explain what a Python list comprehension is, with an example.',
      chosen: 'A list comprehension builds a new list from an iterable in a single expression. For example, `[x * x for x in range(5)]` returns `[0, 1, 4, 9, 16]`. You can add a condition: `[x for x in range(10) if x % 2 == 0]` keeps only the even numbers.',
      rejected: 'It is a loop. Use a for loop instead because it is easier.',
    },
    de: {
      prompt: 'Erklären Sie, was eine List Comprehension in Python ist, und geben Sie ein Beispiel.',
      chosen: 'Eine List Comprehension erzeugt in einem einzigen Ausdruck eine neue Liste aus einem iterierbaren Objekt. Zum Beispiel liefert `[x * x for x in range(5)]` das Ergebnis `[0, 1, 4, 9, 16]`. Sie können eine Bedingung hinzufügen: `[x for x in range(10) if x % 2 == 0]` behält nur die geraden Zahlen.',
      // Drift (untranslated): the rejected answer was left in English entirely.
      rejected: 'It is a loop. Use a for loop instead because it is easier.',
    },
    score_chosen: 8.0,
    score_rejected: 2.5,
    drift: [{ part: 'rejected', kind: 'untranslated', note: 'the whole rejected answer is still English' }],
  },
  {
    en: {
      prompt: 'Give me two tips for sleeping better.',
      chosen: 'First, go to bed and get up at the same time every day, even at weekends. Second, avoid screens for about an hour before bed, because the bright light makes it harder to fall asleep.',
      rejected: 'Drink a strong coffee before bed so you feel relaxed.',
    },
    de: {
      prompt: 'Geben Sie mir zwei Tipps für besseren Schlaf.',
      chosen: 'Erstens: Gehen Sie jeden Tag zur gleichen Zeit ins Bett und stehen Sie zur gleichen Zeit auf, auch am Wochenende. Zweitens: Verzichten Sie etwa eine Stunde vor dem Schlafengehen auf Bildschirme, denn das helle Licht erschwert das Einschlafen.',
      rejected: 'Trinken Sie vor dem Schlafengehen einen starken Kaffee, damit Sie sich entspannt fühlen.',
    },
    score_chosen: 8.0,
    score_rejected: 1.0,
  },
  {
    en: {
      prompt: 'What is the boiling point of water at sea level?',
      chosen: 'At sea level, water boils at 100 °C, which is 212 °F. At higher altitudes the air pressure is lower, so water boils at a lower temperature, for example at about 90 °C at 3,000 metres.',
      rejected: 'Water always boils at 90 degrees.',
    },
    de: {
      prompt: 'Wo liegt der Siedepunkt von Wasser auf Meereshöhe?',
      chosen: 'Auf Meereshöhe siedet Wasser bei 100 °C, das sind 212 °F. In größerer Höhe ist der Luftdruck niedriger, sodass Wasser bei einer niedrigeren Temperatur siedet, zum Beispiel bei etwa 90 °C in 3.000 Metern Höhe.',
      rejected: 'Wasser siedet immer bei 90 Grad.',
    },
    score_chosen: 9.0,
    score_rejected: 2.0,
  },
  {
    en: {
      prompt: 'Write a haiku about autumn.',
      chosen: 'Red leaves drift and fall\nthe wind hums an old cold song\nthe garden grows still',
      rejected: 'Autumn is a season. Leaves fall down. It is cold.',
    },
    de: {
      prompt: 'Schreiben Sie ein Haiku über den Herbst.',
      chosen: 'Rote Blätter fall’n\nder Wind summt ein altes Lied\nstill wird nun der Garten',
      rejected: 'Der Herbst ist eine Jahreszeit. Blätter fallen herunter. Es ist kalt.',
    },
    score_chosen: 7.5,
    score_rejected: 4.5,
  },
  {
    en: {
      prompt: 'How do I reverse a string in Python?',
      chosen: 'Use slicing with a step of -1:\n\n```python\ntext = "Phoenix"\nprint(text[::-1])  # xineohP\n```\n\nThis creates a new string; strings in Python cannot be changed in place.',
      rejected: 'Call `text.reverse()`.',
    },
    de: {
      prompt: 'Wie kehre ich in Python einen String um?',
      chosen: 'Verwenden Sie Slicing mit der Schrittweite -1:\n\n```python\ntext = "Phoenix"\nprint(text[::-1])  # xineohP\n```\n\nDadurch entsteht ein neuer String; Strings lassen sich in Python nicht direkt verändern.',
      rejected: 'Rufen Sie `text.reverse()` auf.',
    },
    score_chosen: 9.0,
    score_rejected: 3.0,
  },
  {
    en: {
      prompt: 'Why do we have leap years?',
      chosen: 'The Earth needs about 365.24 days to orbit the Sun. Without an extra day every four years, the calendar would drift away from the seasons by almost a day every four years. The Gregorian calendar also skips the leap day in century years unless they are divisible by 400, which is why 2000 was a leap year but 1900 was not.',
      rejected: 'Leap years exist because February is too short.',
    },
    de: {
      prompt: 'Warum gibt es Schaltjahre?',
      // Drift (truncated): chosen stops after the second sentence.
      chosen: 'Die Erde braucht etwa 365,24 Tage, um die Sonne zu umrunden. Ohne einen zusätzlichen Tag alle vier Jahre würde sich der Kalender',
      rejected: 'Schaltjahre gibt es, weil der Februar zu kurz ist.',
    },
    score_chosen: 9.0,
    score_rejected: 3.5,
    drift: [{ part: 'chosen', kind: 'truncated', note: 'stops in the middle of the second sentence' }],
  },
  {
    en: {
      prompt: 'Suggest a name for a small bakery in a village.',
      chosen: 'How about "The Morning Crust"? It is warm, easy to remember and hints at fresh bread early in the day.',
      rejected: 'Bakery Number 1.',
    },
    de: {
      prompt: 'Schlagen Sie einen Namen für eine kleine Bäckerei in einem Dorf vor.',
      chosen: 'Wie wäre es mit „Die Morgenkruste“? Der Name klingt warm, ist leicht zu merken und deutet auf frisches Brot am frühen Morgen hin.',
      rejected: 'Bäckerei Nummer 1.',
    },
    score_chosen: 7.0,
    score_rejected: 3.0,
  },
  {
    en: {
      prompt: 'Convert 5 kilometres to miles.',
      chosen: '5 kilometres are about 3.11 miles, because one kilometre is roughly 0.621 miles.',
      rejected: '5 kilometres are 8 miles.',
    },
    de: {
      prompt: 'Rechnen Sie 5 Kilometer in Meilen um.',
      chosen: '5 Kilometer sind etwa 3,11 Meilen, denn ein Kilometer entspricht ungefähr 0,621 Meilen.',
      rejected: '5 Kilometer sind 8 Meilen.',
    },
    score_chosen: 9.5,
    score_rejected: 1.5,
  },
  {
    en: {
      prompt: 'What should I pack for a weekend hiking trip?',
      chosen: 'Pack the essentials:\n- sturdy shoes and a rain jacket\n- at least 2 litres of water per day\n- snacks and a simple first-aid kit\n- a map or offline maps on your phone, plus a power bank',
      rejected: 'Just bring your phone, you can buy everything else on the way.',
    },
    de: {
      prompt: 'Was sollte ich für eine Wanderung am Wochenende einpacken?',
      chosen: 'Packen Sie das Wichtigste ein:\n- feste Schuhe und eine Regenjacke\n- mindestens 2 Liter Wasser pro Tag\n- Snacks und ein einfaches Erste-Hilfe-Set\n- eine Karte oder Offline-Karten auf dem Handy sowie eine Powerbank',
      rejected: 'Nehmen Sie einfach Ihr Handy mit, alles andere können Sie unterwegs kaufen.',
    },
    score_chosen: 8.5,
    score_rejected: 3.0,
  },
  {
    en: {
      prompt: 'Is a tomato a fruit or a vegetable?',
      chosen: 'Botanically, a tomato is a fruit, because it develops from the flower and contains seeds. In the kitchen, however, it is usually treated as a vegetable because it is not sweet.',
      rejected: 'A tomato is a vegetable because it grows in the garden.',
    },
    de: {
      prompt: 'Ist eine Tomate ein Obst oder ein Gemüse?',
      chosen: 'Botanisch gesehen ist die Tomate eine Frucht, weil sie sich aus der Blüte entwickelt und Samen enthält. In der Küche wird sie jedoch meist als Gemüse behandelt, weil sie nicht süß ist.',
      rejected: 'Eine Tomate ist ein Gemüse, weil sie im Garten wächst.',
    },
    score_chosen: 8.0,
    score_rejected: 4.0,
  },
  {
    en: {
      prompt: 'Write a SQL query that returns the five most expensive products.',
      chosen: '```sql\nSELECT name, price\nFROM products\nORDER BY price DESC\nLIMIT 5;\n```\n\n`ORDER BY price DESC` sorts from the highest price down, and `LIMIT 5` keeps the first five rows.',
      rejected: '```sql\nSELECT * FROM products LIMIT 5;\n```',
    },
    de: {
      prompt: 'Schreiben Sie eine SQL-Abfrage, die die fünf teuersten Produkte liefert.',
      // Drift (altered-code): LIMIT 5 became LIMIT 3 inside the chosen code block.
      chosen: '```sql\nSELECT name, price\nFROM products\nORDER BY price DESC\nLIMIT 3;\n```\n\n`ORDER BY price DESC` sortiert vom höchsten Preis abwärts, und `LIMIT 5` behält die ersten fünf Zeilen.',
      rejected: '```sql\nSELECT * FROM products LIMIT 5;\n```',
    },
    score_chosen: 9.0,
    score_rejected: 5.0,
    drift: [{ part: 'chosen', kind: 'altered-code', note: 'in the code block LIMIT 5 became LIMIT 3' }],
  },
  {
    en: {
      prompt: 'What is photosynthesis in one sentence?',
      chosen: 'Photosynthesis is the process in which plants use sunlight, water and carbon dioxide to produce sugar and release oxygen.',
      rejected: 'Photosynthesis is when plants sleep at night.',
    },
    de: {
      prompt: 'Was ist Photosynthese, in einem Satz erklärt?',
      chosen: 'Photosynthese ist der Vorgang, bei dem Pflanzen mithilfe von Sonnenlicht aus Wasser und Kohlendioxid Zucker herstellen und dabei Sauerstoff freisetzen.',
      rejected: 'Photosynthese ist, wenn Pflanzen nachts schlafen.',
    },
    score_chosen: 9.0,
    score_rejected: 1.0,
  },
]
