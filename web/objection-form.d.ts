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

declare global {
  interface HTMLElementTagNameMap {
    'objection-form': ObjectionForm;
  }
  interface HTMLElementEventMap {
    'objection-submitted': ObjectionSubmittedEvent;
  }
}
