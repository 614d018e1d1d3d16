import { createHash, randomBytes } from 'node:crypto';
import { canonicalJson } from '../core/canonical.ts';

export const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');

/** Hash of a value's canonical JSON: stable whatever the key order. */
export const hashValue = (value: unknown): string => sha256(canonicalJson(value));

/** Short random id with a readable prefix, e.g. `dec_9f2c...`. */
export const newId = (prefix: string): string => `${prefix}_${randomBytes(8).toString('hex')}`;
