// An amount of ether as a person types it ("1.5", "0,25" in German, "2") into exact wei, the
// decimal string the escrow API takes. No floats: the digits are moved, never multiplied.

/** wei as a decimal string, or undefined when the text is not a plain ether amount (at most 18 decimals). */
export function weiFromEther(text: string): string | undefined {
  const m = /^(\d{1,13})(?:[.,](\d{1,18}))?$/.exec(text.trim().replace(/[\s\u00a0\u202f']/g, ''));
  if (!m) return undefined;
  return (BigInt(m[1]) * 10n ** 18n + BigInt((m[2] ?? '').padEnd(18, '0'))).toString();
}
