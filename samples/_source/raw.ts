// Hand-written rows in the shape of openbmb/UltraFeedback: one instruction, four completions with ratings.
// Rationales stay English on both sides: only instructions and responses are translated.
import type { RawSample } from './types'

export const raw: RawSample[] = [
  {
    source: 'evol_instruct',
    en: 'List the planets of the solar system in order from the Sun.',
    de: 'Zählen Sie die Planeten des Sonnensystems in der Reihenfolge ihres Abstands zur Sonne auf.',
    completions: [
      { model: 'gpt-4', en: 'Mercury, Venus, Earth, Mars, Jupiter, Saturn, Uranus and Neptune.', de: 'Merkur, Venus, Erde, Mars, Jupiter, Saturn, Uranus und Neptun.', ratings: [5, 5, 5, 5], why: 'Complete, correct and in the requested order.', overall: 9.0, principle: 'helpfulness' },
      { model: 'llama-2-13b-chat', en: 'Mercury, Venus, Earth, Mars, Jupiter, Saturn, Uranus, Neptune and Pluto.', de: 'Merkur, Venus, Erde, Mars, Jupiter, Saturn, Uranus, Neptun und Pluto.', ratings: [3, 4, 4, 3], why: 'Lists Pluto, which has been a dwarf planet since 2006.', overall: 6.0, principle: 'truthfulness' },
      { model: 'wizardlm-7b', en: 'Earth, Mars, Venus, Mercury, Jupiter, Saturn, Neptune, Uranus.', de: 'Erde, Mars, Venus, Merkur, Jupiter, Saturn, Neptun, Uranus.', ratings: [2, 4, 2, 2], why: 'All planets are named but the order is wrong.', overall: 4.0, principle: 'helpfulness' },
      { model: 'falcon-40b-instruct', en: 'There are eight planets. The closest to the Sun is Mercury and the farthest is Neptune.', de: 'Es gibt acht Planeten. Der sonnennächste ist Merkur und der sonnenfernste ist Neptun.', ratings: [2, 5, 2, 5], why: 'True but does not list the planets as asked.', overall: 5.0, principle: 'honesty' },
    ],
  },
  {
    source: 'sharegpt',
    en: 'Explain in simple words what an API is.',
    de: 'Erklären Sie in einfachen Worten, was eine API ist.',
    completions: [
      { model: 'gpt-3.5-turbo', en: 'An API is a set of rules that lets one program ask another program for data or services. Think of a waiter who takes your order to the kitchen and brings back your food.', de: 'Eine API ist ein Satz von Regeln, mit dem ein Programm ein anderes Programm nach Daten oder Diensten fragen kann. Stellen Sie sich einen Kellner vor, der Ihre Bestellung in die Küche bringt und Ihnen das Essen zurückbringt.', ratings: [5, 5, 5, 5], why: 'Clear, correct and uses a helpful analogy.', overall: 8.5, principle: 'helpfulness' },
      { model: 'ultralm-13b', en: 'API stands for Application Programming Interface. It defines how software components talk to each other.', de: 'API steht für Application Programming Interface. Sie legt fest, wie Softwarekomponenten miteinander kommunizieren.', ratings: [4, 5, 4, 5], why: 'Correct but less simple than requested.', overall: 7.0, principle: 'helpfulness' },
      { model: 'alpaca-7b', en: 'An API is a kind of computer cable.', de: 'Eine API ist eine Art Computerkabel.', ratings: [1, 2, 2, 1], why: 'Factually wrong.', overall: 2.0, principle: 'truthfulness' },
      { model: 'mpt-30b-chat', en: 'An API is like a menu in a restaurant: it lists what you can order and how to ask for it, without showing how the kitchen works. Programs use it to request data from other programs.', de: 'Eine API ist wie die Speisekarte in einem Restaurant: Sie zeigt, was man bestellen kann und wie man danach fragt, ohne zu verraten, wie die Küche arbeitet.', ratings: [5, 5, 5, 5], why: 'Simple and accurate.', overall: 8.0, principle: 'helpfulness' },
    ],
    drift: [{ completion: 3, kind: 'omitted-sentence', note: 'the second sentence (programs request data from other programs) is missing' }],
  },
  {
    source: 'flan_v2_niv2',
    en: 'Classify the sentiment of this review as positive or negative: "The battery lasts all day and the screen is bright."',
    de: 'Bestimmen Sie, ob diese Bewertung positiv oder negativ ist: „Der Akku hält den ganzen Tag und der Bildschirm ist hell.“',
    completions: [
      { model: 'gpt-4', en: 'Positive.', de: 'Positiv.', ratings: [5, 5, 5, 5], why: 'Correct label.', overall: 9.0, principle: 'helpfulness' },
      { model: 'pythia-12b', en: 'Negative.', de: 'Negativ.', ratings: [1, 3, 4, 1], why: 'Wrong label.', overall: 2.0, principle: 'helpfulness' },
      { model: 'vicuna-33b', en: 'Positive. The reviewer praises both the battery life and the screen.', de: 'Positiv. Die Person lobt sowohl die Akkulaufzeit als auch den Bildschirm.', ratings: [5, 5, 4, 5], why: 'Correct, with a short justification.', overall: 8.5, principle: 'helpfulness' },
      { model: 'starchat', en: 'The review is positive, but I cannot be completely sure without more context.', de: 'Die Bewertung ist positiv, aber ohne mehr Kontext kann ich mir nicht ganz sicher sein.', ratings: [4, 4, 4, 5], why: 'Correct but unnecessarily hedged.', overall: 7.0, principle: 'verbalized_calibration' },
    ],
  },
  {
    source: 'evol_instruct',
    en: 'Write a Python function that checks whether a number is prime.',
    de: 'Schreiben Sie eine Python-Funktion, die prüft, ob eine Zahl eine Primzahl ist.',
    completions: [
      {
        model: 'gpt-4',
        en: 'Here is a straightforward version:\n\n```python\ndef is_prime(n):\n    if n < 2:\n        return False\n    i = 2\n    while i * i <= n:\n        if n % i == 0:\n            return False\n        i += 1\n    return True\n```\n\nIt only tests divisors up to the square root of n.',
        // Drift (altered-code): `i * i <= n` became `i * i < n`, which wrongly calls 4, 9, 25 … prime.
        de: 'Hier ist eine einfache Version:\n\n```python\ndef is_prime(n):\n    if n < 2:\n        return False\n    i = 2\n    while i * i < n:\n        if n % i == 0:\n            return False\n        i += 1\n    return True\n```\n\nSie prüft nur Teiler bis zur Quadratwurzel von n.',
        ratings: [5, 5, 5, 5],
        why: 'Correct and efficient enough.',
        overall: 9.0,
        principle: 'helpfulness',
      },
      { model: 'llama-2-7b-chat', en: 'A number is prime if it has no divisors other than 1 and itself. You can check this by trying every number from 2 to n - 1.', de: 'Eine Zahl ist eine Primzahl, wenn sie außer 1 und sich selbst keine Teiler hat. Sie können das prüfen, indem Sie jede Zahl von 2 bis n - 1 ausprobieren.', ratings: [3, 5, 2, 5], why: 'Explains the idea but gives no function.', overall: 5.0, principle: 'helpfulness' },
      { model: 'bard', en: '```python\ndef is_prime(n):\n    return all(n % d for d in range(2, n))\n```', de: '```python\ndef is_prime(n):\n    return all(n % d for d in range(2, n))\n```', ratings: [3, 4, 4, 3], why: 'Returns True for 0 and 1, which are not prime.', overall: 5.5, principle: 'truthfulness' },
      { model: 'wizardlm-13b', en: 'Use the `sympy` library: `from sympy import isprime`, then call `isprime(n)`.', de: 'Verwenden Sie die Bibliothek `sympy`: `from sympy import isprime`, dann rufen Sie `isprime(n)` auf.', ratings: [4, 5, 3, 5], why: 'Works, but the task asked to write the function.', overall: 6.0, principle: 'helpfulness' },
    ],
    drift: [{ completion: 0, kind: 'altered-code', note: 'in the code block `i * i <= n` became `i * i < n`' }],
  },
  {
    source: 'false_qa',
    en: 'How many legs does a snake have?',
    de: 'Wie viele Beine hat eine Schlange?',
    completions: [
      { model: 'gpt-4', en: 'Snakes have no legs. Some species, such as pythons, still have tiny remnants of hind legs called spurs.', de: 'Schlangen haben keine Beine. Einige Arten wie Pythons besitzen noch winzige Überreste von Hinterbeinen, die man Sporne nennt.', ratings: [5, 5, 5, 5], why: 'Correct and adds a relevant detail.', overall: 9.0, principle: 'honesty' },
      { model: 'alpaca-7b', en: 'A snake has four legs.', de: 'Eine Schlange hat vier Beine.', ratings: [1, 1, 3, 1], why: 'False.', overall: 1.0, principle: 'truthfulness' },
      { model: 'ultralm-65b', en: 'Zero.', de: 'Null.', ratings: [4, 5, 5, 5], why: 'Correct but very short.', overall: 7.0, principle: 'helpfulness' },
      { model: 'gpt-3.5-turbo', en: 'Snakes do not have legs. They move by contracting their muscles and pushing against the ground.', de: 'Schlangen haben keine Beine. Sie bewegen sich fort, indem sie ihre Muskeln zusammenziehen und sich vom Boden abstoßen.', ratings: [5, 5, 5, 5], why: 'Correct with a useful explanation.', overall: 8.5, principle: 'helpfulness' },
    ],
  },
  {
    source: 'ultrachat',
    en: 'Give me a short packing list for a day at the beach.',
    de: 'Geben Sie mir eine kurze Packliste für einen Tag am Strand.',
    completions: [
      {
        model: 'gpt-4',
        en: 'Beach day essentials:\n- sunscreen with SPF 30 or higher\n- a towel and a hat\n- at least 1.5 litres of water\n- a book or a ball',
        // Drift (first-line-only): only the heading line was translated.
        de: 'Das Wichtigste für einen Strandtag:',
        ratings: [5, 5, 5, 5],
        why: 'Short, practical and complete.',
        overall: 8.5,
        principle: 'helpfulness',
      },
      { model: 'falcon-40b-instruct', en: 'Sunscreen, towel, water.', de: 'Sonnencreme, Handtuch, Wasser.', ratings: [4, 5, 4, 5], why: 'Correct but minimal.', overall: 6.5, principle: 'helpfulness' },
      { model: 'llama-2-70b-chat', en: 'Bring sunscreen, a towel, water, snacks, sunglasses and a change of clothes. Do not forget a bag for your rubbish.', de: 'Nehmen Sie Sonnencreme, ein Handtuch, Wasser, Snacks, eine Sonnenbrille und Wechselkleidung mit. Vergessen Sie nicht eine Tüte für Ihren Müll.', ratings: [5, 5, 5, 5], why: 'Helpful and complete.', overall: 8.0, principle: 'helpfulness' },
      { model: 'pythia-12b', en: 'The beach is a nice place to relax.', de: 'Der Strand ist ein schöner Ort zum Entspannen.', ratings: [1, 4, 1, 5], why: 'Does not answer the request.', overall: 2.0, principle: 'helpfulness' },
    ],
    drift: [{ completion: 0, kind: 'first-line-only', note: 'only the heading line was translated; the four list items are missing' }],
  },
  {
    source: 'truthful_qa',
    en: 'Does cracking your knuckles cause arthritis?',
    de: 'Verursacht Fingerknacken Arthrose?',
    completions: [
      { model: 'gpt-4', en: 'No. Studies have not found a link between knuckle cracking and arthritis. The sound comes from gas bubbles in the joint fluid.', de: 'Nein. Studien haben keinen Zusammenhang zwischen Fingerknacken und Arthrose gefunden. Das Geräusch entsteht durch Gasbläschen in der Gelenkflüssigkeit.', ratings: [5, 5, 5, 5], why: 'Accurate and explains the cause.', overall: 9.0, principle: 'truthfulness' },
      { model: 'vicuna-33b', en: 'Yes, it damages the joints over time.', de: 'Ja, es schädigt mit der Zeit die Gelenke.', ratings: [1, 2, 4, 1], why: 'Repeats a common myth.', overall: 2.5, principle: 'truthfulness' },
      { model: 'mpt-30b-chat', en: 'There is no strong evidence that it causes arthritis, although some people find it annoying.', de: 'Es gibt keine belastbaren Belege dafür, dass es Arthrose verursacht, auch wenn manche Menschen es störend finden.', ratings: [4, 5, 5, 5], why: 'Correct and calibrated.', overall: 7.5, principle: 'honesty' },
      { model: 'starchat', en: 'I am not sure.', de: 'Ich bin mir nicht sicher.', ratings: [1, 4, 2, 5], why: 'Honest but unhelpful.', overall: 3.0, principle: 'verbalized_calibration' },
    ],
  },
  {
    source: 'sharegpt',
    en: 'Summarize the water cycle in four steps.',
    de: 'Fassen Sie den Wasserkreislauf in vier Schritten zusammen.',
    completions: [
      { model: 'gpt-3.5-turbo', en: '1. Evaporation: the Sun heats water, which rises as vapour.\n2. Condensation: the vapour cools and forms clouds.\n3. Precipitation: water falls as rain or snow.\n4. Collection: water gathers in rivers, lakes and oceans and the cycle starts again.', de: '1. Verdunstung: Die Sonne erwärmt Wasser, das als Dampf aufsteigt.\n2. Kondensation: Der Dampf kühlt ab und bildet Wolken.\n3. Niederschlag: Wasser fällt als Regen oder Schnee.\n4. Sammlung: Das Wasser sammelt sich in Flüssen, Seen und Meeren, und der Kreislauf beginnt von vorn.', ratings: [5, 5, 5, 5], why: 'Four clear, correct steps.', overall: 9.0, principle: 'helpfulness' },
      { model: 'wizardlm-70b', en: 'Water evaporates, forms clouds, falls as rain and flows back to the sea. About 86% of global evaporation happens over the oceans.', de: 'Wasser verdunstet, bildet Wolken, fällt als Regen und fließt zurück ins Meer. Etwa 68 % der weltweiten Verdunstung finden über den Ozeanen statt.', ratings: [4, 5, 4, 5], why: 'Correct, though not formatted as steps.', overall: 7.5, principle: 'helpfulness' },
      { model: 'alpaca-7b', en: 'Rain, snow, hail, fog.', de: 'Regen, Schnee, Hagel, Nebel.', ratings: [1, 4, 2, 3], why: 'Lists forms of precipitation, not the cycle.', overall: 2.0, principle: 'helpfulness' },
      { model: 'llama-2-13b-chat', en: 'The water cycle has four steps: evaporation, condensation, precipitation and collection. It is driven by the energy of the Sun.', de: 'Der Wasserkreislauf hat vier Schritte: Verdunstung, Kondensation, Niederschlag und Sammlung. Er wird von der Energie der Sonne angetrieben.', ratings: [5, 5, 5, 5], why: 'Correct and concise.', overall: 8.0, principle: 'helpfulness' },
    ],
    drift: [{ completion: 1, kind: 'changed-number', note: '86% became 68 %' }],
  },
]
