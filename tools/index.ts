import { draftReminderTool } from './draft-reminder.ts';
import { evaluateTermsRequestTool } from './evaluate-terms-request.ts';
import { explainScoreTool } from './explain-score.ts';
import { findClientTool } from './find-client.ts';
import { getAgingTool } from './get-aging.ts';
import { getClientProfileTool } from './get-client-profile.ts';
import { getClientScoreTool } from './get-client-score.ts';
import { getCreditLimitTool } from './get-credit-limit.ts';
import { getDisputeFileTool } from './get-dispute-file.ts';
import { getDunningPlanTool } from './get-dunning-plan.ts';
import { getKpisTool } from './get-kpis.ts';
import { getPaymentForecastTool } from './get-payment-forecast.ts';
import { listOverdueInvoicesTool } from './list-overdue-invoices.ts';
import { logDisputeEventTool } from './log-dispute-event.ts';
import { recordPromiseToPayTool } from './record-promise-to-pay.ts';
import { requestTermsApprovalTool } from './request-terms-approval.ts';
import type { ToolDefinition } from './types.ts';

/**
 * The registry: every tool the MCP server and the agent may call, one file per tool. Add a tool by
 * importing it and listing it here; nothing else needs to change.
 */
export const tools: ToolDefinition[] = registry(
  findClientTool,
  getClientProfileTool,
  getClientScoreTool,
  explainScoreTool,
  evaluateTermsRequestTool,
  getCreditLimitTool,
  getAgingTool,
  getKpisTool,
  listOverdueInvoicesTool,
  getDunningPlanTool,
  getDisputeFileTool,
  getPaymentForecastTool,
  draftReminderTool,
  requestTermsApprovalTool,
  recordPromiseToPayTool,
  logDisputeEventTool,
);

const byName = new Map(tools.map((t) => [t.name, t]));

/** The tool with this name, or undefined. */
export const getTool = (name: string): ToolDefinition | undefined => byName.get(name);

/** Each tool is typed by its own schemas; the registry holds them under the erased common type. */
function registry(...defs: { name: string }[]): ToolDefinition[] {
  const seen = new Set<string>();
  for (const d of defs) {
    if (seen.has(d.name)) throw new Error(`duplicate tool name ${d.name}`);
    seen.add(d.name);
  }
  return defs as ToolDefinition[];
}
