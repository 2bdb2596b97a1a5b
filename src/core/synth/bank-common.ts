/** Topic-independent parallel templates and fixed material (code, models, rationales) for synthetic rows. */
import type { Pair } from './bank-topics'

export const OPENERS: readonly Pair[] = [
  ['Good question!', 'Gute Frage!'],
  ['Sure, here is an overview.', 'Gern, hier ist ein Überblick.'],
  ['That depends on a few things, but here is what usually works.', 'Das hängt von einigen Dingen ab, aber Folgendes funktioniert meistens.'],
  ['Happy to help with that.', 'Dabei helfe ich Ihnen gern.'],
  ['Here is a short answer first, followed by the details.', 'Hier zuerst eine kurze Antwort, danach die Einzelheiten.'],
  ['Many people ask this when they start with {topic}.', 'Das fragen viele, die mit dem Thema {topic} anfangen.'],
]

export const CLOSERS: readonly Pair[] = [
  ['I hope this helps!', 'Ich hoffe, das hilft Ihnen weiter!'],
  ['Let me know if you would like more details on any of these points.', 'Sagen Sie mir gern Bescheid, wenn Sie zu einem dieser Punkte mehr wissen möchten.'],
  ['Good luck, and have fun with it!', 'Viel Erfolg und viel Spaß dabei!'],
  ['If anything is unclear, just ask.', 'Wenn etwas unklar ist, fragen Sie einfach nach.'],
  ['Try it out and see what works best for you.', 'Probieren Sie es aus und schauen Sie, was für Sie am besten funktioniert.'],
]

/** Sentences that fit an answer on any topic. */
export const GENERIC: readonly Pair[] = [
  ['The most important thing is to start small and stay consistent.', 'Das Wichtigste ist, klein anzufangen und dranzubleiben.'],
  ['There is no single right answer, so adapt these suggestions to your situation.', 'Es gibt nicht die eine richtige Antwort, passen Sie diese Vorschläge also an Ihre Situation an.'],
  ['When it comes to {topic}, patience pays off.', 'Beim Thema {topic} zahlt sich Geduld aus.'],
  ['About {p} of beginners give up in the first month, usually because they try too much at once.', 'Etwa {p} der Anfänger geben im ersten Monat auf, meist weil sie zu viel auf einmal versuchen.'],
  ['Keep notes, so that you can see your progress after {n} weeks.', 'Machen Sie sich Notizen, damit Sie nach {n} Wochen Ihre Fortschritte sehen.'],
  ['A good guide or an experienced friend can save you a lot of time.', 'Eine gute Anleitung oder eine erfahrene Bekannte kann Ihnen viel Zeit sparen.'],
  ['Do not worry if it does not work perfectly the first time.', 'Machen Sie sich keine Sorgen, wenn es beim ersten Mal nicht perfekt klappt.'],
  ['As a rough guide, plan about {n} hours for the first attempt.', 'Planen Sie als grobe Orientierung für den ersten Versuch etwa {n} Stunden ein.'],
  ['The details can differ from country to country, so check the local rules.', 'Die Einzelheiten können sich von Land zu Land unterscheiden, prüfen Sie daher die örtlichen Regeln.'],
  ['Since {y}, the recommendations on this have changed several times.', 'Seit {y} haben sich die Empfehlungen dazu mehrfach geändert.'],
  ['In a survey from {date}, {p} of the people asked said this worked for them.', 'In einer Umfrage vom {date} gaben {p} der Befragten an, dass dies bei ihnen funktioniert habe.'],
  ['The costs are usually between {m} and {k} euros, depending on what you choose.', 'Die Kosten liegen je nach Wahl meist zwischen {m} und {k} Euro.'],
  ['Small steps repeated often lead further than one big effort.', 'Kleine, oft wiederholte Schritte führen weiter als eine einzige große Anstrengung.'],
  ['It also helps to talk to others who have done the same.', 'Es hilft auch, mit anderen zu sprechen, die dasselbe schon gemacht haben.'],
]

/** Headings for sections of long answers. */
export const HEADINGS: readonly Pair[] = [
  ['### Step {n}', '### Schritt {n}'],
  ['### The basics', '### Die Grundlagen'],
  ['### Common mistakes', '### Häufige Fehler'],
  ['### A practical example', '### Ein praktisches Beispiel'],
  ['### Summary', '### Zusammenfassung'],
  ['**Tip:**', '**Tipp:**'],
]

export const LIST_INTROS: readonly Pair[] = [
  ['Here are the main points:', 'Hier sind die wichtigsten Punkte:'],
  ['You will need:', 'Sie brauchen:'],
  ['A simple checklist:', 'Eine einfache Checkliste:'],
  ['In order:', 'Der Reihe nach:'],
]

export const CODE_INTROS: readonly Pair[] = [
  ['Here is an example:', 'Hier ist ein Beispiel:'],
  ['A minimal version looks like this:', 'Eine minimale Version sieht so aus:'],
  ['You can try this snippet:', 'Sie können dieses Beispiel ausprobieren:'],
  ['For example:', 'Zum Beispiel:'],
]

export const CODE_OUTROS: readonly Pair[] = [
  ['Run it once with a small input to check that the output is what you expect.', 'Führen Sie es einmal mit einer kleinen Eingabe aus, um zu prüfen, ob die Ausgabe Ihren Erwartungen entspricht.'],
  ['The function returns a new value and leaves the input unchanged.', 'Die Funktion gibt einen neuen Wert zurück und lässt die Eingabe unverändert.'],
  ['On large inputs this runs in about {d} seconds.', 'Bei großen Eingaben dauert das etwa {d} Sekunden.'],
]

/** Sentences with inline code; the code itself is never translated. */
export const INLINE_CODE: readonly Pair[] = [
  ['Install the package with `pip install requests` first.', 'Installieren Sie das Paket zuerst mit `pip install requests`.'],
  ['You can check the version with `python --version`.', 'Die Version können Sie mit `python --version` prüfen.'],
  ['Set the variable `MAX_RETRIES` to {n} if the network is unreliable.', 'Setzen Sie die Variable `MAX_RETRIES` auf {n}, wenn das Netzwerk unzuverlässig ist.'],
  ['The option `--verbose` prints every step.', 'Die Option `--verbose` gibt jeden Schritt aus.'],
  ['Save the file as `notes.txt` in the same folder.', 'Speichern Sie die Datei als `notes.txt` im selben Ordner.'],
]

export const URL_SENTENCES: readonly Pair[] = [
  ['You can find more information at https://www.example.org/guide.', 'Weitere Informationen finden Sie unter https://www.example.org/guide.'],
  ['The official documentation is at https://docs.python.org/3/.', 'Die offizielle Dokumentation finden Sie unter https://docs.python.org/3/.'],
  ['A good overview is available at https://en.wikipedia.org/wiki/Main_Page.', 'Einen guten Überblick gibt es unter https://en.wikipedia.org/wiki/Main_Page.'],
  ['The current figures are published at https://www.destatis.de.', 'Die aktuellen Zahlen werden unter https://www.destatis.de veröffentlicht.'],
]

/** Put in front of a user question. */
export const PROMPT_PREFIXES: readonly Pair[] = [
  ['I am completely new to {topic}.', 'Ich bin beim Thema {topic} völlig neu.'],
  ['My friend and I were discussing this yesterday.', 'Mein Freund und ich haben gestern darüber gesprochen.'],
  ['I have been trying this for {n} weeks without success.', 'Ich versuche das seit {n} Wochen ohne Erfolg.'],
  ['Quick question.', 'Eine kurze Frage.'],
  ['I need this for a school project.', 'Ich brauche das für ein Schulprojekt.'],
  ['I read different things online and I am confused.', 'Ich habe im Internet Unterschiedliches gelesen und bin verwirrt.'],
]

/** Put after a user question. */
export const PROMPT_SUFFIXES: readonly Pair[] = [
  ['Please answer in no more than {n} sentences.', 'Bitte antworten Sie in höchstens {n} Sätzen.'],
  ['Explain it as if I were {m} years old.', 'Erklären Sie es so, als wäre ich {m} Jahre alt.'],
  ['A step-by-step list would be great.', 'Eine Schritt-für-Schritt-Liste wäre toll.'],
  ['Please give me a concrete example.', 'Bitte geben Sie mir ein konkretes Beispiel.'],
  ['I have about {k} euros available.', 'Mir stehen etwa {k} Euro zur Verfügung.'],
  ['Thanks in advance!', 'Vielen Dank im Voraus!'],
]

export const FOLLOW_UPS: readonly Pair[] = [
  ['Can you give me an example?', 'Können Sie mir ein Beispiel geben?'],
  ['What is the most common mistake here?', 'Was ist hier der häufigste Fehler?'],
  ['How long will it take until I see results?', 'Wie lange dauert es, bis ich Ergebnisse sehe?'],
  ['Could you summarize that in {n} bullet points?', 'Könnten Sie das in {n} Stichpunkten zusammenfassen?'],
  ['Thanks! And what should I do next?', 'Danke! Und was sollte ich als Nächstes tun?'],
  ['Is there a cheaper way to do this?', 'Gibt es eine günstigere Möglichkeit?'],
  ['What if I only have {m} minutes a day?', 'Was ist, wenn ich nur {m} Minuten am Tag habe?'],
  ['Can you explain the second point in more detail?', 'Können Sie den zweiten Punkt genauer erklären?'],
]

/** Weak answers for the rejected side of preference pairs. */
export const WEAK_ANSWERS: readonly Pair[] = [
  ['I am not sure, you should look it up.', 'Ich bin mir nicht sicher, schauen Sie es am besten nach.'],
  ['It depends.', 'Das kommt darauf an.'],
  ['Just try something and see what happens.', 'Probieren Sie einfach etwas aus und schauen Sie, was passiert.'],
  ['That is a difficult question and there is no answer to it.', 'Das ist eine schwierige Frage, auf die es keine Antwort gibt.'],
  ['The answer is {m}.', 'Die Antwort ist {m}.'],
  ['You do not need to worry about {topic} at all.', 'Um das Thema {topic} müssen Sie sich überhaupt keine Gedanken machen.'],
]

/** Code blocks by language. Code is identical in both languages; comments stay English as in most projects. */
export const CODE: Readonly<Record<string, readonly string[]>> = {
  python: [
    'def average(values):\n    if not values:\n        raise ValueError("no values")\n    return sum(values) / len(values)\n\nprint(average([3, 5, 10]))  # 6.0',
    'seen = set()\nunique = []\nfor item in items:\n    if item not in seen:\n        seen.add(item)\n        unique.append(item)',
    'with open("data.txt", encoding="utf-8") as f:\n    for line in f:\n        process(line.rstrip("\\n"))',
    'import json\n\nwith open("config.json") as f:\n    config = json.load(f)\nprint(config.get("timeout", 30))',
    'from collections import Counter\n\nwords = text.lower().split()\nfor word, count in Counter(words).most_common(5):\n    print(f"{word}: {count}")',
    'def is_prime(n):\n    if n < 2:\n        return False\n    return all(n % d for d in range(2, int(n ** 0.5) + 1))',
  ],
  javascript: [
    'const [user, posts] = await Promise.all([\n  fetch("/api/user").then((r) => r.json()),\n  fetch("/api/posts").then((r) => r.json()),\n])',
    'function debounce(fn, ms) {\n  let timer\n  return (...args) => {\n    clearTimeout(timer)\n    timer = setTimeout(() => fn(...args), ms)\n  }\n}',
    'const total = items\n  .filter((item) => item.active)\n  .reduce((sum, item) => sum + item.price, 0)',
    'document.querySelector("#save").addEventListener("click", () => {\n  localStorage.setItem("draft", editor.value)\n})',
  ],
  sql: [
    'SELECT customer_id, COUNT(*) AS orders\nFROM orders\nGROUP BY customer_id\nHAVING COUNT(*) > 3\nORDER BY orders DESC;',
    'SELECT c.name, o.total\nFROM customers AS c\nLEFT JOIN orders AS o ON o.customer_id = c.id;',
    'CREATE INDEX idx_orders_created ON orders (created_at);',
    'BEGIN;\nUPDATE accounts SET balance = balance - 100 WHERE id = 1;\nUPDATE accounts SET balance = balance + 100 WHERE id = 2;\nCOMMIT;',
  ],
  bash: [
    'ss -tlnp | grep 8080',
    'for f in *.jpeg; do\n  mv "$f" "${f%.jpeg}.jpg"\ndone',
    'df -h\ndu -sh ~/Downloads/*',
    'find . -name "*.log" -mtime +7 -delete',
  ],
}

/** Languages code blocks get when a topic names none. */
export const ANY_CODE = ['python', 'bash'] as const

export const MODELS: readonly string[] = [
  'gpt-4',
  'gpt-3.5-turbo',
  'bard',
  'llama-2-70b-chat',
  'llama-2-13b-chat',
  'llama-2-7b-chat',
  'wizardlm-70b',
  'wizardlm-13b',
  'wizardlm-7b',
  'vicuna-33b',
  'ultralm-65b',
  'ultralm-13b',
  'mpt-30b-chat',
  'falcon-40b-instruct',
  'starchat',
  'alpaca-7b',
  'pythia-12b',
]

export const SOURCES: readonly string[] = ['evol_instruct', 'sharegpt', 'flan_v2_niv2', 'flan_v2_cot', 'ultrachat', 'false_qa', 'truthful_qa', 'flan_v2_p3']

export const PRINCIPLES: readonly string[] = ['helpfulness', 'honesty', 'truthfulness', 'verbalized_calibration']

export const SYSTEM_PROMPTS: readonly string[] = [
  'You are a helpful assistant. Answer accurately and explain your reasoning briefly.',
  'As an AI assistant, make sure your answers are correct, useful and easy to follow.',
  'You are an honest assistant. If you are unsure, say so instead of guessing.',
  'Give answers that are factual and avoid speculation.',
  'Express how confident you are in your answer at the end of your reply.',
]

/** Rationales stay English in translated rows: only instructions and responses are translated. */
export const RATIONALES: Readonly<Record<number, readonly string[]>> = {
  1: ['The response does not address the task.', 'The answer contains serious factual errors.'],
  2: ['The response is only partly relevant and misses key points.', 'Several statements are inaccurate.'],
  3: ['The response is correct but incomplete.', 'Useful, though it lacks detail and examples.'],
  4: ['The response is accurate and helpful with minor gaps.', 'Clear and mostly complete.'],
  5: ['The response is accurate, complete and well organised.', 'Excellent answer that fully follows the instruction.'],
}
