// An issued card as the Hsm returns it (the seeds' embossing record): made by the issuance kernel's driver,
// _cards.ts. Only the encrypted PIN block and the PVV carry the PIN; the PAN is in clear for the embosser.

/** One card of an issuance run, new or reissued. */
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
