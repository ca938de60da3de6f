// Visa output classes (LAW.md §4), one per code; index = ArgMax output of the graph.
import type { CardClass } from '../../server/models/card.js';
import { claimantClass as c, respondentClass as r } from '../card-law/card-classes.js';

export const VISA_CLASSES: readonly CardClass[] = [
  r(0, 'VISA.time_limit', 'The dispute was raised more than 120 days after the date the Visa time limit counts from, so it is too late.'),
  r(1, 'VISA.credit_issued', 'The merchant has already refunded this purchase, so nothing more is owed.'),
  c(2, 'VISA.10.4.fraud', 'The card was used without being present, without a 3-D Secure check and without earlier undisputed purchases that tie it to you, so {amount} is returned to you.'),
  r(3, 'VISA.10.4.card_present', 'The card was present at the purchase, so this is not a card-absent fraud dispute.'),
  r(4, 'VISA.10.4.3ds', 'The purchase went through 3-D Secure, which moves fraud liability from the merchant to the card issuer.'),
  r(5, 'VISA.10.4.ce3', 'The merchant showed at least two earlier undisputed purchases from the same device or internet address (Visa Compelling Evidence 3.0), so the fraud claim fails.'),
  c(6, 'VISA.12.6.1.duplicate', 'You were charged twice for the same order and amount, so {amount} is returned to you.'),
  r(7, 'VISA.12.6.1.separate', 'The two charges differ in amount or order, so they are separate purchases, not a duplicate.'),
  c(8, 'VISA.13.1.not_received', 'The expected delivery date has passed and the merchant has no proof of delivery, so {amount} is returned to you.'),
  r(9, 'VISA.13.1.premature', 'The dispute was raised before the expected delivery date had passed, which is too early.'),
  r(10, 'VISA.13.1.delivered', 'The merchant has proof that the goods or services were delivered.'),
  c(11, 'VISA.13.2.cancelled', 'You cancelled the recurring payment before this charge, so {amount} is returned to you.'),
  r(12, 'VISA.13.2.not_cancelled', 'The recurring payment was not cancelled before this charge was made.'),
  c(13, 'VISA.13.3.returned', 'The goods were not as described and you returned them or tried to, so {amount} is returned to you.'),
  r(14, 'VISA.13.3.no_return', 'The goods were neither returned nor offered back to the merchant, which this dispute requires.'),
  c(15, 'VISA.13.6.credit_due', 'The merchant owes you a refund it has not processed, so {amount} is returned to you.'),
  r(16, 'VISA.13.6.no_credit_due', 'Neither a return nor a cancellation outside the merchant’s policy entitles you to a refund.'),
  c(17, 'VISA.13.7.cancelled', 'You cancelled and the merchant’s disclosed policy does not let it keep the money, so {amount} is returned to you.'),
  r(18, 'VISA.13.7.policy_applies', 'The merchant disclosed its cancellation policy, and that policy lets it keep the money for this cancellation.'),
  r(19, 'VISA.13.7.not_cancelled', 'There is no record that you cancelled the order.'),
];
