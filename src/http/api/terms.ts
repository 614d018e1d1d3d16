import { z } from '@hono/zod-openapi';
import { evaluateTermsRequestTool } from '../../../tools/evaluate-terms-request.ts';
import { DECISIONS, type Decision } from '../../core/policy.ts';
import type { ServiceContext } from '../../services/context.ts';
import {
  type DecisionStatus,
  getDecision,
  listDecisions,
  requestTermsApproval,
} from '../../services/terms.ts';
import { type DecideInput, decideTermsRequest } from '../../services/terms-requests.ts';
import { type Api, idParam, isoDay, reasonBody, route, viaTool } from './route.ts';

export const DecisionSchema = z
  .object({
    id: z.string(),
    status: z.enum(['recommended', 'pending_approval', 'decided']),
    client: z.object({ ref: z.string(), name: z.string() }),
    asOf: z.string(),
    request: z.object({ days: z.number().int(), amount: z.number().int(), endOfMonth: z.boolean() }),
    decision: z.enum(DECISIONS).describe("the core's recommendation"),
    rule: z.string(),
    conditions: z.record(z.string(), z.unknown()),
    reasons: z.array(z.looseObject({ rule: z.string() })),
    score: z.number().int().nullable(),
    grade: z.string().nullable(),
    exposureBefore: z.number().int(),
    exposureAfter: z.number().int(),
    limit: z.number().int(),
    limitSource: z.string(),
    legal: z.looseObject({ lawful: z.boolean(), maxDays: z.number().int() }),
    approverRole: z.string().nullable(),
    policyVersion: z.string(),
    requestedBy: z.string(),
    finalDecision: z.enum(DECISIONS).nullable(),
    decidedBy: z.string().nullable(),
    decidedAt: z.string().nullable(),
    overrideReason: z.string().nullable(),
  })
  .openapi('TermsDecision');

export function termsRoutes(api: Api, services: ServiceContext): void {
  const tag = 'Terms requests';
  route(
    api,
    {
      method: 'get',
      path: '/terms-requests',
      tag,
      summary: 'Terms requests and their decisions (the approval queue)',
      role: 'sales',
      query: z.object({
        status: z.enum(['recommended', 'pending_approval', 'decided']).optional(),
        limit: z.coerce.number().int().min(1).max(500).optional(),
      }),
      response: z.object({ requests: z.array(DecisionSchema) }),
    },
    async (_c, { query }) => ({
      requests: await listDecisions(services, {
        ...(query.status ? { status: query.status as DecisionStatus } : {}),
        ...(query.limit ? { limit: query.limit as number } : {}),
      }),
    }),
  );
  route(
    api,
    {
      method: 'post',
      path: '/terms-requests',
      tag,
      summary: 'Ask for payment terms: the policy decides and the request is recorded',
      description:
        'Amount in base-currency units. With `requestApproval` the request joins the approval queue for a person to decide.',
      role: 'sales',
      status: 201,
      body: z.object({
        client: z.string().min(1).max(200),
        days: z.number().int().min(0).max(3650),
        amount: z.number().min(0).max(1e12).optional(),
        endOfMonth: z.boolean().optional(),
        asOf: isoDay.optional(),
        requestApproval: z.boolean().optional(),
        note: z.string().max(2000).optional(),
      }),
      response: evaluateTermsRequestTool.output.extend({ status: z.string() }),
    },
    async (_c, { json }, caller) => {
      const { requestApproval, note, ...args } = json as Record<string, unknown> & {
        requestApproval?: boolean;
        note?: string;
      };
      const result = await viaTool(services, caller, evaluateTermsRequestTool, args);
      if (!requestApproval) return result;
      const pending = await requestTermsApproval(services, result.decisionId as string, caller, note);
      return { ...result, status: pending.status };
    },
  );
  route(
    api,
    {
      method: 'get',
      path: '/terms-requests/{id}',
      tag,
      summary: 'One terms request with its decision',
      role: 'sales',
      params: idParam,
      response: DecisionSchema,
    },
    async (_c, { param }) => getDecision(services, param.id!),
  );
  route(
    api,
    {
      method: 'post',
      path: '/terms-requests/{id}/request-approval',
      tag,
      summary: 'Put a recorded recommendation in the approval queue',
      role: 'sales',
      params: idParam,
      body: z.object({ note: z.string().max(2000).optional() }),
      response: DecisionSchema,
    },
    async (_c, { param, json }, caller) =>
      requestTermsApproval(services, param.id!, caller, (json as { note?: string }).note),
  );
  const decide = (
    path: string,
    summary: string,
    verdict: (body: { to?: Decision }) => DecideInput['verdict'],
  ) =>
    route(
      api,
      {
        method: 'post',
        path: `/terms-requests/{id}/${path}`,
        tag,
        summary,
        description:
          'Within the rights the policy gives your role at that exposure; the requester never decides their own request (four eyes).',
        role: 'sales',
        params: idParam,
        body: path === 'override' ? reasonBody.extend({ to: z.enum(DECISIONS) }) : reasonBody,
        response: DecisionSchema,
      },
      async (_c, { param, json }, caller) => {
        const body = json as { reason: string; to?: Decision };
        return decideTermsRequest(services, {
          decisionId: param.id!,
          verdict: verdict(body),
          decider: caller,
          reason: body.reason,
        });
      },
    );
  decide('approve', 'Approve the terms requested', () => 'approve');
  decide('decline', 'Decline the terms requested', () => 'decline');
  decide('override', 'Decide otherwise than the recommendation', (b) => ({ to: b.to! }));
}
