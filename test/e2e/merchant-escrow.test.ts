// The merchant's escrow page in a real browser on the whole system: the real app serving the web
// build, a real anvil with the contracts, the pipeline (indexer, deposit worker, in-process nodes)
// and the response window closing by itself after 2 s. A merchant names its escrow account with a
// signature from it, sees a case its empty account could not cover flagged as owed but not
// escrowed, deposits on the embedded chain (the dev funder sends it) and watches the balance
// change; bad input is shown at its field. The claimant of the flagged case reads, on their case
// page, that the award is owed but not escrowed. The page in German formats ether the German way.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Wallet } from 'ethers';
import type { Page } from 'playwright-core';
import { ensureWebBuild } from '../../server/web/build.js';
import { readTimeline } from '../../server/cases/timeline.js';
import { responseComponent } from '../../server/cases/response-component.js';
import type { ComponentHandle } from '../../server/main.js';
import { accountMessage } from '../../server/merchants/escrow.js';
import { validRecords } from '../support/case-fixtures.js';
import { freshWallet, startPipelineFixture, until, type PipelineFixture } from '../integration/pipeline/pipeline-fixture.js';
import { launchBrowser, screenshot, type TestBrowser } from './support/browser.js';
import { checkAtBothWidths } from './support/axe.js';

let f: PipelineFixture;
let responses: ComponentHandle;
let browser: TestBrowser;
let baseUrl: string;
beforeAll(async () => {
  ensureWebBuild();
  // A long challenge window: the owed case stays open (and listed) while the browser works on a busy machine.
  f = await startPipelineFixture({ config: { challengeWindow: 600 }, env: { WEB: 'on', CASE_RESPONSE_SECONDS: '2' } });
  responses = await responseComponent.start({ config: f.t.config, db: f.t.app.db, redis: f.redis, queues: f.queues, chain: f.chain, say: () => {} });
  await f.t.app.listen({ port: 0, host: '127.0.0.1' });
  const address = f.t.app.server.address();
  baseUrl = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  browser = await launchBrowser();
}, 600_000);
afterAll(async () => {
  await browser?.close();
  await responses?.stop();
  await f?.stop();
});

const types = (caseId: string) => readTimeline(f.t.app.db, caseId).map((e) => e.type);
const text = async (page: Page, testId: string) => ((await page.getByTestId(testId).textContent()) ?? '').trim();
const errorAt = async (page: Page, field: string) => ((await page.locator(`[data-error-for="${field}"]`).textContent()) ?? '').trim();

async function signIn(page: Page, apiKey: string, name: string, title = `Cases against ${name}`) {
  await page.goto(`${baseUrl}/merchant`);
  await page.locator('#f-api-key').fill(apiKey);
  await page.locator('button[value="signin"]').click();
  await page.getByRole('heading', { name: title }).waitFor({ timeout: 60_000 });
}

describe('The merchant escrow page, on the whole pipeline', () => {
  it('a merchant names its escrow account, sees an uncovered case flagged, deposits on the embedded chain and sees the balance change; bad input is shown at its field; the claimant reads that the award is owed but not escrowed', { timeout: 600_000 }, async () => {
    const m = (await f.t.app.inject({ method: 'POST', url: '/v1/merchants', headers: { authorization: `Bearer ${f.t.adminToken}` }, payload: { name: 'Escrow Shop GmbH' } })).json<{ id: string; apiKey: string }>();
    const page = await (await browser.context()).newPage();
    await signIn(page, m.apiKey, 'Escrow Shop GmbH');
    expect(await text(page, 'escrow-summary')).toContain('Escrow: no account named yet.');
    await page.getByRole('link', { name: 'Escrow details' }).click();
    await page.getByRole('heading', { name: 'Escrow', exact: true }).waitFor({ timeout: 60_000 });
    expect(await text(page, 'escrow-no-account')).toContain('You have not named an escrow account yet');
    // The text to sign is the API's, with the merchant's own id.
    expect(await text(page, 'escrow-message')).toBe(accountMessage(m.id, '<address>'));
    // No deposit before an account is named.
    expect(await page.getByRole('button', { name: 'Get the deposit transaction' }).isDisabled()).toBe(true);

    // Naming it: another key's signature is refused at the signature field; its own is taken.
    const wallet = Wallet.createRandom();
    const stranger = Wallet.createRandom();
    await page.getByLabel('Account address').fill(wallet.address);
    await page.getByLabel('Signature of the text by that account').fill(await stranger.signMessage(accountMessage(m.id, wallet.address)));
    await page.getByRole('button', { name: 'Name this account' }).click();
    await page.locator('[data-error-for="signature"]:not(:empty)').waitFor({ timeout: 60_000 });
    expect(await errorAt(page, 'signature')).toBe('This is not that address’s signature of the text above.');
    expect(await errorAt(page, 'address')).toBe('');
    expect(await page.getByLabel('Signature of the text by that account').getAttribute('aria-invalid')).toBe('true');
    await page.getByLabel('Account address').fill('0x12');
    await page.getByRole('button', { name: 'Name this account' }).click();
    await page.locator('[data-error-for="address"]:not(:empty)').waitFor({ timeout: 60_000 });
    expect(await errorAt(page, 'address')).toContain('0x and 40 hexadecimal digits');
    await page.getByLabel('Account address').fill(wallet.address);
    await page.getByLabel('Signature of the text by that account').fill(await wallet.signMessage(accountMessage(m.id, wallet.address)));
    await page.getByRole('button', { name: 'Name this account' }).click();
    await page.getByTestId('escrow-named').waitFor({ timeout: 60_000 });
    expect(await text(page, 'escrow-account')).toBe(wallet.address.toLowerCase());
    expect(await text(page, 'escrow-balance')).toBe('0 ETH');

    // A case filed against the merchant while its account is empty opens owed but not escrowed.
    const owed = await f.file({ ...validRecords.visaFraud, claimant: { ...validRecords.visaFraud.claimant, wallet: freshWallet() }, respondent: { merchantId: m.id } });
    await until(() => types(owed.id).includes('award_not_escrowed'), () => `the case to open on chain; timeline ${types(owed.id).join(' → ')}`, 240_000, 250);
    await page.reload();
    await page.getByTestId('escrow-case').waitFor({ timeout: 60_000 });
    expect(await page.getByTestId('escrow-case').getAttribute('data-funding')).toBe('owed_not_escrowed');
    expect(await page.getByTestId('escrow-case').textContent()).toContain('Owed, not escrowed');
    expect(await text(page, 'escrow-owed')).toContain('One case is owed but not escrowed');

    // Bad amounts, at the amount field: one the page cannot read, one the service refuses (/amount).
    for (const bad of ['ten', '0']) {
      await page.getByLabel('Amount (ETH)').fill(bad);
      await page.getByRole('button', { name: 'Get the deposit transaction' }).click();
      await page.locator('[data-error-for="amount"]:not(:empty)').waitFor({ timeout: 60_000 });
      expect(await errorAt(page, 'amount'), bad).toBe('Enter an amount of ether greater than 0, at most 10¹² ETH, with up to 18 decimals.');
      expect(await page.getByLabel('Amount (ETH)').getAttribute('aria-invalid')).toBe('true');
      expect(await page.getByLabel('Amount (ETH)').inputValue()).toBe(bad);
      await page.reload();
    }

    // A deposit on the embedded chain: the transaction to sign, sent by the dev funder; the page
    // re-reads itself until the balance moves.
    await page.getByLabel('Amount (ETH)').fill('1.5');
    await page.getByRole('button', { name: 'Get the deposit transaction' }).click();
    const result = page.getByTestId('escrow-deposit-result');
    await result.waitFor({ timeout: 60_000 });
    const shown = (await result.textContent()) ?? '';
    expect(shown).toContain('the development account is sending this deposit of 1.5 ETH');
    expect(shown).toContain('1500000000000000000 wei');
    const api = (await f.t.app.inject({ url: '/v1/merchants/me/escrow', headers: { authorization: `Bearer ${m.apiKey}` } })).json<{ contract: string }>();
    expect(shown).toContain(api.contract);
    await page.locator('[data-testid="escrow-balance"]:text-is("1.5 ETH")').waitFor({ timeout: 120_000 });
    expect(await text(page, 'escrow-deposit-arrived')).toBe('The deposit arrived: your balance is now 1.5 ETH.');
    expect(await text(page, 'escrow-free')).toBe('1.5 ETH');
    expect(await text(page, 'escrow-reserved')).toBe('0 ETH');
    await checkAtBothWidths(page, 'merchant-escrow');

    // The cases page sums it up.
    await page.getByRole('link', { name: 'Cases', exact: true }).click();
    await page.getByTestId('escrow-summary').waitFor({ timeout: 60_000 });
    expect(await text(page, 'escrow-summary')).toContain('Escrow: 1.5 ETH free of 1.5 ETH. One case is owed but not escrowed.');

    // The claimant of the flagged case reads it plainly on the case page, with the verdict.
    await f.waitFor(owed.id, 'proposed', 240_000);
    const claimant = await (await browser.context()).newPage();
    await claimant.goto(`${baseUrl}/c#${owed.accessToken}`);
    await claimant.waitForURL(`${baseUrl}/case/${owed.id}`, { timeout: 60_000 });
    await claimant.getByTestId('verdict').waitFor({ timeout: 60_000 });
    expect(await text(claimant, 'owed-not-escrowed')).toMatch(/^Owed but not escrowed: .+Arbiter cannot pay it to you\.$/);
    expect(await claimant.getByText('Award owed but not escrowed', { exact: true }).count()).toBe(1);
    await checkAtBothWidths(claimant, 'case-owed-not-escrowed');

    // In German: the same figures, ether formatted the German way.
    const de = await (await browser.context({ locale: 'de-DE' })).newPage();
    await signIn(de, m.apiKey, 'Escrow Shop GmbH', 'Fälle gegen Escrow Shop GmbH');
    await de.goto(`${baseUrl}/merchant/escrow`);
    await de.getByRole('heading', { name: 'Hinterlegung', exact: true }).waitFor({ timeout: 60_000 });
    expect(await text(de, 'escrow-balance')).toBe('1,5 ETH');
    expect(await de.getByTestId('escrow-case').textContent()).toContain('Geschuldet, nicht hinterlegt');
    await de.getByLabel('Betrag (ETH)').fill('0');
    await de.getByRole('button', { name: 'Einzahlungs-Transaktion erstellen' }).click();
    await de.locator('[data-error-for="amount"]:not(:empty)').waitFor({ timeout: 60_000 });
    expect(await errorAt(de, 'amount')).toContain('Ether-Betrag über 0');
    await screenshot(de, 'merchant-escrow-de-desktop');
  });

  it('only the signed-in merchant reaches its escrow page: no session is sent to sign in, and another merchant sees its own account only', { timeout: 300_000 }, async () => {
    const a = (await f.t.app.inject({ method: 'POST', url: '/v1/merchants', headers: { authorization: `Bearer ${f.t.adminToken}` }, payload: { name: 'Owner Shop' } })).json<{ id: string; apiKey: string }>();
    const wallet = Wallet.createRandom();
    const named = await f.t.app.inject({ method: 'PUT', url: '/v1/merchants/me/escrow/account', headers: { authorization: `Bearer ${a.apiKey}` }, payload: { address: wallet.address, signature: await wallet.signMessage(accountMessage(a.id, wallet.address)) } });
    expect(named.statusCode, named.body).toBe(200);
    // Signed out: reading and depositing both send the visitor to sign in; nothing is queued.
    const read = await fetch(`${baseUrl}/merchant/escrow`, { redirect: 'manual' });
    expect(read.status).toBe(302);
    expect(read.headers.get('location')).toBe('/merchant');
    const post = await fetch(`${baseUrl}/merchant/escrow`, { method: 'POST', redirect: 'manual', headers: { origin: baseUrl }, body: new URLSearchParams({ intent: 'deposit', amount: '1' }) });
    expect(post.status).toBe(302);
    expect(post.headers.get('location')).toBe('/merchant');
    // Another merchant's session shows that merchant's (unnamed) account, never this one.
    const b = (await f.t.app.inject({ method: 'POST', url: '/v1/merchants', headers: { authorization: `Bearer ${f.t.adminToken}` }, payload: { name: 'Nosy Shop' } })).json<{ id: string; apiKey: string }>();
    const page = await (await browser.context()).newPage();
    await signIn(page, b.apiKey, 'Nosy Shop');
    await page.goto(`${baseUrl}/merchant/escrow`);
    await page.getByTestId('escrow-no-account').waitFor({ timeout: 60_000 });
    expect(await page.content()).not.toContain(wallet.address.toLowerCase());
    expect(await text(page, 'escrow-message')).toBe(accountMessage(b.id, '<address>'));
  });
});
