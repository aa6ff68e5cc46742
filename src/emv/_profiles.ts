// A profile argument checked against the one list (profiles.ts): only the frozen constants are profiles, so a
// caller's look-alike object cannot change what a cryptogram covers.
import { CardHsmError } from '../errors.js';
import { EMV_CVN_PROFILES, type CvnProfile } from './profiles.js';

const PROFILES: readonly CvnProfile[] = Object.values(EMV_CVN_PROFILES);

/** The profile itself, or ERR_FORMAT for anything that is not one of the supported constants. */
export function checkProfile(p: unknown): CvnProfile {
  if (!PROFILES.includes(p as CvnProfile)) {
    throw new CardHsmError(
      'ERR_FORMAT',
      `"profile" expected one of ${PROFILES.map((x) => x.name).join(', ')}`,
      'profile',
    );
  }
  return p as CvnProfile;
}
