import { randomBytes } from 'node:crypto';

/** A name no other test run uses: `prefix_1a2b3c4d5e`. Letters, digits and _ only. */
export function randomName(prefix: string): string {
  return `${prefix}_${randomBytes(5).toString('hex')}`;
}
