// ISO 4217 currencies and their minor units. The code list is Node's ICU list of current
// currencies (Intl.supportedValuesOf), so it needs no data package. The exponent is ISO 4217's,
// not ICU's: CLDR shows some currencies without decimals (HUF, IDR, PKR, …) although ISO gives
// them 2, and an amount of 1999.50 HUF is a legitimate card amount.

// ISO 4217 List One (SIX, current edition): every currency whose minor unit is not 2.
const ISO_MINOR_UNITS: Readonly<Record<string, number>> = {
  BIF: 0, CLP: 0, DJF: 0, GNF: 0, ISK: 0, JPY: 0, KMF: 0, KRW: 0, PYG: 0, RWF: 0,
  UGX: 0, UYI: 0, VND: 0, VUV: 0, XAF: 0, XOF: 0, XPF: 0,
  BHD: 3, IQD: 3, JOD: 3, KWD: 3, LYD: 3, OMR: 3, TND: 3,
  CLF: 4, UYW: 4,
};

// Special drawing rights and the SUCRE are units of account, not money a fare or a card
// transaction is paid in.
const NOT_PAYABLE = new Set(['XDR', 'XSU']);

const currencies: ReadonlyMap<string, number> = new Map(
  Intl.supportedValuesOf('currency')
    .filter((code) => !NOT_PAYABLE.has(code))
    .map((code) => [code, ISO_MINOR_UNITS[code] ?? 2]),
);

/** Number of minor-unit digits of an ISO 4217 currency (EUR 2, JPY 0, KWD 3), or undefined for an unknown code. */
export function minorUnits(currency: string): number | undefined {
  return currencies.get(currency);
}
