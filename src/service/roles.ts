// Who may call what: the API clients' roles, each route's role and the Hsm profile it runs under — the service's
// counterpart of HSM_PROFILES / METHOD_ACTIVITIES, in one table. A call outside the caller's roles is refused
// with 403 before the handler runs, so before any key is opened. Within a route, PCI-only inputs (extend, a
// card named by its PAN, activation by PAN) need the `pci` role as well, checked before any Hsm call.
import type { ProfileName } from '../hsm/activities.js';

/**
 * The API clients' roles, as a configuration's `clients[].roles` names them: `cards` (card management), `pci`
 * (PCI-DSS data: full PANs, CVVs, names, cards named by PAN), `back_office` (security values, mass issue, reissue,
 * embosser records and embossing), `cardholder` (dynamic CVV2, invalid PIN attempts) and `authorization` (PIN
 * validation, CVV2 verification). A call outside the caller's roles is refused with 403 FORBIDDEN before its body is
 * validated. In the example, a client with only the cardholder role tries to create a card.
 * @example
 * ROLES  // => ['cards', 'pci', 'back_office', 'cardholder', 'authorization']
 * await clientAs('cardholder').createCard({ user_id: 'usr-ana', affinity_group_id: dev.affinityGroupId, card_type: 'VIRTUAL' }).catch((e) => [e.status, e.code])  // => [403, 'FORBIDDEN']
 */
export const ROLES = ['cards', 'pci', 'back_office', 'cardholder', 'authorization'] as const;
/**
 * One of ROLES. The example lists the operations of ROUTE_ACCESS a role opens and calls one with a client that has
 * only that role.
 * @example
 * const role = 'authorization'
 * Object.keys(ROUTE_ACCESS).filter((operation) => ROUTE_ACCESS[operation].role === role)  // => ['validatePin', 'verifyCvv2']
 * const { id } = await client.createCard({ user_id: 'usr-ana', affinity_group_id: dev.affinityGroupId, card_type: 'VIRTUAL' })
 * const { cvv } = await client.getCard(id, { extend: ['cvv'] })
 * (await clientAs(role).verifyCvv2(id, cvv)).valid  // => true
 */
export type Role = (typeof ROLES)[number];

export const ROLE_DESCRIPTIONS: Record<Role, string> = {
  cards:
    'card management: create, read, update, search, shipments, batches, activation by code, PAN tokens, instant cards',
  pci: 'PCI-DSS data: extend=pan,cvv,name,expiration_date, cards named by PAN, activation by PAN, PANs in issuance results',
  back_office:
    'issuer back office: security values, mass issue, reissue, embosser records, embossing and activation codes',
  cardholder: 'cardholder-facing: dynamic CVV2 and invalid PIN attempts',
  authorization: 'the online authorization host: PIN validation and CVV2 verification (counted)',
};

/** The Hsm profile each route runs under. */
export type RouteProfile = Extract<ProfileName, 'authorization' | 'issuance'> | 'none';

export interface RouteAccess {
  role: Role;
  profile: RouteProfile;
}

/**
 * Every signed route by its OpenAPI operationId: the role it needs and the Hsm profile it runs under (`none`: no key
 * is used; the record vault that unseals stored PANs is separate). The service checks the role before validating the
 * body; PCI-only inputs need `pci` as well. The second example compares the table with the running service's
 * /openapi.json: the same 23 operations.
 * @example
 * ROUTE_ACCESS.validatePin  // => { role: 'authorization', profile: 'authorization' }
 * ROUTE_ACCESS.securityValues  // => { role: 'back_office', profile: 'issuance' }
 * @example
 * const doc = await (await fetch(`${service}/openapi.json`)).json()
 * const operations = Object.values(doc.paths).flatMap((item) => Object.values(item).map((op) => op.operationId)).filter(Boolean)
 * operations.sort()  // => Object.keys(ROUTE_ACCESS).sort()
 * operations.length  // => 23
 */
export const ROUTE_ACCESS = {
  createCard: { role: 'cards', profile: 'issuance' },
  getCard: { role: 'cards', profile: 'issuance' },
  updateCard: { role: 'cards', profile: 'issuance' },
  updateCardShipment: { role: 'cards', profile: 'none' },
  searchCards: { role: 'cards', profile: 'none' },
  createBatch: { role: 'cards', profile: 'issuance' },
  getBatch: { role: 'cards', profile: 'none' },
  updateBatchShipment: { role: 'cards', profile: 'none' },
  activateCard: { role: 'cards', profile: 'issuance' },
  getAffinityGroup: { role: 'cards', profile: 'none' },
  embossCard: { role: 'back_office', profile: 'issuance' },
  addEmbossingRecord: { role: 'back_office', profile: 'issuance' },
  massIssue: { role: 'back_office', profile: 'issuance' },
  getMassIssue: { role: 'back_office', profile: 'none' },
  getMassIssueCards: { role: 'back_office', profile: 'issuance' },
  reissueCard: { role: 'back_office', profile: 'issuance' },
  securityValues: { role: 'back_office', profile: 'issuance' },
  invalidPinAttempts: { role: 'cardholder', profile: 'authorization' },
  panToken: { role: 'cards', profile: 'authorization' },
  dynamicValues: { role: 'cardholder', profile: 'issuance' },
  instantCard: { role: 'cards', profile: 'issuance' },
  validatePin: { role: 'authorization', profile: 'authorization' },
  verifyCvv2: { role: 'authorization', profile: 'authorization' },
} as const satisfies Record<string, RouteAccess>;

export type OperationId = keyof typeof ROUTE_ACCESS;

/** The caller of a signed request. */
export interface Caller {
  clientId: string;
  roles: ReadonlySet<Role>;
}

export function hasRole(caller: Caller, role: Role): boolean {
  return caller.roles.has(role);
}
