import { z } from 'zod';

/**
 * The written credit policy. Everything a finance team would want to tune lives here, never in
 * code: terms, legal caps, buckets, thresholds, weights, decision rules, cadences, approval rights.
 * `DEFAULT_POLICY` is a sensible French SME policy; `ENCOURS_POLICY` may point to a YAML/JSON file
 * that overrides any part of it (see services/policy.ts).
 */
export const GRADES = ['A', 'B', 'C', 'D', 'E'] as const;
export type Grade = (typeof GRADES)[number];
export const DECISIONS = ['approve', 'approve_with_conditions', 'needs_approval', 'decline'] as const;
export type Decision = (typeof DECISIONS)[number];
export const ROLES = ['viewer', 'sales', 'finance', 'admin'] as const;
export type Role = (typeof ROLES)[number];
export const DUNNING_STAGES = [
  'friendly',
  'clear',
  'firm',
  'final_notice',
  'formal_notice',
  'phone_call',
  'legal',
] as const;
export type DunningStage = (typeof DUNNING_STAGES)[number];

const minor = z.number().int().describe('amount in minor units (cents)');

const bucketSchema = z.object({
  label: z.string().min(1),
  /** First day overdue included (1 = the day after the due date). */
  fromDay: z.number().int().min(1),
  /** Last day overdue included; null means open-ended. */
  toDay: z.number().int().min(1).nullable(),
});

const clock = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'expected a time HH:MM');

const sendingSchema = z
  .object({
    /** IANA time zone the window and business days are read in. */
    timeZone: z.string().refine(
      (tz) => {
        try {
          new Intl.DateTimeFormat('en', { timeZone: tz });
          return true;
        } catch {
          return false;
        }
      },
      { message: 'unknown time zone (e.g. Europe/Paris)' },
    ),
    /** Reminders go out between these local times... */
    windowStart: clock,
    windowEnd: clock,
    /** ...on Monday to Friday only, and never on these dates (YYYY-MM-DD). */
    businessDaysOnly: z.boolean(),
    holidays: z.array(z.string().regex(/^\d{4}-\d{2}-\d{2}$/)).default([]),
    /** Two e-mails to the same client are at least this many days apart. */
    minGapDays: z.number().int().min(0).max(60),
    /** Attempts before a reminder that cannot be delivered is marked failed. */
    maxAttempts: z.number().int().min(1).max(50),
    /** First retry after this many seconds, then doubling (capped at one hour). */
    retryBaseSeconds: z.number().int().min(1).max(3600),
  })
  .refine((s) => s.windowStart < s.windowEnd, {
    message: 'windowStart must be before windowEnd',
    path: ['windowEnd'],
  });

const DEFAULT_SENDING = {
  timeZone: 'Europe/Paris',
  windowStart: '08:30',
  windowEnd: '18:00',
  businessDaysOnly: true,
  holidays: [],
  minGapDays: 3,
  maxAttempts: 8,
  retryBaseSeconds: 60,
};

const ruleConditionSchema = z
  .object({
    grades: z.array(z.enum(GRADES)).optional(),
    noHistory: z.boolean().optional(),
    overLimit: z.boolean().optional(),
    requestedDaysAbove: z.number().int().min(0).optional(),
    lateShareAbove: z.number().min(0).max(1).optional(),
    hasOpenDisputes: z.boolean().optional(),
    overdueDaysAbove: z.number().int().min(0).optional(),
    brokenPromisesAtLeast: z.number().int().min(1).optional(),
  })
  .strict();
export type RuleCondition = z.infer<typeof ruleConditionSchema>;

const termsConditionsSchema = z
  .object({
    depositPercent: z.number().min(0).max(100).optional(),
    maxDays: z.number().int().min(0).optional(),
    prepayment: z.boolean().optional(),
    guarantee: z.boolean().optional(),
  })
  .strict();
export type TermsConditions = z.infer<typeof termsConditionsSchema>;

const decisionRuleSchema = z.object({
  id: z.string().regex(/^[a-z0-9-]+$/, 'rule ids are kebab-case'),
  /** All listed conditions must hold; an empty object always matches. */
  when: ruleConditionSchema,
  decision: z.enum(DECISIONS),
  conditions: termsConditionsSchema.default({}),
  /** Plain words shown to the user. */
  reason: z.string().min(1),
});
export type DecisionRule = z.infer<typeof decisionRuleSchema>;

/** IBAN check digits (ISO 13616 mod 97). */
export function validIban(raw: string): boolean {
  const iban = raw.replace(/\s+/g, '').toUpperCase();
  if (!/^[A-Z]{2}\d{2}[A-Z0-9]{11,30}$/.test(iban)) return false;
  const digits = (iban.slice(4) + iban.slice(0, 4)).replace(/[A-Z]/g, (c) => String(c.charCodeAt(0) - 55));
  let rest = 0;
  for (const ch of digits) rest = (rest * 10 + Number(ch)) % 97;
  return rest === 1;
}

const optionalText = z.string().trim().min(1).optional();

/**
 * Who the letters come from. The guards treat these as the only bank details, links, e-mail addresses
 * and phone numbers a reminder may contain (besides the client's own contact).
 */
export const companySchema = z
  .object({
    legalName: z.string().trim().min(1),
    /** Postal address, one line ("12 rue des Lilas, 69003 Lyon"). */
    address: z.string().trim().min(1),
    siren: z
      .string()
      .regex(/^\d{9}$/, 'a SIREN has 9 digits')
      .optional(),
    vatNumber: z
      .string()
      .regex(/^[A-Z]{2}[0-9A-Z]{2,13}$/, 'a VAT number starts with its country code, e.g. FR12345678901')
      .optional(),
    contactName: optionalText,
    phone: z
      .string()
      .regex(/^\+?[\d ().-]{6,20}$/, 'a phone number, e.g. +33 4 72 00 00 00')
      .optional(),
    email: z.email(),
    replyTo: z.email().optional(),
    iban: z.string().refine(validIban, 'not a valid IBAN (check digits)').optional(),
    bic: z
      .string()
      .regex(/^[A-Z]{6}[A-Z0-9]{2}([A-Z0-9]{3})?$/, 'a BIC has 8 or 11 letters and digits')
      .optional(),
    /** Payment page for one invoice; {invoice}, {client} and {amount} are filled in. */
    paymentLinkTemplate: z
      .string()
      .regex(/^https:\/\/[^\s/]+\/\S*$/, 'an https:// address, e.g. https://pay.example.fr/{invoice}')
      .optional(),
    /** The team or person the letters are signed by ("Service recouvrement"). */
    signature: optionalText,
    defaultLanguage: z.enum(['fr', 'en']).default('fr'),
  })
  .strict();
export type CompanySettings = z.infer<typeof companySchema>;

const cadenceStepSchema = z.object({
  /** Days after the oldest covered due date. */
  day: z.number().int().min(0),
  stage: z.enum(DUNNING_STAGES),
});

export const policySchema = z
  .object({
    name: z.string().default('French SME default'),
    baseCurrency: z.string().regex(/^[A-Z]{3}$/),
    country: z.string().regex(/^[A-Z]{2}$/),
    standardTermsDays: z.number().int().min(0),
    legal: z.object({
      /** Longest lawful term counted from invoice date (France: 60 days, L441-10). */
      maxDaysFromInvoice: z.number().int().min(0),
      /** Alternative lawful cap: N days end of month (France: 45). */
      maxDaysEndOfMonth: z.number().int().min(0).nullable(),
      reference: z.string(),
      latePenalty: z.object({
        enabled: z.boolean(),
        /** Reference rate (ECB main refinancing rate) in percent. */
        referenceRatePercent: z.number().min(0),
        marginPoints: z.number().min(0),
      }),
      /** Fixed recovery indemnity per invoice for professional debtors (France: EUR 40). */
      fixedIndemnity: minor.min(0),
    }),
    aging: z.object({ buckets: z.array(bucketSchema).min(1) }),
    grades: z.object({ A: z.number(), B: z.number(), C: z.number(), D: z.number() }),
    bands: z.object({ low: z.number().min(0).max(100), moderate: z.number().min(0).max(100) }),
    scoring: z.object({
      base: z.number().min(0).max(100),
      /** Maximum points each factor can add or remove. */
      weights: z.record(z.string(), z.number().min(0)),
      /** Sector risk adjustment in points (negative = riskier). */
      sectorRisk: z.record(z.string(), z.number()),
      /** Months of history for full confidence. */
      fullConfidenceMonths: z.number().int().min(1),
      minPaidInvoicesForBehaviour: z.number().int().min(1),
      /**
       * pLate = (late weight + priorStrength x prior) / (outcome weight + priorStrength), with
       * prior = 1 / (1 + exp(-(intercept + slope x (score - 50)))). `encours backtest` suggests values
       * fitted on what actually happened.
       */
      pLate: z
        .object({
          intercept: z.number().min(-10).max(10),
          slope: z.number().min(-1).max(0),
          priorStrength: z.number().positive().max(100),
        })
        .default({ intercept: 0, slope: -0.07, priorStrength: 2 }),
    }),
    limits: z.object({
      /** Highest month-end balance paid within terms, times this multiplier (insurers use 1.25). */
      historyMultiplier: z.number().min(0),
      gradeFactors: z.object({ A: z.number(), B: z.number(), C: z.number(), D: z.number(), E: z.number() }),
      newClientLimit: minor.min(0),
      maxLimit: minor.min(0),
    }),
    decisionRules: z.array(decisionRuleSchema).min(1),
    dunning: z.object({
      cadences: z.record(z.string(), z.array(cadenceStepSchema).min(1)),
      /** Which cadence applies by behaviour class. */
      byBehaviour: z.object({
        good: z.string(),
        standard: z.string(),
        late: z.string(),
        new: z.string(),
      }),
      /** Optional per-segment override of the standard cadence. */
      bySegment: z.record(z.string(), z.string()).default({}),
      /** How a client's behaviour class (good | standard | late | new) is read from its paid invoices. */
      classes: z
        .object({
          /** A relationship younger than this many months is "new". */
          newMonths: z.number().int().min(0),
          /** Late share of paid invoices above this is "late"... */
          lateShareAbove: z.number().min(0).max(1),
          /** ...and so is an average delay (early = 0) above this many days. */
          lateAverageDaysAbove: z.number().min(0),
          /** Late share below this is "good". */
          goodShareBelow: z.number().min(0).max(1),
        })
        .default({ newMonths: 6, lateShareAbove: 0.5, lateAverageDaysAbove: 15, goodShareBelow: 0.1 }),
      /** A formal notice gives this many days to pay. */
      formalNoticeDays: z.number().int().min(1),
      /** Claims below this amount qualify for the simplified small-claims procedure. */
      smallClaimThreshold: minor.min(0),
    }),
    approvals: z.array(
      z.object({
        role: z.enum(ROLES),
        /** Highest exposure after the request this role may approve; null = no cap. */
        maxExposure: minor.min(0).nullable(),
        canDecide: z.array(z.enum(DECISIONS)),
      }),
    ),
    /** When approved reminders go out by e-mail. */
    sending: sendingSchema.default(DEFAULT_SENDING),
    /** The company the letters come from (policy file `company:` section); none by default. */
    company: companySchema.optional(),
  })
  .superRefine((p, ctx) => {
    for (const name of Object.values(p.dunning.byBehaviour).concat(Object.values(p.dunning.bySegment))) {
      if (!p.dunning.cadences[name])
        ctx.addIssue({ code: 'custom', path: ['dunning'], message: `unknown cadence "${name}"` });
    }
    if (!(p.grades.A > p.grades.B && p.grades.B > p.grades.C && p.grades.C > p.grades.D))
      ctx.addIssue({ code: 'custom', path: ['grades'], message: 'thresholds must decrease from A to D' });
    // Aging buckets must tile every overdue day exactly once, or amounts would vanish from the report.
    p.aging.buckets.forEach((b, i) => {
      const expectedFrom = i === 0 ? 1 : (p.aging.buckets[i - 1]!.toDay ?? Number.NaN) + 1;
      const last = i === p.aging.buckets.length - 1;
      const where = ['aging', 'buckets', i];
      if (b.fromDay !== expectedFrom)
        ctx.addIssue({
          code: 'custom',
          path: where,
          message: `bucket "${b.label}" must start at day ${expectedFrom} (buckets are contiguous from day 1)`,
        });
      if (b.toDay !== null && b.toDay < b.fromDay)
        ctx.addIssue({ code: 'custom', path: where, message: `bucket "${b.label}" ends before it starts` });
      if (last !== (b.toDay === null))
        ctx.addIssue({
          code: 'custom',
          path: where,
          message: last
            ? 'the last bucket must be open-ended (toDay: null)'
            : 'only the last bucket may be open-ended',
        });
    });
    if (p.bands.low <= p.bands.moderate)
      ctx.addIssue({ code: 'custom', path: ['bands'], message: 'low must be above moderate' });
  });

export type Policy = z.infer<typeof policySchema>;

const EUR = (euros: number) => euros * 100;

export const DEFAULT_POLICY: Policy = {
  name: 'French SME default',
  baseCurrency: 'EUR',
  country: 'FR',
  standardTermsDays: 30,
  legal: {
    maxDaysFromInvoice: 60,
    maxDaysEndOfMonth: 45,
    reference: 'Code de commerce, article L441-10',
    latePenalty: { enabled: true, referenceRatePercent: 2.15, marginPoints: 10 },
    fixedIndemnity: EUR(40),
  },
  aging: {
    buckets: [
      { label: '1-30', fromDay: 1, toDay: 30 },
      { label: '31-60', fromDay: 31, toDay: 60 },
      { label: '61-90', fromDay: 61, toDay: 90 },
      { label: '90+', fromDay: 91, toDay: null },
    ],
  },
  grades: { A: 80, B: 65, C: 50, D: 35 },
  bands: { low: 70, moderate: 40 },
  scoring: {
    base: 50,
    weights: {
      paymentBehaviour: 20,
      lateFrequency: 12,
      currentOverdue: 15,
      openDisputes: 6,
      brokenPromises: 8,
      exposure: 8,
      relationshipAge: 5,
      orderTrend: 5,
      externalScore: 8,
      sectorRisk: 4,
    },
    sectorRisk: { construction: -4, restaurants: -4, hospitality: -3, retail: -1, industry: 0, services: 1 },
    fullConfidenceMonths: 24,
    minPaidInvoicesForBehaviour: 3,
    // About half of French B2B invoices are paid after their due date: a neutral score (50) starts
    // at 50%; 80 at 11%, 20 at 89%; the client's own record outweighs this after a few invoices.
    pLate: { intercept: 0, slope: -0.07, priorStrength: 2 },
  },
  limits: {
    historyMultiplier: 1.25,
    gradeFactors: { A: 1.2, B: 1, C: 0.8, D: 0.5, E: 0 },
    newClientLimit: EUR(5_000),
    maxLimit: EUR(500_000),
  },
  decisionRules: [
    {
      id: 'grade-e',
      when: { grades: ['E'] },
      decision: 'decline',
      conditions: { prepayment: true },
      reason: 'high-risk client (grade E): credit terms are declined, prepayment only',
    },
    {
      id: 'over-limit',
      when: { overLimit: true },
      decision: 'needs_approval',
      conditions: {},
      reason: 'the request would take exposure over the credit limit: a finance approver must decide',
    },
    {
      id: 'no-history',
      when: { noHistory: true },
      decision: 'approve_with_conditions',
      conditions: { depositPercent: 30, maxDays: 30 },
      reason: 'new client without payment history: partial deposit and standard terms until history builds',
    },
    {
      id: 'grade-d',
      when: { grades: ['D'] },
      decision: 'approve_with_conditions',
      conditions: { depositPercent: 30, maxDays: 30 },
      reason: 'weak payment record (grade D): deposit required and terms kept short',
    },
    {
      id: 'open-dispute-long-terms',
      when: { hasOpenDisputes: true, requestedDaysAbove: 30 },
      decision: 'needs_approval',
      conditions: {},
      reason: 'open dispute on file: longer terms need a finance approver',
    },
    {
      id: 'chronic-late',
      when: { lateShareAbove: 0.5 },
      decision: 'approve_with_conditions',
      conditions: { maxDays: 30 },
      reason: 'more than half of recent invoices paid late: terms shortened',
    },
    {
      id: 'long-terms-grade-c',
      when: { grades: ['C'], requestedDaysAbove: 30 },
      decision: 'needs_approval',
      conditions: {},
      reason: 'terms above 30 days for an average-risk client (grade C) need approval',
    },
    {
      id: 'reliable',
      when: {},
      decision: 'approve',
      conditions: {},
      reason: 'reliable client within policy and limit',
    },
  ],
  dunning: {
    cadences: {
      courteous: [
        { day: 7, stage: 'friendly' },
        { day: 15, stage: 'clear' },
        { day: 30, stage: 'firm' },
        { day: 45, stage: 'final_notice' },
        { day: 60, stage: 'formal_notice' },
        { day: 90, stage: 'legal' },
      ],
      standard: [
        { day: 1, stage: 'friendly' },
        { day: 7, stage: 'clear' },
        { day: 14, stage: 'firm' },
        { day: 21, stage: 'phone_call' },
        { day: 30, stage: 'final_notice' },
        { day: 45, stage: 'formal_notice' },
        { day: 75, stage: 'legal' },
      ],
      firm: [
        { day: 3, stage: 'clear' },
        { day: 10, stage: 'firm' },
        { day: 15, stage: 'phone_call' },
        { day: 21, stage: 'final_notice' },
        { day: 30, stage: 'formal_notice' },
        { day: 60, stage: 'legal' },
      ],
      tight: [
        { day: 1, stage: 'friendly' },
        { day: 5, stage: 'clear' },
        { day: 10, stage: 'firm' },
        { day: 15, stage: 'phone_call' },
        { day: 25, stage: 'final_notice' },
        { day: 40, stage: 'formal_notice' },
        { day: 70, stage: 'legal' },
      ],
    },
    byBehaviour: { good: 'courteous', standard: 'standard', late: 'firm', new: 'tight' },
    bySegment: {},
    classes: { newMonths: 6, lateShareAbove: 0.5, lateAverageDaysAbove: 15, goodShareBelow: 0.1 },
    formalNoticeDays: 8,
    smallClaimThreshold: EUR(5_000),
  },
  approvals: [
    { role: 'viewer', maxExposure: 0, canDecide: [] },
    { role: 'sales', maxExposure: EUR(20_000), canDecide: ['approve_with_conditions', 'decline'] },
    {
      role: 'finance',
      maxExposure: EUR(250_000),
      canDecide: ['approve', 'approve_with_conditions', 'needs_approval', 'decline'],
    },
    {
      role: 'admin',
      maxExposure: null,
      canDecide: ['approve', 'approve_with_conditions', 'needs_approval', 'decline'],
    },
  ],
  sending: DEFAULT_SENDING,
};
