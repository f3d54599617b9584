/** Version of every wire, ledger and manifest schema; bump it on any incompatible change. */
export const SCHEMA_VERSION = 1 as const;
