// Types for the <objection-form> element and its events.
import type { PublicReceipt, Receipt } from './objector-core.js';

export class ObjectionForm extends HTMLElement {
  /** The bearer token naming the signed-in account (also the account-token attribute). */
  accountToken: string | null;
}

/**
 * Fired once per confirmed objection. `receipt` is the public receipt (entry
 * and proof, FORMAT.md §5.1) unless the host set `deliver-secrets`, which
 * hands the page the full receipt (device seed and opening included).
 * `verified` is false when the page could not check the proof (the receipt is
 * kept on the device all the same).
 */
export interface ObjectionSubmittedEvent extends CustomEvent<{
  receipt: PublicReceipt | Receipt;
  index: number;
  leaf_hash: string;
  verified: boolean;
}> {}

/**
 * Fired (cancelable) whenever the form shows that a sign-in is needed before
 * an objection can be made: `reason` is "missing" (no token) or "expired"
 * (the token's exp has passed, or the intake said so). An app that signs the
 * person in itself calls preventDefault(): the form then shows no link;
 * otherwise it offers the `signin-url` attribute's page, when there is one.
 */
export interface ObjectionSigninNeededEvent extends CustomEvent<{ reason: 'missing' | 'expired' }> {}

declare global {
  interface HTMLElementTagNameMap {
    'objection-form': ObjectionForm;
  }
  interface HTMLElementEventMap {
    'objection-submitted': ObjectionSubmittedEvent;
    'objection-signin-needed': ObjectionSigninNeededEvent;
  }
}
