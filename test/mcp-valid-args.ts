/**
 * One valid call per tool against the portfolio in mcp-fixtures.ts. The MCP suites fail when a
 * registered tool has no entry here, so every new tool gets exercised.
 */
export type ToolCaller = (name: string, args: Record<string, unknown>) => Promise<Record<string, unknown>>;

/** Arguments that depend on an earlier call (an id another tool returns). */
export const DEPENDENT_ARGS: Record<string, (call: ToolCaller) => Promise<Record<string, unknown>>> = {
  'request-terms-approval': async (call) => {
    const evaluated = await call('evaluate-terms-request', { client: 'C002', days: 60, amount: 40000 });
    return { decisionId: evaluated.decisionId, note: 'large first order' };
  },
};

export const VALID_ARGS: Record<string, Record<string, unknown>> = {
  'find-client': { query: 'dupont btp' },
  'get-client-profile': { client: 'Dupont-BTP' },
  'get-client-score': { client: 'C001' },
  'explain-score': { client: 'Électricité Martin', asOf: '2026-11-23' },
  'evaluate-terms-request': { client: 'C001', days: 45, amount: 12000 },
  'get-credit-limit': { client: 'dupont btp' },
  'draft-reminder': { client: 'C002' },
  'get-aging': {},
  'get-kpis': { periodDays: 90 },
  'list-overdue-invoices': { minDays: 1 },
  'get-dunning-plan': { dueNowOnly: false },
  'get-payment-forecast': { client: 'C001' },
  'get-dispute-file': { invoiceRef: 'F003', asOf: '2026-11-23' },
  'log-dispute-event': { invoiceRef: 'F003', kind: 'call', note: 'client confirmed the missing item' },
  'record-promise-to-pay': { client: 'C001', amount: 2500.5, promisedDate: '2026-12-15', invoiceRef: 'F002' },
};
