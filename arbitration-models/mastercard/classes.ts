// Mastercard output classes (LAW.md §5); index = ArgMax output of the graph. 4837 card present is
// flagged for review (the record has no POS entry mode), so its two outcomes have flagged twins.
import type { CardClass } from '../../server/models/card.js';
import { claimantClass as c, respondentClass as r } from '../card-law/card-classes.js';

const CARD_PRESENT = ' The card was present, and the record cannot show how it was read (chip, PIN or keyed), so a person will review this.';

export const MASTERCARD_CLASSES: readonly CardClass[] = [
  r(0, 'MC.time_limit', 'The dispute was raised after the Mastercard time limit (120 days, or 90 for duplicates and authorization disputes), so it is too late.'),
  r(1, 'MC.credit_issued', 'The merchant has already refunded this purchase, so nothing more is owed.'),
  c(2, 'MC.4837.fraud', 'The purchase was not authorized by you and had no 3-D Secure check, so {amount} is returned to you.'),
  c(3, 'MC.4837.fraud', `The purchase was not authorized by you and had no 3-D Secure check, so {amount} is returned to you.${CARD_PRESENT}`, true),
  r(4, 'MC.4837.3ds', 'The purchase went through 3-D Secure, which moves fraud liability from the merchant to the card issuer.'),
  r(5, 'MC.4837.3ds', `The purchase went through 3-D Secure, which moves fraud liability from the merchant to the card issuer.${CARD_PRESENT}`, true),
  c(6, 'MC.4853.recurring_cancelled', 'You cancelled the recurring payment before this charge, so {amount} is returned to you.'),
  r(7, 'MC.4853.recurring_not_cancelled', 'The recurring payment was not cancelled before this charge was made.'),
  c(8, 'MC.4853.credit_not_processed', 'The merchant received your return but has not refunded you, so {amount} is returned to you.'),
  c(9, 'MC.4853.not_as_described', 'The goods were not as described and you tried to return them, so {amount} is returned to you.'),
  c(10, 'MC.4853.cancelled', 'You cancelled and the merchant’s disclosed policy does not let it keep the money, so {amount} is returned to you.'),
  r(11, 'MC.4853.policy_applies', 'The merchant disclosed its cancellation policy, and that policy lets it keep the money for this cancellation.'),
  c(12, 'MC.4853.not_provided', 'The merchant has no proof that the goods or services were provided, so {amount} is returned to you.'),
  r(13, 'MC.4853.delivered', 'The merchant has proof that the goods or services were provided.'),
  c(14, 'MC.4834.duplicate', 'You were charged twice for the same order and amount, so {amount} is returned to you.'),
  r(15, 'MC.4834.separate', 'The two charges differ in amount or order, so they are separate purchases, not a duplicate.'),
  r(16, 'MC.4808.undecidable', 'Authorization disputes need authorization data the case record does not carry, so a person will review this.', true),
];
