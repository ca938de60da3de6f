import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { screenshot } from './support/browser.js';
import { errorAt, fillFlightDelay } from './support/claim-form.js';
import { startWebStack, type WebStack } from './support/stack.js';

let stack: WebStack;
beforeAll(async () => {
  stack = await startWebStack();
}, 600_000);
afterAll(async () => stack?.close());

describe('The portal in German', () => {
  it('speaks German to a German browser, formats amounts the German way, and words errors in German', async () => {
    const context = await stack.browser.context({ locale: 'de-DE' });
    const page = await context.newPage();
    await page.goto(stack.baseUrl);
    expect(await page.locator('html').getAttribute('lang')).toBe('de');
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Bekommen Sie, was Ihnen nach den Regeln zusteht');
    expect(await page.getByRole('button', { name: 'Deutsch' }).getAttribute('aria-pressed')).toBe('true');
    await screenshot(page, 'portal-de-desktop');

    await fillFlightDelay(page, { lang: 'de' });
    await page.getByLabel('Ihre E-Mail-Adresse').fill('kein-at-zeichen');
    await page.getByRole('button', { name: 'Entscheidung vorab ansehen' }).click();
    await page.locator('[data-error-for="claimant.email"]:not(:empty)').waitFor({ timeout: 60_000 });
    expect(await errorAt(page, 'claimant.email')).toBe('Bitte eine gültige E-Mail-Adresse angeben.');

    await page.getByLabel('Ihre E-Mail-Adresse').fill('a.passenger@example.org');
    await page.getByRole('button', { name: 'Entscheidung vorab ansehen' }).click();
    const preview = page.getByTestId('preview');
    await preview.waitFor({ timeout: 60_000 });
    const text = (await preview.textContent()) ?? '';
    expect(text).toContain('Vorschau – keine Entscheidung');
    // German number and currency format: 600,00 €.
    expect(text).toMatch(/Sieht nach einem Anspruch aus: 600,00\s€ nach EU261/);
    // The model's explanation in German too (the card's sentence, translated; the amount in German format).
    expect(text).toMatch(/Ihr Flug kam drei Stunden oder mehr verspätet an und die Fluggesellschaft hat keinen außergewöhnlichen Umstand genannt, daher stehen Ihnen 600,00\s€ zu\./);
    await screenshot(page, 'portal-de-preview-desktop');
    await context.close();
  });

  it('switches language with the language buttons, and remembers the choice', async () => {
    const context = await stack.browser.context({ locale: 'en-GB' });
    const page = await context.newPage();
    await page.goto(`${stack.baseUrl}/models`);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Decision models');
    await page.getByRole('button', { name: 'Deutsch' }).click();
    await page.getByRole('heading', { level: 1, name: 'Entscheidungsmodelle' }).waitFor({ timeout: 60_000 });
    expect(new URL(page.url()).pathname).toBe('/models');
    await page.goto(stack.baseUrl);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Bekommen Sie, was Ihnen nach den Regeln zusteht');
    await page.getByRole('button', { name: 'English' }).click();
    await page.getByRole('heading', { level: 1, name: 'Get what the rules say you are owed' }).waitFor({ timeout: 60_000 });
    await context.close();
  });

  it('shows the verdict’s explanation in German on a German case page', async () => {
    const { decideCase } = await import('../../server/verdicts/decide.js');
    const { validRecords } = await import('../support/case-fixtures.js');
    const filed = stack.test.services.cases.file(validRecords.eu261Delay, { kind: 'anonymous' });
    const decided = await decideCase(filed.record);
    if (!decided.ok) throw new Error(decided.error.message);
    stack.test.services.cases.startExecution(filed.id);
    stack.test.services.cases.proposeVerdict(filed.id, { data: { verdict: decided.verdict } });
    const context = await stack.browser.context({ locale: 'de-DE' });
    const page = await context.newPage();
    await page.goto(`${stack.baseUrl}/c#${filed.accessToken}`);
    await page.getByTestId('verdict').waitFor({ timeout: 60_000 });
    expect(await page.getByTestId('verdict-explanation').textContent()).toMatch(/^Ihr Flug kam drei Stunden oder mehr verspätet an .+ daher stehen Ihnen 300,00\s€ zu\. Der Betrag ist halbiert, weil .+\.$/);
    await screenshot(page, 'case-de-desktop');
    await context.close();
  });
});
