// The model cards' plain explanations in the page's language. A verdict carries its explanation in
// English, as the card writes it (server/verdicts/assemble.ts: one or two sentences, `{amount}`
// filled in). Each card sentence has its translation here; a verdict's explanation is matched
// sentence by sentence and the amount is written again in the reader's format. A sentence with no
// translation stays in English (a new card sentence shows up untranslated, never wrong).
// Server only: the table never ships to the browser.
import type { Lang } from './languages.js';
import { money } from '../lib/format.js';

const de: Record<string, string> = {
  'The record shows no arrival at the final destination, so the delay cannot be measured; a person will review the case.':
    'Die Angaben zeigen keine Ankunft am Endziel, daher lässt sich die Verspätung nicht messen; ein Mensch prüft den Fall.',
  'The flight reached its final destination less than three hours late, below the three-hour threshold for compensation.':
    'Der Flug erreichte sein Endziel weniger als drei Stunden verspätet, unter der Schwelle von drei Stunden für eine Entschädigung.',
  'The cause the airline gave is an extraordinary circumstance, so no compensation is owed.':
    'Der von der Fluggesellschaft genannte Grund ist ein außergewöhnlicher Umstand, daher ist keine Entschädigung geschuldet.',
  'Your flight arrived three hours or more late and the airline gave no extraordinary circumstance, so you are owed {amount}.':
    'Ihr Flug kam drei Stunden oder mehr verspätet an und die Fluggesellschaft hat keinen außergewöhnlichen Umstand genannt, daher stehen Ihnen {amount} zu.',
  'The amount is halved because the arrival was late by no more than the limit of article 7(2).':
    'Der Betrag ist halbiert, weil die Ankunft die Grenze von Artikel 7 Absatz 2 nicht überschritt.',
  'The airline announced the cancellation at least 14 days before departure, so no compensation is owed.':
    'Die Fluggesellschaft hat die Annullierung mindestens 14 Tage vor Abflug angekündigt, daher ist keine Entschädigung geschuldet.',
  'The cancellation was announced 7 to 13 days ahead and the replacement flight kept within the permitted times, so no compensation is owed.':
    'Die Annullierung wurde 7 bis 13 Tage vorher angekündigt und der Ersatzflug blieb innerhalb der erlaubten Zeiten, daher ist keine Entschädigung geschuldet.',
  'The cancellation was announced less than 7 days ahead but the replacement flight kept within the permitted times, so no compensation is owed.':
    'Die Annullierung wurde weniger als 7 Tage vorher angekündigt, aber der Ersatzflug blieb innerhalb der erlaubten Zeiten, daher ist keine Entschädigung geschuldet.',
  'Your flight was cancelled without the required notice or a suitable replacement, so you are owed {amount}.':
    'Ihr Flug wurde ohne die vorgeschriebene Ankündigung oder einen passenden Ersatzflug annulliert, daher stehen Ihnen {amount} zu.',
  'You gave up your seat voluntarily, so denied-boarding compensation does not apply.':
    'Sie haben Ihren Platz freiwillig aufgegeben, daher gilt die Entschädigung für Nichtbeförderung nicht.',
  'Boarding was refused on reasonable grounds (health, safety, security or travel documents), so no compensation is owed.':
    'Die Beförderung wurde aus vertretbaren Gründen verweigert (Gesundheit, Sicherheit, Gefahrenabwehr oder Reisedokumente), daher ist keine Entschädigung geschuldet.',
  'You were denied boarding against your will, so you are owed {amount}.': 'Ihnen wurde die Beförderung gegen Ihren Willen verweigert, daher stehen Ihnen {amount} zu.',
  'The regulation does not cover this journey: it neither departs from the EU/EEA/Switzerland nor arrives there with a carrier the regulation binds.':
    'Die Verordnung erfasst diese Reise nicht: Sie beginnt weder in der EU, im EWR oder in der Schweiz, noch endet sie dort mit einer Fluggesellschaft, die an die Verordnung gebunden ist.',
  'A bird strike (a collision with a bird, and the checks it makes necessary) is an extraordinary circumstance, so no compensation is owed.':
    'Ein Vogelschlag (der Zusammenstoß mit einem Vogel und die nötigen Prüfungen danach) ist ein außergewöhnlicher Umstand, daher ist keine Entschädigung geschuldet.',
  'Debris on the runway damaging the aircraft is an extraordinary circumstance, so no compensation is owed.':
    'Fremdkörper auf der Startbahn, die das Flugzeug beschädigen, sind ein außergewöhnlicher Umstand, daher ist keine Entschädigung geschuldet.',
  'A hidden manufacturing defect revealed by the manufacturer or an authority, sabotage or terrorism is an extraordinary circumstance, so no compensation is owed.':
    'Ein vom Hersteller oder einer Behörde aufgedeckter verborgener Fabrikationsfehler, Sabotage oder Terrorismus ist ein außergewöhnlicher Umstand, daher ist keine Entschädigung geschuldet.',
  'Volcanic ash closing the airspace is an extraordinary circumstance, so no compensation is owed.':
    'Vulkanasche, die den Luftraum schließt, ist ein außergewöhnlicher Umstand, daher ist keine Entschädigung geschuldet.',
  "A general failure of the airport's fuel supply is an extraordinary circumstance, so no compensation is owed.":
    'Ein allgemeiner Ausfall der Treibstoffversorgung des Flughafens ist ein außergewöhnlicher Umstand, daher ist keine Entschädigung geschuldet.',
  'A disruptive passenger who forced a diversion or had to be offloaded is an extraordinary circumstance, so no compensation is owed.':
    'Ein störender Fluggast, der eine Umleitung erzwang oder von Bord gebracht werden musste, ist ein außergewöhnlicher Umstand, daher ist keine Entschädigung geschuldet.',
  'A closure of the airport or airspace, a security risk or political unrest is an extraordinary circumstance, so no compensation is owed.':
    'Eine Schließung des Flughafens oder Luftraums, ein Sicherheitsrisiko oder politische Unruhen sind ein außergewöhnlicher Umstand, daher ist keine Entschädigung geschuldet.',
  'A strike by people who do not work for the airline (for example airport or public-sector staff) is an extraordinary circumstance, so no compensation is owed.':
    'Ein Streik von Personen, die nicht für die Fluggesellschaft arbeiten (etwa Flughafen- oder Behördenpersonal), ist ein außergewöhnlicher Umstand, daher ist keine Entschädigung geschuldet.',
  "A restriction or strike of air traffic control is an extraordinary circumstance outside the airline's control, so no compensation is owed.":
    'Eine Beschränkung oder ein Streik der Flugsicherung ist ein außergewöhnlicher Umstand außerhalb des Einflusses der Fluggesellschaft, daher ist keine Entschädigung geschuldet.',
  'Bad weather that made the flight unsafe (such as a storm, snow, fog or a lightning strike) is an extraordinary circumstance, so no compensation is owed.':
    'Schlechtes Wetter, das den Flug unsicher machte (etwa Sturm, Schnee, Nebel oder ein Blitzeinschlag), ist ein außergewöhnlicher Umstand, daher ist keine Entschädigung geschuldet.',
  'Boarding was refused because your travel documents were missing or not valid for the trip, a reasonable ground, so no compensation is owed.':
    'Die Beförderung wurde verweigert, weil Ihre Reisedokumente fehlten oder für die Reise nicht gültig waren, ein vertretbarer Grund, daher ist keine Entschädigung geschuldet.',
  'Boarding was refused for a security reason concerning you, a reasonable ground, so no compensation is owed.':
    'Die Beförderung wurde aus einem Sicherheitsgrund verweigert, der Sie betrifft, ein vertretbarer Grund, daher ist keine Entschädigung geschuldet.',
  'Boarding was refused because of your conduct (for example intoxication or aggression), a safety ground, so no compensation is owed.':
    'Die Beförderung wurde wegen Ihres Verhaltens verweigert (etwa Trunkenheit oder Aggression), ein Sicherheitsgrund, daher ist keine Entschädigung geschuldet.',
  'Boarding was refused because of your health or fitness to fly, a reasonable ground, so no compensation is owed.':
    'Die Beförderung wurde wegen Ihrer Gesundheit oder Flugtauglichkeit verweigert, ein vertretbarer Grund, daher ist keine Entschädigung geschuldet.',
  'The regulation does not cover this journey: it neither departs from the UK nor arrives there with a carrier the regulation binds.':
    'Die Verordnung erfasst diese Reise nicht: Sie beginnt weder im Vereinigten Königreich, noch endet sie dort mit einer Fluggesellschaft, die an die Verordnung gebunden ist.',
  'No airport of this journey is in the United States, so the DOT refund rule does not apply.':
    'Kein Flughafen dieser Reise liegt in den Vereinigten Staaten, daher gilt die Erstattungsregel des US-Verkehrsministeriums (DOT) nicht.',
  'Denied boarding falls under a different DOT rule (part 250) that this model does not decide; a person will review the case.':
    'Nichtbeförderung fällt unter eine andere DOT-Regel (Teil 250), über die dieses Modell nicht entscheidet; ein Mensch prüft den Fall.',
  'You travelled on the changed or alternative flight, which accepts it, so no refund is owed.':
    'Sie sind mit dem geänderten oder dem Ersatzflug gereist und haben ihn damit angenommen, daher ist keine Erstattung geschuldet.',
  'The airline cancelled the flight and you did not travel, so you are owed a refund of your fare, {amount}.':
    'Die Fluggesellschaft hat den Flug annulliert und Sie sind nicht gereist, daher steht Ihnen die Erstattung Ihres Flugpreises zu: {amount}.',
  'The record does not say how the flight was changed, so the change cannot be measured; a person will review the case.':
    'Die Angaben sagen nicht, wie der Flug geändert wurde, daher lässt sich die Änderung nicht messen; ein Mensch prüft den Fall.',
  'The flight was changed significantly (departing or arriving at least 3 hours off, 6 for international trips) and you did not travel, so you are owed a refund of your fare, {amount}.':
    'Der Flug wurde erheblich geändert (Abflug oder Ankunft mindestens 3 Stunden verschoben, bei internationalen Reisen 6) und Sie sind nicht gereist, daher steht Ihnen die Erstattung Ihres Flugpreises zu: {amount}.',
  'The change to the flight was less than the significant-change threshold, so no refund is owed.':
    'Die Änderung des Flugs lag unter der Schwelle einer erheblichen Änderung, daher ist keine Erstattung geschuldet.',
  'The dispute was raised more than 120 days after the date the Visa time limit counts from, so it is too late.':
    'Die Reklamation wurde mehr als 120 Tage nach dem Tag erhoben, ab dem die Visa-Frist zählt, und kommt daher zu spät.',
  'The merchant has already refunded this purchase, so nothing more is owed.': 'Der Händler hat diesen Kauf bereits erstattet, daher ist nichts weiter geschuldet.',
  'The card was used without being present, without a 3-D Secure check and without earlier undisputed purchases that tie it to you, so {amount} is returned to you.':
    'Die Karte wurde ohne Vorlage, ohne 3-D-Secure-Prüfung und ohne frühere unbestrittene Käufe, die sie Ihnen zuordnen, verwendet, daher erhalten Sie {amount} zurück.',
  'The card was present at the purchase, so this is not a card-absent fraud dispute.':
    'Die Karte lag beim Kauf vor, daher ist dies kein Betrugsfall ohne Kartenvorlage.',
  'The purchase went through 3-D Secure, which moves fraud liability from the merchant to the card issuer.':
    'Der Kauf lief über 3-D Secure, wodurch die Haftung für Betrug vom Händler auf die kartenausgebende Bank übergeht.',
  'The merchant showed at least two earlier undisputed purchases from the same device or internet address (Visa Compelling Evidence 3.0), so the fraud claim fails.':
    'Der Händler hat mindestens zwei frühere unbestrittene Käufe vom selben Gerät oder derselben Internetadresse nachgewiesen (Visa Compelling Evidence 3.0), daher greift der Betrugsvorwurf nicht.',
  'You were charged twice for the same order and amount, so {amount} is returned to you.':
    'Ihnen wurde dieselbe Bestellung mit demselben Betrag zweimal berechnet, daher erhalten Sie {amount} zurück.',
  'The two charges differ in amount or order, so they are separate purchases, not a duplicate.':
    'Die beiden Belastungen unterscheiden sich in Betrag oder Bestellung, es sind also getrennte Käufe und keine doppelte Belastung.',
  'The expected delivery date has passed and the merchant has no proof of delivery, so {amount} is returned to you.':
    'Das erwartete Lieferdatum ist verstrichen und der Händler hat keinen Liefernachweis, daher erhalten Sie {amount} zurück.',
  'The dispute was raised before the expected delivery date had passed, which is too early.':
    'Die Reklamation wurde erhoben, bevor das erwartete Lieferdatum verstrichen war, und kommt daher zu früh.',
  'The merchant has proof that the goods or services were delivered.': 'Der Händler hat einen Nachweis, dass die Waren oder Leistungen geliefert wurden.',
  'You cancelled the recurring payment before this charge, so {amount} is returned to you.':
    'Sie haben die wiederkehrende Zahlung vor dieser Belastung gekündigt, daher erhalten Sie {amount} zurück.',
  'The recurring payment was not cancelled before this charge was made.': 'Die wiederkehrende Zahlung wurde vor dieser Belastung nicht gekündigt.',
  'The goods were not as described and you returned them or tried to, so {amount} is returned to you.':
    'Die Ware entsprach nicht der Beschreibung und Sie haben sie zurückgeschickt oder es versucht, daher erhalten Sie {amount} zurück.',
  'The goods were neither returned nor offered back to the merchant, which this dispute requires.':
    'Die Ware wurde dem Händler weder zurückgeschickt noch zur Rücknahme angeboten, was diese Reklamation voraussetzt.',
  'The merchant owes you a refund it has not processed, so {amount} is returned to you.':
    'Der Händler schuldet Ihnen eine Erstattung, die er nicht ausgeführt hat, daher erhalten Sie {amount} zurück.',
  'Neither a return nor a cancellation outside the merchant’s policy entitles you to a refund.':
    'Weder eine Rücksendung noch eine Stornierung außerhalb der Bedingungen des Händlers berechtigt Sie zu einer Erstattung.',
  'You cancelled and the merchant’s disclosed policy does not let it keep the money, so {amount} is returned to you.':
    'Sie haben storniert und die offengelegten Bedingungen des Händlers erlauben ihm nicht, das Geld zu behalten, daher erhalten Sie {amount} zurück.',
  'The merchant disclosed its cancellation policy, and that policy lets it keep the money for this cancellation.':
    'Der Händler hat seine Stornobedingungen offengelegt, und nach ihnen darf er das Geld für diese Stornierung behalten.',
  'There is no record that you cancelled the order.': 'Es ist nicht belegt, dass Sie die Bestellung storniert haben.',
  'The dispute was raised after the Mastercard time limit (120 days, or 90 for duplicates and authorization disputes), so it is too late.':
    'Die Reklamation wurde nach Ablauf der Mastercard-Frist erhoben (120 Tage, bei doppelten Belastungen und Autorisierungsfragen 90), und kommt daher zu spät.',
  'The purchase was not authorized by you and had no 3-D Secure check, so {amount} is returned to you.':
    'Sie haben den Kauf nicht autorisiert und er lief ohne 3-D-Secure-Prüfung, daher erhalten Sie {amount} zurück.',
  'The card was present, and the record cannot show how it was read (chip, PIN or keyed), so a person will review this.':
    'Die Karte lag vor, und die Angaben zeigen nicht, wie sie gelesen wurde (Chip, PIN oder eingetippt), daher prüft ein Mensch den Fall.',
  'The merchant received your return but has not refunded you, so {amount} is returned to you.':
    'Der Händler hat Ihre Rücksendung erhalten, Ihnen aber nichts erstattet, daher erhalten Sie {amount} zurück.',
  'The goods were not as described and you tried to return them, so {amount} is returned to you.':
    'Die Ware entsprach nicht der Beschreibung und Sie haben versucht, sie zurückzugeben, daher erhalten Sie {amount} zurück.',
  'The merchant has no proof that the goods or services were provided, so {amount} is returned to you.':
    'Der Händler hat keinen Nachweis, dass die Waren oder Leistungen erbracht wurden, daher erhalten Sie {amount} zurück.',
  'The merchant has proof that the goods or services were provided.': 'Der Händler hat einen Nachweis, dass die Waren oder Leistungen erbracht wurden.',
  'Authorization disputes need authorization data the case record does not carry, so a person will review this.':
    'Autorisierungsfragen brauchen Autorisierungsdaten, die der Fall nicht enthält, daher prüft ein Mensch den Fall.',
};

const tables: Partial<Record<Lang, Record<string, string>>> = { de };
const english: Record<string, string> = Object.fromEntries(Object.keys(de).map((en) => [en, en]));

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
/** Each English sentence as a pattern: `{amount}` matches whatever amount the verdict wrote there. */
const patterns = Object.keys(de).map((en) => ({ en, re: new RegExp(`^${escape(en).replace(escape('{amount}'), '(.+)')}$`) }));

/** The card's sentences of one explanation (they end with a full stop and a space). */
const sentences = (text: string) => text.split(/(?<=\.) (?=[A-Z])/);

/** An explanation template of a card (with `{amount}`, shown as "…") in `lang`. */
export function localizeExplanation(template: string, lang: Lang): string {
  const table = tables[lang];
  if (!table) return template.replaceAll('{amount}', '…');
  return sentences(template)
    .map((s) => table[s] ?? s)
    .join(' ')
    .replaceAll('{amount}', '…');
}

export interface VerdictLike {
  outcome: string;
  award: { amount: number; currency: string } | null;
  explanation: string;
  grounds: string[];
  model?: { id: string; root?: string };
}

/** A verdict with its explanation in `lang`, the amount in that language's format. */
export function localizeVerdict<V extends VerdictLike>(verdict: V, lang: Lang): V {
  // English keeps the card's words; only the amount is written again in the reader's format.
  const table = tables[lang] ?? english;
  const amount = verdict.award ? money(lang, verdict.award.amount, verdict.award.currency) : '';
  const text = sentences(verdict.explanation)
    .map((s) => {
      const hit = table[s] ? { en: s } : patterns.find((p) => p.re.test(s));
      return hit ? table[hit.en].replaceAll('{amount}', amount) : s;
    })
    .join(' ');
  return { ...verdict, explanation: text };
}
