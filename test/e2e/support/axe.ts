// axe-core in the page: the serious and critical violations only (what the browser tests forbid).
import axe from 'axe-core';
import type { Page } from 'playwright-core';
import { expect } from 'vitest';
import { screenshot } from './browser.js';

export interface Violation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[] }[];
}

export async function seriousViolations(page: Page): Promise<Violation[]> {
  await page.addScriptTag({ content: axe.source });
  const result = (await page.evaluate(() =>
    (window as unknown as { axe: typeof axe }).axe.run(document, { resultTypes: ['violations'] }),
  )) as { violations: Violation[] };
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.slice(0, 3).map((n) => ({ target: n.target })) }));
}

/**
 * Checks a page at desktop width and at 375 px: no serious axe violation, no sideways scroll, a
 * screenshot of each; leaves the page at desktop width.
 */
export async function checkAtBothWidths(page: Page, name: string): Promise<void> {
  for (const [width, height, device] of [
    [1280, 900, 'desktop'],
    [375, 740, 'phone'],
  ] as const) {
    await page.setViewportSize({ width, height });
    expect(await seriousViolations(page), `${name} at ${device}`).toEqual([]);
    expect(await page.evaluate(() => document.documentElement.scrollWidth), `${name} scrolls sideways at ${device}`).toBeLessThanOrEqual(width);
    await screenshot(page, `${name}-${device}`);
  }
  await page.setViewportSize({ width: 1280, height: 900 });
}
