/**
 * One valid call per tool against the portfolio in mcp-fixtures.ts. The MCP suites fail when a
 * registered tool has no entry here, so every new tool gets exercised.
 */
export const VALID_ARGS: Record<string, Record<string, unknown>> = {
  'find-client': { query: 'dupont btp' },
  'get-client-profile': { client: 'Dupont-BTP' },
  'get-aging': {},
  'get-kpis': { periodDays: 90 },
  'list-overdue-invoices': { minDays: 1 },
  'get-dunning-plan': { dueNowOnly: false },
  'get-payment-forecast': { client: 'C001' },
  'get-dispute-file': { invoiceRef: 'F003', asOf: '2026-11-23' },
  'log-dispute-event': { invoiceRef: 'F003', kind: 'call', note: 'client confirmed the missing item' },
  'record-promise-to-pay': { client: 'C001', amount: 2500.5, promisedDate: '2026-12-15', invoiceRef: 'F002' },
};
