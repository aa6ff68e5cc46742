// Key usage enforcement: a key whose X9.143 header does not allow an operation's purpose is refused with
// ERR_KEY_USAGE before any cryptography runs. The rule table itself is usage.ts (KEY_USAGE_RULES).
import { CardHsmError } from '../errors.js';
import type { Tr31Header, X9143Usage } from '../tr31.js';
import { RULES, type Purpose } from './usage.js';

/** The usages the Hsm makes keys for: those some rule uses (a key of any other usage could do nothing here). */
export const HSM_KEY_USAGES: readonly X9143Usage[] = [...new Set(Object.values(RULES).flatMap((r) => r.usages))].sort();

/**
 * Refuses a key whose usage, mode of use, algorithm or length does not allow `purpose`. Without `keyLength` (a
 * header not yet authenticated, checked so that a wrong key is refused before any cryptography) the length is
 * not checked.
 */
export function requireUsage(header: Tr31Header, keyLength: number | undefined, purpose: Purpose, field: string): void {
  const rule = RULES[purpose];
  const refuse = (why: string): never => {
    throw new CardHsmError('ERR_KEY_USAGE', `"${field}" cannot be used for ${purpose}: ${why}`, field);
  };
  if (!(rule.usages as readonly string[]).includes(header.usage))
    refuse(`key usage ${header.usage}, expected ${rule.usages.join(' or ')}`);
  if (!rule.modes.includes(header.modeOfUse)) refuse(`mode of use ${header.modeOfUse}, expected one of ${rule.modes}`);
  const lengths = rule.algorithms[header.algorithm];
  if (!lengths) refuse(`algorithm ${header.algorithm}, expected ${Object.keys(rule.algorithms).join(' or ')}`);
  if (keyLength !== undefined && !lengths!.includes(keyLength))
    refuse(`a ${keyLength}-byte key, expected ${lengths!.join(' or ')} bytes`);
}
