// Dates, times and amounts in the reader's language (Intl), never hand-built strings.

export function money(lang: string, amount: number, currency: string): string {
  try {
    return new Intl.NumberFormat(lang, { style: 'currency', currency }).format(amount);
  } catch {
    return `${amount} ${currency}`;
  }
}

/** An ISO instant with its own offset, shown as the wall-clock time it names (the airport's). */
export function wallTime(lang: string, iso: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})/.exec(iso);
  if (!m) return iso;
  const at = new Date(Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5]));
  const offset = /([+-]\d{2}:\d{2}|Z)$/.exec(iso)?.[1] ?? '';
  const text = new Intl.DateTimeFormat(lang, { dateStyle: 'medium', timeStyle: 'short', timeZone: 'UTC' }).format(at);
  return `${text} (UTC${offset === 'Z' ? '' : offset})`;
}

/**
 * An instant (timeline entries, deadlines), in UTC and saying so: the server renders the page and
 * the browser takes it over, so both must print the same text whatever their own zones.
 */
export function instant(lang: string, iso: string): string {
  return new Intl.DateTimeFormat(lang, { day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit', timeZone: 'UTC', timeZoneName: 'short' }).format(new Date(iso));
}

/** A calendar date `YYYY-MM-DD`. */
export function calendarDate(lang: string, date: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!m) return date;
  return new Intl.DateTimeFormat(lang, { dateStyle: 'long', timeZone: 'UTC' }).format(new Date(Date.UTC(+m[1], +m[2] - 1, +m[3])));
}

/** An amount of wei (a decimal string) in ether, exact, as the chain counts it: "0.01 ETH". */
export function ether(lang: string, wei: string): string {
  const v = BigInt(wei);
  const whole = v / 10n ** 18n;
  const frac = (v % 10n ** 18n).toString().padStart(18, '0').replace(/0+$/, '');
  const sep = new Intl.NumberFormat(lang).formatToParts(1.5).find((p) => p.type === 'decimal')?.value ?? '.';
  return `${new Intl.NumberFormat(lang).format(whole)}${frac ? sep + frac : ''} ETH`;
}
