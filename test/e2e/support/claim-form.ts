// Filling the portal's claim form the way a person does: by labels and roles.
import type { Page } from 'playwright-core';

/** LH400 FRA→JFK, 4 h 25 late at the door, a technical fault: EU261 band c in full, €600. */
export async function fillFlightDelay(page: Page, opts: { lang?: 'en' | 'de' } = {}): Promise<void> {
  const de = opts.lang === 'de';
  await page.getByLabel(de ? 'Ausführende Fluggesellschaft' : 'Airline that operated the flight').fill('LH');
  await page.getByLabel(de ? 'Von' : 'From', { exact: true }).fill('FRA');
  await page.getByLabel(de ? 'Nach' : 'To', { exact: true }).fill('JFK');
  await page.getByLabel(de ? 'Flugnummer' : 'Flight number').fill('LH400');
  await page.getByLabel(de ? 'Er kam verspätet an' : 'It arrived late').check();
  await page.getByLabel(de ? 'Planmäßiger Abflug (erster Flug)' : 'Scheduled departure (first flight)').fill('2026-03-01T10:00');
  await page.getByLabel(de ? 'Planmäßige Ankunft am Endziel' : 'Scheduled arrival at your final destination').fill('2026-03-01T12:45');
  await page.getByLabel(de ? 'Tatsächliche Ankunft am Endziel' : 'Actual arrival at your final destination').fill('2026-03-01T17:10');
  await page.getByLabel(de ? 'Welchen Grund hat die Fluggesellschaft genannt?' : 'What did the airline say caused it?').fill('technical fault with the aircraft');
  await page.getByLabel(de ? 'Ihr vollständiger Name' : 'Your full name').fill('A. Passenger');
  await page.getByLabel(de ? 'Ihre E-Mail-Adresse' : 'Your email address').fill('a.passenger@example.org');
}

/** The error line under a field (empty when the field is fine). */
export async function errorAt(page: Page, field: string): Promise<string> {
  return (await page.locator(`[data-error-for="${field}"]`).textContent())?.trim() ?? '';
}
