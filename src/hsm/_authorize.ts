// Authorization: an Hsm's activities resolved from its options (a profile name or a list), and every method
// checked against them before any option is read or any key opened. The tables are activities.ts.
import { CardHsmError } from '../errors.js';
import {
  ACTIVITIES,
  HSM_PROFILES,
  METHOD_ACTIVITIES,
  type Activity,
  type HsmMethod,
  type ProfileName,
} from './activities.js';

/** What an Hsm may do: its profile's name (or 'custom' for a list) and the activities. */
export interface Authorization {
  profile: ProfileName | 'custom';
  allowed: ReadonlySet<Activity>;
}

/** Resolves HsmOptions.activities: a profile name, or an array of activity names; default 'authorization'. */
export function authorization(value: unknown): Authorization {
  if (value === undefined) return { profile: 'authorization', allowed: new Set(HSM_PROFILES.authorization) };
  if (typeof value === 'string' && Object.hasOwn(HSM_PROFILES, value)) {
    return { profile: value as ProfileName, allowed: new Set(HSM_PROFILES[value as ProfileName]) };
  }
  if (
    Array.isArray(value) &&
    value.length > 0 &&
    value.every((a) => typeof a === 'string' && (ACTIVITIES as readonly string[]).includes(a))
  ) {
    return { profile: 'custom', allowed: new Set(value as Activity[]) };
  }
  throw new CardHsmError(
    'ERR_FORMAT',
    `"activities" expected ${Object.keys(HSM_PROFILES).join(', ')} or a non-empty array of activity names`,
    'activities',
  );
}

/** Refuses a method outside the Hsm's activities (before any key is opened). */
export function authorize(auth: Authorization, method: HsmMethod): void {
  const activity = METHOD_ACTIVITIES[method];
  if (!auth.allowed.has(activity)) {
    throw new CardHsmError(
      'ERR_NOT_AUTHORIZED',
      `${method} needs the activity ${activity}, which this Hsm (profile ${auth.profile}) is not authorized for`,
      'activities',
    );
  }
}
