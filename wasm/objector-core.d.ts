// Types for objector-core.mjs.
export class CoreError extends Error {
  readonly code: string;
}

export interface ObjectionForm {
  controller: string;
  jurisdiction: string;
  services: string[];
  purposes: string[];
  lang: string;
  created: number;
  account: string;
  device_seed?: string;
  r?: string;
}

export interface Statement {
  type: 'objection/v1';
  controller: string;
  jurisdiction: string;
  basis: string;
  services: string[];
  purposes: string[];
  subject: string;
  device_key: string;
  created: number;
  lang: string;
}

export interface Entry { statement: Statement; sig: string; }
export interface Opening { account: string; r: string; }
export interface Objection { entry: Entry; opening: Opening; device_seed: string; entry_bytes: string; leaf_hash: string; }
export interface Receipt { type: 'objection-receipt/v1'; entry: Entry; opening: Opening; device_seed: string; proof: string; }
export interface PublicReceipt { type: 'objection-public-receipt/v1'; entry: Entry; proof: string; }
export interface AuthorshipProof { type: 'objection-authorship/v1'; leaf_hash: string; challenge: string; sig: string; }
export type Trust = { log_key: string } | { policy: string };
export interface CheckpointReport {
  checkpoint: { origin: string; size: number; root: string };
  cosignatures: { witness: string; timestamp: number }[];
}

export class Core {
  call(op: string, args?: object): any;
  callRaw(op: string, argsText: string): string;
  version(): string;
  jurisdictions(): { code: string; basis: string }[];
  constants(): { languages: string[]; max_statement_age_s: number };
  canonicalize(jsonText: string): string;
  keygen(seed?: string): { public_key: string; seed: string };
  commit(account: string, r?: string): { account: string; r: string; subject: string };
  makeObjection(form: ObjectionForm): Objection;
  signStatement(statement: Statement, deviceSeed: string): { entry: Entry; entry_bytes: string; leaf_hash: string };
  verifyEntry(entry: Entry): { entry_bytes: string; leaf_hash: string };
  makeReceipt(parts: { entry: Entry; opening: Opening; device_seed: string; proof: string }): Receipt;
  /** A full receipt, or a public one (`public: true`: the account and the author were not checked). */
  verifyReceipt(receipt: Receipt | PublicReceipt | string, trust: Trust):
    CheckpointReport & { leaf_hash: string; index: number; public: boolean };
  /** The part of a receipt that can be shown to anyone: entry and proof (FORMAT.md §5.1). */
  publicReceipt(receipt: Receipt | string): PublicReceipt;
  /** Signs a verifier's challenge with the receipt's device key (FORMAT.md §5.2). */
  proveAuthorship(receipt: Receipt | string, challenge: string): AuthorshipProof;
  /** The proof answers `challenge` for the receipt's entry, and the entry is in the log. */
  verifyAuthorship(proof: AuthorshipProof | string, receipt: Receipt | PublicReceipt | string, challenge: string,
    trust: Trust): CheckpointReport & { leaf_hash: string; index: number };
  verifyProof(proof: string, leafHash: string, trust: Trust): CheckpointReport & { index: number };
  verifyInclusion(args: { index: number; size: number; leaf_hash: string; proof: string[]; root: string }): {};
  verifyConsistency(args: { size1: number; size2: number; proof: string[]; root1: string; root2: string }): {};
  verifyNote(note: string, keys: string[]): { text: string; signers: string[] };
  /** A signed checkpoint opened under a log key or policy: origin/key-name binding, signatures, witness quorum. */
  openCheckpoint(note: string, trust: Trust): CheckpointReport;
  dispose(): void;
}

export function loadCore(options?: { wasmUrl?: string | URL; wasmBinary?: ArrayBuffer | Uint8Array }): Promise<Core>;
