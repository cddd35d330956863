// Types for the <objection-form> element and its events.
import type { Receipt } from './objector-core.js';

export class ObjectionForm extends HTMLElement {
  /** The bearer token naming the signed-in account (also the account-token attribute). */
  accountToken: string | null;
}

export interface ObjectionSubmittedEvent extends CustomEvent<{ receipt: Receipt }> {}

declare global {
  interface HTMLElementTagNameMap {
    'objection-form': ObjectionForm;
  }
  interface HTMLElementEventMap {
    'objection-submitted': ObjectionSubmittedEvent;
  }
}
