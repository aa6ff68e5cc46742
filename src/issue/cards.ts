// An issued card as the Hsm returns it (the seeds' embossing record): made by the issuance kernel's driver,
// _cards.ts. Only the encrypted PIN block and the PVV carry the PIN; the PAN is in clear for the embosser.

/**
 * One card of an issuance run, new or reissued (Hsm.issueCards, issueCard, reissueCard): clear card data for the
 * embosser, with the PIN only as an encrypted PIN block and its PVV. The card was computed with this library under
 * the fixture keys (`keys.cvk` is the test CVK 0123456789ABCDEFFEDCBA9876543210, so its CVV checks with
 * generateCvv).
 * @example
 * const card = await hsm.issueCard({ bin: '45717360', expiry: '2911', cvk: keys.cvk, panKey: keys.aesDek })
 * card // => { pan: '4571736089111496', lastFour: '1496', expiry: '2911', serviceCode: '101', cvv: '949', cvv2: '082', icvv: '051' }
 * verifyCvv(hexToBytes('0123456789ABCDEFFEDCBA9876543210'), card.pan, card.expiry, card.serviceCode, card.cvv) // => true
 */
export interface IssuedCard {
  pan: string;
  lastFour: string;
  /** YYMM */
  expiry: string;
  serviceCode: string;
  cvv: string;
  cvv2: string;
  icvv: string;
  /** The PAN token, when a token key was given. */
  token?: string;
  /** The card's PIN as an encrypted PIN block (uppercase hex): ISO 0 under a TDES PIN key, ISO 4 under AES. */
  pinBlock?: string;
  /** The Visa PVV of that PIN. */
  pvv?: string;
}
