// Deep freezing for the tables the library both publishes and enforces (KEY_USAGE_RULES, HSM_PROFILES,
// METHOD_ACTIVITIES, KEY_ALGORITHMS, X9143_USAGES…): a caller holding the exported object must not be able to
// relax what the Hsm enforces by writing into it (in an ES module, such a write throws a TypeError).

/** `value` with every nested object and array frozen, returned for use in a declaration. */
export function frozen<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    for (const v of Object.values(value)) frozen(v);
    Object.freeze(value);
  }
  return value;
}
