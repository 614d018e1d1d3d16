import { callTool } from '../../tools/call.ts';
import { currencyOf } from '../../tools/common.ts';
import { tools as registry } from '../../tools/index.ts';
import type { ToolDefinition } from '../../tools/types.ts';
import { checkGroundedness, extractValues, indexFacts } from '../core/grounding.ts';
import { formatPercent } from '../core/letters.ts';
import { foldText } from '../core/text.ts';
import { logAgentTurn } from '../services/agent-log.ts';
import { asAgent, type Caller } from '../services/callers.ts';
import type { ServiceContext } from '../services/context.ts';
import { hashValue } from '../services/hash.ts';
import { formatterFor } from '../wording/index.ts';
import { bandPhrase } from '../wording/score.ts';
import { conditionList, decisionWord, roleWord } from '../wording/terms.ts';
import { type DisputeFileResult, offlineNote, summariseDispute } from './dispute-summary.ts';
import { detectLanguage, type Language } from './language.ts';
import type { AgentTurn, AskOptions, ToolCallRecord } from './loop.ts';
import { emptyUsage, estimateCost } from './pricing.ts';
import { loadPrompts } from './prompts.ts';

/**
 * The offline responder: without an API key, `ask` still answers the main questions in French and
 * English. It recognises the intent with word patterns, finds the client with `find-client`, calls
 * the same tools as the model would (through `callTool`), and writes fixed wording around the
 * tools' figures. Every answer says it was produced offline, and is logged like a model turn.
 */

export const OFFLINE_MODEL = 'offline';

export type Intent =
  | 'terms'
  | 'score_explain'
  | 'score'
  | 'limit'
  | 'aging'
  | 'overdue'
  | 'kpis'
  | 'dunning'
  | 'forecast'
  | 'reminder_draft'
  | 'dispute'
  | 'profile'
  | 'help';

export interface ParsedQuestion {
  intent: Intent;
  language: Language;
  days?: number;
  endOfMonth?: boolean;
  /** In currency units (what the tools take), from an amount typed with a currency. */
  amount?: number;
  minDays?: number;
  scenario?: string;
  invoiceRef?: string;
}

// Word patterns, matched on folded text (lower case, no accents, punctuation as spaces).
const W = {
  terms:
    /\b(accorder|accorde|accordons|donner|donne|give|grant|allow|offer|offrir|proposer|terms|terme|termes|delai|delais|conditions|echeance|extend|allonger|passer a|net)\b/,
  can: /\b(can|could|may|peut|peux|pouvons|possible|ok)\b/,
  overdue:
    /\b(overdue|retard|retards|impaye|impayes|impayee|impayees|echu|echus|echue|echues|late|past due|unpaid|souffrance)\b/,
  kpis: /\b(dso|kpi|kpis|cei|add|indicateur|indicateurs|delai moyen|days sales|collection effectiveness)\b/,
  aging: /\b(aging|ageing|balance agee|balance agee|anciennete|agee|agees|buckets?|tranches?)\b/,
  dunning:
    /\b(dunning|plan de relance|plan des relances|qui relancer|who should we remind|who to remind|relances a faire|relances prevues|relances du jour|next actions?|prochaines? actions?|reminder plan)\b/,
  draft:
    /\b(draft|drafts|redige|rediger|redigez|redigе|prepare|preparer|preparez|ecris|ecrire|ecrivez|write)\b/,
  letter:
    /\b(reminder|reminders|relance|relances|lettre|letter|mise en demeure|rappel|notice|courrier|email|mail|recap|accuse|acknowledgement|acknowledgment|confirmation)\b/,
  remindVerb: /\b(relance|relancer|relancez|remind)\b/,
  dispute:
    /\b(litige|litiges|contestation|contestations|conteste|contestee|dispute|disputes|disputed|differend|reclamation)\b/,
  why: /\b(why|pourquoi|explain|explique|expliquer|expliquez|explication|factors?|facteurs?)\b/,
  score: /\b(score|grade|note|notation|risque|risk|rating|cotation)\b/,
  limit: /\b(limit|limite|plafond|credit line|ligne de credit|encours max|encours autorise)\b/,
  forecast: /\b(forecast|prevision|previsions|encaissements?|cash in|expected payments?|rentrees)\b/,
  profile:
    /\b(profile|profil|fiche|who is|qui est|tell me about|parle moi|situation|owe|owes|doit|combien|balance|solde|encours)\b/,
  eom: /\b(fin de mois|end of month|eom|fdm)\b/,
};

const SCENARIO_WORDS: [RegExp, string][] = [
  [/\b(mise en demeure|formal notice)\b/, 'formal_notice'],
  [/\b(dernier rappel|derniere relance|final notice|final reminder|last reminder)\b/, 'final_notice'],
  [/\b(accuse|acknowledge|acknowledgement|accuser)\b/, 'dispute_acknowledgement'],
  [/\b(promesse|promise|engagement)\b/, 'promise_confirmation'],
  [/\b(appel|call|telephon\w*|recap)\b/, 'call_recap'],
  [/\b(ferme|firm)\b/, 'firm'],
  [/\b(amical|amicale|friendly|courtois|courtoise|courteous)\b/, 'friendly'],
  [/\b(clair|clear)\b/, 'clear'],
];

const INVOICE_REF = /\b[A-Za-z]{1,6}[-_/]?\d+(?:[-_/]\d+)+\b|\b[A-Za-z]{1,3}\d{4,}\b/g;

/** Recognises the intent and the figures the user typed (days, amount, minimum days overdue). */
export function parseQuestion(question: string): ParsedQuestion {
  const q = foldText(question);
  const language = detectLanguage(question);
  const daysMatch = /\b(\d{1,3}) ?(?:jours?|j|days?|d)\b/.exec(q) ?? /\bnet (\d{1,3})\b/.exec(q);
  const days = daysMatch ? Number(daysMatch[1]) : undefined;
  const amountCents = extractValues(question).find((v) => v.kind === 'amount')?.value;
  const amount = typeof amountCents === 'number' ? amountCents / 100 : undefined;
  const invoiceRef = [...question.matchAll(INVOICE_REF)].map((m) => m[0]).find((r) => !/^\d/.test(r));
  const scenario = SCENARIO_WORDS.find(([re]) => re.test(q))?.[1];
  const base = { language, ...(invoiceRef ? { invoiceRef } : {}) };

  const drafting =
    (W.draft.test(q) && W.letter.test(q)) || (W.remindVerb.test(q) && !W.dunning.test(q) && W.draft.test(q));
  if (W.dispute.test(q) && invoiceRef && !drafting) return { ...base, intent: 'dispute' };
  if (drafting || /^(relance|relancer|relancez|remind)\b/.test(q))
    return {
      ...base,
      intent: 'reminder_draft',
      ...(scenario ? { scenario } : W.dispute.test(q) ? { scenario: 'dispute_acknowledgement' } : {}),
    };
  const otherReport =
    W.overdue.test(q) || W.kpis.test(q) || W.aging.test(q) || W.dunning.test(q) || W.forecast.test(q);
  // "N days" with no report word is a terms request ("Dupont BTP à 45 jours fin de mois ?").
  if (days !== undefined && !otherReport)
    return {
      ...base,
      intent: 'terms',
      days,
      ...(W.eom.test(q) ? { endOfMonth: true } : {}),
      ...(amount !== undefined ? { amount } : {}),
    };
  if (W.kpis.test(q)) return { ...base, intent: 'kpis' };
  if (W.aging.test(q)) return { ...base, intent: 'aging' };
  if (W.dunning.test(q)) return { ...base, intent: 'dunning' };
  if (W.overdue.test(q)) {
    const over = /\b(?:over|more than|plus de|au dela de|beyond|depuis plus de) (\d{1,3})\b/.exec(q);
    const least = /\b(?:at least|au moins|minimum) (\d{1,3})\b/.exec(q);
    const minDays = over ? Number(over[1]) + 1 : least ? Number(least[1]) : undefined;
    return { ...base, intent: 'overdue', ...(minDays ? { minDays } : {}) };
  }
  if (W.dispute.test(q)) return { ...base, intent: 'dispute' };
  if (W.forecast.test(q)) return { ...base, intent: 'forecast' };
  if (W.limit.test(q)) return { ...base, intent: 'limit' };
  if (W.why.test(q)) return { ...base, intent: 'score_explain' };
  if (W.score.test(q)) return { ...base, intent: 'score' };
  if (W.profile.test(q)) return { ...base, intent: 'profile' };
  return { ...base, intent: 'profile' };
}

// ---------------------------------------------------------------------------------------------
// Client extraction

const STOP = new Set(
  (
    'a au aux avec ce ces cet cette client clients de des du elle en est et il ils je la le les leur lui ma mais me mes moi mon ne nous on ou par pas pour qu que quel quelle quels quelles qui sa se ses son sur ta te tes toi ton tu un une vos votre vous y ' +
    'peut peux pouvons pourquoi combien comment donner accorder accorde accordons proposer offrir jours jour delai delais conditions echeance fin mois note score notation risque ' +
    'explique expliquer expliquez explication facteurs situation fiche profil solde encours doit devons relance relancer relancez relances redige rediger redigez prepare preparer preparez ecris ecrire lettre courrier rappel mise demeure amical amicale ferme clair dernier derniere ' +
    'litige litiges contestation facture factures retard retards impaye impayes echu echues balance agee plan prochaine prochaines action actions prevision previsions encaissements limite plafond ' +
    'the an is are was be can could may we you they it its of to in on at for with and or our their this that these those what which who whom why how much many give grant allow offer terms days day ' +
    'grade rating risk explain factors profile tell me about owe owes balance draft write reminder reminders letter notice friendly firm clear final formal overdue late unpaid invoice invoices ' +
    'dispute disputes disputed aging ageing kpi kpis dso cei forecast limit credit line show list please summarise summarize summary resume resumer ok yes no net eom end month ' +
    'approve approval confirm confirmation promise promesse call appel recap moins plus over more than least minimum ' +
    'aujourd hui today now maintenant this week semaine mois month year annee portfolio portefeuille top tous toutes all total montant amount sont ont avons have has do does did est-ce quels quelles liste lister montre montrer donne moi me us nos notre entreprise societe company'
  ).split(' '),
);
const JOINERS = new Set(['de', 'du', 'des', 'la', 'le', 'les', 'et', '&', 'and', 'of', 'the', 'd', 'l']);

/** Candidate client names in a question, longest and earliest first. */
export function clientCandidates(question: string): string[] {
  const tokens = question
    .replace(/[’]/g, "'")
    .split(/[\s,;:!?()«»"“”]+/)
    .map((t) =>
      t
        .replace(/^(d|l|qu)'/i, '')
        .replace(/'s$/i, '')
        .replace(/[.'-]+$/g, ''),
    )
    .filter(Boolean);
  const isContent = (t: string) => {
    const f = foldText(t);
    return (
      !!f &&
      f.split(' ').some((part) => !STOP.has(part)) &&
      !/^\d+([.,]\d+)?$/.test(f) &&
      !/^\d+\s?(j|d|jours?|days?|k)$/.test(f) &&
      f.length > 1
    );
  };
  const runs: string[][] = [];
  let run: string[] = [];
  const flush = () => {
    while (run.length && !isContent(run[run.length - 1]!)) run.pop();
    if (run.length) runs.push(run);
    run = [];
  };
  for (const t of tokens) {
    if (isContent(t)) run.push(t);
    else if (run.length && JOINERS.has(foldText(t))) run.push(t);
    else flush();
  }
  flush();
  const out: string[] = [];
  for (const r of runs) {
    out.push(r.join(' '));
    const content = r.filter(isContent);
    for (let n = content.length - 1; n >= 1; n--)
      for (let i = 0; i + n <= content.length; i++) out.push(content.slice(i, i + n).join(' '));
  }
  return [...new Set(out)];
}

// ---------------------------------------------------------------------------------------------
// Answering

interface Money {
  minor: number;
  text: string;
}
// Tool results are validated by their output schemas; this module reads them loosely.
// biome-ignore lint/suspicious/noExplicitAny: tool results are JSON validated by each tool's output schema
type R = any;

export interface OfflineDeps {
  services: ServiceContext;
  caller: Caller;
  tools?: readonly ToolDefinition[];
}

class Session {
  readonly calls: ToolCallRecord[] = [];
  readonly results: unknown[] = [];
  constructor(
    readonly deps: OfflineDeps,
    readonly lang: Language,
    readonly asOf: string | undefined,
  ) {}

  get fr() {
    return this.lang === 'fr';
  }
  get f() {
    return formatterFor(this.lang);
  }
  t(fr: string, en: string) {
    return this.lang === 'fr' ? fr : en;
  }
  money(m: Money | number | null | undefined): string {
    if (m === null || m === undefined) return this.t('aucune', 'none');
    if (typeof m === 'number') return this.f.money(m, this.deps.services.policy.policy.baseCurrency);
    return this.f.money(m.minor, currencyOf(m.text));
  }
  date(d: string | null | undefined): string {
    return d ? this.f.date(d) : '-';
  }

  /** Runs a registry tool through callTool, recording the call like the model loop does. */
  async run(
    name: string,
    args: Record<string, unknown>,
  ): Promise<{ ok: true; result: R } | { ok: false; message: string }> {
    const all = this.deps.tools ?? registry;
    const tool = all.find((x) => x.name === name);
    const withAsOf = this.asOf && tool && 'asOf' in tool.input.shape ? { ...args, asOf: this.asOf } : args;
    const argsHash = hashValue(withAsOf);
    if (!tool) {
      const error = {
        code: 'UNAVAILABLE',
        message: `the ${name} tool is not available in this installation`,
      };
      this.calls.push({ name, args: withAsOf, argsHash, ok: false, resultHash: hashValue(error), error });
      return { ok: false, message: error.message };
    }
    const outcome = await callTool(tool, withAsOf, {
      services: this.deps.services,
      caller: asAgent(this.deps.caller),
      language: this.lang,
    });
    if (!outcome.ok) {
      const error = { code: outcome.error.code, message: outcome.error.message };
      this.calls.push({
        name,
        args: withAsOf,
        argsHash,
        ok: false,
        resultHash: hashValue(outcome.error),
        error,
      });
      return { ok: false, message: outcome.text };
    }
    this.results.push(outcome.result);
    this.calls.push({
      name,
      args: withAsOf,
      argsHash,
      ok: true,
      resultHash: hashValue(outcome.result),
      result: outcome.result,
    });
    return { ok: true, result: outcome.result };
  }

  failed(what: string, message: string): string {
    return this.t(`Je n'ai pas pu obtenir ${what} : ${message}`, `I could not get ${what}: ${message}`);
  }
}

type ClientPick =
  | { status: 'found'; ref: string; name: string }
  | { status: 'ambiguous'; query: string; candidates: { ref: string; name: string }[] }
  | { status: 'none'; candidates: { ref: string; name: string }[] };

/** Tries candidate names with find-client until one matches a single client. */
async function pickClient(s: Session, question: string): Promise<ClientPick> {
  let ambiguous: ClientPick | null = null;
  let closest: { ref: string; name: string }[] = [];
  for (const query of clientCandidates(question).slice(0, 15)) {
    const r = await s.run('find-client', { query });
    if (!r.ok) continue;
    if (r.result.status === 'found')
      return { status: 'found', ref: r.result.match.ref, name: r.result.match.name };
    if (r.result.status === 'ambiguous' && !ambiguous)
      ambiguous = { status: 'ambiguous', query, candidates: r.result.candidates };
    if (r.result.status === 'not_found' && !closest.length) closest = r.result.candidates;
  }
  return ambiguous ?? { status: 'none', candidates: closest };
}

function clientProblem(s: Session, pick: Exclude<ClientPick, { status: 'found' }>): string {
  const list = (c: { ref: string; name: string }[]) => c.map((x) => `${x.name} (${x.ref})`).join(', ');
  if (pick.status === 'ambiguous')
    return s.t(
      `« ${pick.query} » correspond à plusieurs clients : ${list(pick.candidates)}. Précisez lequel (nom complet ou référence).`,
      `"${pick.query}" matches several clients: ${list(pick.candidates)}. Which one do you mean (full name or ref)?`,
    );
  return s.t(
    `Je ne trouve pas de client dans la question. Donnez son nom ou sa référence (par exemple C001).${pick.candidates.length ? ` Noms proches : ${list(pick.candidates)}.` : ''}`,
    `I could not find a client in the question. Give its name or ref (for example C001).${pick.candidates.length ? ` Close names: ${list(pick.candidates)}.` : ''}`,
  );
}

async function answerTerms(
  s: Session,
  p: ParsedQuestion,
  client: { ref: string; name: string },
): Promise<string> {
  const args: Record<string, unknown> = { client: client.ref, days: p.days };
  if (p.amount !== undefined) args.amount = p.amount;
  if (p.endOfMonth) args.endOfMonth = true;
  const r = await s.run('evaluate-terms-request', args);
  if (!r.ok) return s.failed(s.t('la décision', 'the decision'), r.message);
  const x = r.result;
  const word = decisionWord(x.decision, s.lang);
  const lines: string[] = [];
  const eom = p.endOfMonth ? s.t(' fin de mois', ' end of month') : '';
  const amount =
    p.amount !== undefined && x.request?.amount !== undefined
      ? ` ${s.t('pour', 'for')} ${s.money(x.request.amount)}`
      : '';
  lines.push(
    s.t(
      `${x.client?.name ?? client.name} (${x.client?.ref ?? client.ref}), ${p.days} jours${eom}${amount} : ${word} (${x.decision}), au ${s.date(x.asOf)}.`,
      `${x.client?.name ?? client.name} (${x.client?.ref ?? client.ref}), ${p.days} days${eom}${amount}: ${word} (${x.decision}), as of ${s.date(x.asOf)}.`,
    ),
  );
  if (x.legal && x.legal.lawful === false)
    lines.push(
      s.t(
        `Illégal, quel que soit le score : ${x.legal.text ?? x.legal.reference ?? ''}`,
        `Unlawful, whatever the score: ${x.legal.text ?? x.legal.reference ?? ''}`,
      ),
    );
  // The legal refusal is stated once, above.
  const reasons: { rule: string; text: string }[] = (x.reasons ?? []).filter(
    (r: { rule: string }) => !(x.legal?.lawful === false && r.rule === 'legal-cap'),
  );
  if (reasons.length) {
    lines.push(s.t('Raisons :', 'Reasons:'));
    for (const reason of reasons) lines.push(`- ${reason.text}`);
  }
  const c = x.conditions;
  const conditions = conditionList(
    { ...c, depositAmount: c.deposit.minor },
    x.request.days,
    currencyOf(c.deposit.text),
    s.lang,
  );
  lines.push(
    s.t(
      `Conditions : ${conditions.length ? conditions.join(', ') : 'aucune'}.`,
      `Conditions: ${conditions.length ? conditions.join(', ') : 'none'}.`,
    ),
  );
  const role = x.approverRole ? roleWord(x.approverRole, s.lang) : null;
  if (x.decision === 'needs_approval')
    lines.push(
      role
        ? s.t(
            `À faire valider par : le rôle ${role} (ou au-dessus).`,
            `Who must approve: the ${role} role (or above).`,
          )
        : s.t(
            'À faire valider : aucun rôle de la politique ne peut décider à ce niveau.',
            'Who must approve: no role in the policy may decide at this exposure.',
          ),
    );
  else if (role)
    lines.push(
      s.t(
        `Décision possible par : le rôle ${role} (ou au-dessus).`,
        `Can be decided by: the ${role} role (or above).`,
      ),
    );
  if (x.score !== undefined)
    lines.push(
      s.t(
        `Score ${x.score}/100, note ${x.grade} ; exposition après la demande ${s.money(x.exposureAfter)} pour une limite de ${s.money(x.limit)}.`,
        `Score ${x.score}/100, grade ${x.grade}; exposure after the request ${s.money(x.exposureAfter)} against a limit of ${s.money(x.limit)}.`,
      ),
    );
  const id = x.decisionId ?? x.id;
  if (id) lines.push(s.t(`Recommandation enregistrée : ${id}.`, `Recommendation recorded: ${id}.`));
  return lines.join('\n');
}

/** The grade a question takes for granted ("why is X grade D?", "pourquoi X est notée D"). */
export function askedGrade(question: string): string | null {
  const m = /\b(?:grade|graded|rated|not[ée]e?s?|class[ée]e?s?|en)\s+([A-E])\b/.exec(question);
  return m ? m[1]! : null;
}

async function answerScoreExplain(s: Session, client: { ref: string }, question: string): Promise<string> {
  const r = await s.run('explain-score', { client: client.ref });
  if (!r.ok) return s.failed(s.t('le score', 'the score'), r.message);
  const x = r.result;
  const band = bandPhrase(x.band, s.lang);
  const lines = [
    s.t(
      `${x.client.name} (${x.client.ref}) : note ${x.grade}, score ${x.score}/100, ${band}, au ${s.date(x.asOf)}.`,
      `${x.client.name} (${x.client.ref}): grade ${x.grade}, score ${x.score}/100, ${band}, as of ${s.date(x.asOf)}.`,
    ),
    s.t(`Chaque client part de ${x.base} points.`, `Every client starts from ${x.base} points.`),
  ];
  const asked = askedGrade(question);
  if (asked && asked !== x.grade)
    lines.splice(
      1,
      0,
      s.t(
        `Attention : la note actuelle est ${x.grade}, pas ${asked}.`,
        `Note: the current grade is ${x.grade}, not ${asked}.`,
      ),
    );
  const factor = (f: { label: string; points: number; detail: string }) =>
    `- ${f.label} : ${f.points > 0 ? '+' : ''}${f.points} points (${f.detail})`.replace(
      ' : ',
      s.fr ? ' : ' : ': ',
    );
  if (x.concerns?.length) {
    lines.push(s.t('Ce qui fait baisser le score :', 'What lowers the score:'));
    for (const f of x.concerns) lines.push(factor(f));
  }
  if (x.strengths?.length) {
    lines.push(s.t('Ce qui le soutient :', 'What supports it:'));
    for (const f of x.strengths) lines.push(factor(f));
  }
  if (x.reliability) lines.push(s.t(`Fiabilité : ${x.reliability}`, `Reliability: ${x.reliability}`));
  return lines.join('\n');
}

async function answerScore(s: Session, client: { ref: string }): Promise<string> {
  const r = await s.run('get-client-score', { client: client.ref });
  if (!r.ok) return s.failed(s.t('le score', 'the score'), r.message);
  const x = r.result;
  const band = bandPhrase(x.band, s.lang);
  const top = [...(x.factors ?? [])]
    .filter((f: { points: number }) => f.points !== 0)
    .sort((a: { points: number }, b: { points: number }) => Math.abs(b.points) - Math.abs(a.points))
    .slice(0, 3)
    .map((f: { label: string; points: number }) => `${f.label} (${f.points > 0 ? '+' : ''}${f.points})`);
  return [
    s.t(
      `${x.client.name} (${x.client.ref}) : score ${x.score}/100, note ${x.grade}, ${band}, au ${s.date(x.asOf)}.`,
      `${x.client.name} (${x.client.ref}): score ${x.score}/100, grade ${x.grade}, ${band}, as of ${s.date(x.asOf)}.`,
    ),
    s.t(
      `Probabilité de payer la prochaine facture en retard : ${formatPercent(x.pLatePercent, 'fr')}.`,
      `Probability of paying the next invoice late: ${formatPercent(x.pLatePercent, 'en')}.`,
    ),
    top.length ? s.t(`Principaux facteurs : ${top.join(', ')}.`, `Main factors: ${top.join(', ')}.`) : '',
  ]
    .filter(Boolean)
    .join('\n');
}

async function answerProfile(s: Session, client: { ref: string }): Promise<string> {
  const r = await s.run('get-client-profile', { client: client.ref });
  if (!r.ok) return s.failed(s.t('la fiche client', 'the client profile'), r.message);
  const x = r.result;
  const t = x.totals;
  const lines = [
    s.t(
      `${x.client.name} (${x.client.ref}), au ${s.date(x.asOf)} : encours ${s.money(t.openBalance)}, dont échu ${s.money(t.overdue)} (${t.overdueInvoices} factures, retard maximal ${t.oldestDaysOverdue} jours).`,
      `${x.client.name} (${x.client.ref}), as of ${s.date(x.asOf)}: open balance ${s.money(t.openBalance)}, of which overdue ${s.money(t.overdue)} (${t.overdueInvoices} invoices, oldest ${t.oldestDaysOverdue} days overdue).`,
    ),
    s.t(
      `Commandes ouvertes ${s.money(t.openOrders)} ; exposition ${s.money(t.exposure)} ; limite de crédit ${s.money(x.client.creditLimit)}.`,
      `Open orders ${s.money(t.openOrders)}; exposure ${s.money(t.exposure)}; credit limit ${s.money(x.client.creditLimit)}.`,
    ),
  ];
  const disputes = (x.disputes ?? []).filter((d: { status: string }) => d.status === 'open');
  if (disputes.length)
    lines.push(
      s.t(
        `Litiges ouverts : ${disputes.map((d: { invoiceRef: string }) => d.invoiceRef).join(', ')}.`,
        `Open disputes: ${disputes.map((d: { invoiceRef: string }) => d.invoiceRef).join(', ')}.`,
      ),
    );
  return lines.join('\n');
}

async function answerLimit(s: Session, client: { ref: string; name: string }): Promise<string> {
  const r = await s.run('get-credit-limit', { client: client.ref });
  if (!r.ok) return s.failed(s.t('la limite de crédit', 'the credit limit'), r.message);
  const x = r.result;
  const source =
    x.limitSource === 'client'
      ? s.t('fixée sur la fiche client', 'set on the client')
      : s.t('recommandée', 'recommended');
  return [
    s.t(
      `${x.client.name} (${x.client.ref}), au ${s.date(x.asOf)} : limite de crédit ${s.money(x.limit)} (${source}) ; exposition ${s.money(x.exposure)} ; disponible ${s.money(x.available)}.`,
      `${x.client.name} (${x.client.ref}), as of ${s.date(x.asOf)}: credit limit ${s.money(x.limit)} (${source}); exposure ${s.money(x.exposure)}; available ${s.money(x.available)}.`,
    ),
    s.t(
      `Limite recommandée : ${s.money(x.recommended.amount)} (note ${x.grade}, score ${x.score}/100) ; calcul : ${x.recommended.basis}`,
      `Recommended limit: ${s.money(x.recommended.amount)} (grade ${x.grade}, score ${x.score}/100); basis: ${x.recommended.basis}`,
    ),
  ].join('\n');
}

function columnWord(s: Session, column: string): string {
  if (column === 'not_due') return s.t('non échue', 'not due');
  if (column === 'disputed') return s.t('en litige', 'disputed');
  return s.t(`${column} jours de retard`, `${column} days overdue`);
}

function scopeText(s: Session, scope: { ref: string; name: string } | null): string {
  return scope ? `${scope.name} (${scope.ref})` : s.t('portefeuille', 'portfolio');
}

async function answerAging(s: Session, client: { ref: string } | null): Promise<string> {
  const r = await s.run('get-aging', { ...(client ? { client: client.ref } : {}), limit: 5 });
  if (!r.ok) return s.failed(s.t('la balance âgée', 'the aging balance'), r.message);
  const x = r.result;
  const t = x.totals;
  const lines = [
    s.t(
      `Balance âgée au ${s.date(x.asOf)} (${scopeText(s, x.scope)}) : ${s.money(t.totalOpen)} ouverts, dont ${s.money(t.notDue)} non échus, ${s.money(t.overdue)} échus et ${s.money(t.disputed)} en litige (${t.openInvoices} factures).`,
      `Aging as of ${s.date(x.asOf)} (${scopeText(s, x.scope)}): ${s.money(t.totalOpen)} open, of which ${s.money(t.notDue)} not due, ${s.money(t.overdue)} overdue and ${s.money(t.disputed)} disputed (${t.openInvoices} invoices).`,
    ),
    `${s.t('Retard par tranche', 'Overdue by bucket')}${s.fr ? ' : ' : ': '}${t.buckets
      .map((b: { label: string; amount: Money; count: number }) =>
        s.t(
          `${b.label} j : ${s.money(b.amount)} (${b.count} fact.)`,
          `${b.label} days: ${s.money(b.amount)} (${b.count})`,
        ),
      )
      .join(s.fr ? ' ; ' : '; ')}`,
  ];
  if (!x.scope) {
    const top = (x.clients ?? []).filter((c: { overdue: Money }) => c.overdue.minor > 0).slice(0, 5);
    if (top.length) {
      lines.push(s.t('Clients les plus en retard :', 'Most overdue clients:'));
      for (const c of top)
        lines.push(
          s.t(
            `- ${c.name} (${c.ref}) : ${s.money(c.overdue)} échus, jusqu'à ${c.oldestDaysOverdue} jours de retard`,
            `- ${c.name} (${c.ref}): ${s.money(c.overdue)} overdue, up to ${c.oldestDaysOverdue} days`,
          ),
        );
    }
  } else {
    for (const i of (x.invoices ?? []).slice(0, 10))
      lines.push(
        s.t(
          `- ${i.ref}, échéance ${s.date(i.dueDate)} : ${s.money(i.open)} (${columnWord(s, i.column)})`,
          `- ${i.ref}, due ${s.date(i.dueDate)}: ${s.money(i.open)} (${columnWord(s, i.column)})`,
        ),
      );
  }
  if (x.findingCounts?.total)
    lines.push(
      s.t(
        `${x.findingCounts.total} anomalie(s) de données à vérifier (encours aging --json).`,
        `${x.findingCounts.total} data-quality finding(s) to check (encours aging --json).`,
      ),
    );
  return lines.join('\n');
}

async function answerOverdue(s: Session, client: { ref: string } | null, minDays?: number): Promise<string> {
  const scope = client ? { client: client.ref } : {};
  const r = await s.run('list-overdue-invoices', { ...scope, ...(minDays ? { minDays } : {}), limit: 10 });
  if (!r.ok) return s.failed(s.t('les factures en retard', 'the overdue invoices'), r.message);
  const x = r.result;
  const lines: string[] = [];
  const n = x.counts.total;
  if (minDays)
    lines.push(
      s.t(
        `${n} facture(s) en retard d'au moins ${minDays} jours au ${s.date(x.asOf)}.`,
        `${n} invoice(s) at least ${minDays} days overdue as of ${s.date(x.asOf)}.`,
      ),
    );
  else {
    const aging = await s.run('get-aging', { ...scope, limit: 1 });
    const total = aging.ok ? aging.result.totals.overdue : null;
    const disputed = aging.ok ? aging.result.totals.disputed : null;
    lines.push(
      s.t(
        `${n} facture(s) en retard au ${s.date(x.asOf)}${total ? `, pour ${s.money(total)} échus hors litiges (et ${s.money(disputed)} en litige)` : ''}.`,
        `${n} overdue invoice(s) as of ${s.date(x.asOf)}${total ? `, ${s.money(total)} overdue excluding disputes (plus ${s.money(disputed)} disputed)` : ''}.`,
      ),
    );
  }
  if (x.invoices.length) {
    lines.push(
      x.counts.shown < n
        ? s.t(`Les ${x.counts.shown} premières :`, `The first ${x.counts.shown}:`)
        : s.t('Détail :', 'Details:'),
    );
    for (const i of x.invoices)
      lines.push(
        s.t(
          `- ${i.ref} ${i.clientName} (${i.clientRef}) : ${s.money(i.open)}, échue le ${s.date(i.dueDate)}, ${i.daysOverdue} jours${i.disputed ? ', en litige' : ''}`,
          `- ${i.ref} ${i.clientName} (${i.clientRef}): ${s.money(i.open)}, due ${s.date(i.dueDate)}, ${i.daysOverdue} days${i.disputed ? ', disputed' : ''}`,
        ),
      );
  }
  return lines.join('\n');
}

async function answerKpis(s: Session, client: { ref: string } | null): Promise<string> {
  const r = await s.run('get-kpis', client ? { client: client.ref } : {});
  if (!r.ok) return s.failed(s.t('les indicateurs', 'the KPIs'), r.message);
  const x = r.result;
  const lines = [
    s.t(
      `Indicateurs au ${s.date(x.asOf)} (${scopeText(s, x.scope)}), sur ${x.periodDays} jours depuis le ${s.date(x.periodStart)} :`,
      `KPIs as of ${s.date(x.asOf)} (${scopeText(s, x.scope)}), over ${x.periodDays} days from ${s.date(x.periodStart)}:`,
    ),
  ];
  for (const k of x.kpis) lines.push(`- ${k.label}${s.fr ? ' : ' : ': '}${k.display}`);
  return lines.join('\n');
}

async function answerDunning(s: Session, client: { ref: string } | null): Promise<string> {
  const r = await s.run(
    'get-dunning-plan',
    client ? { client: client.ref } : { dueNowOnly: true, limit: 10 },
  );
  if (!r.ok) return s.failed(s.t('le plan de relance', 'the dunning plan'), r.message);
  const x = r.result;
  const lines = [
    client
      ? s.t(`Plan de relance au ${s.date(x.asOf)} :`, `Dunning plan as of ${s.date(x.asOf)}:`)
      : s.t(
          `${x.totals.dueNow} client(s) à relancer au ${s.date(x.asOf)} ; montant couvert par les actions prévues : ${s.money(x.totals.covered)}, exclu (litiges, promesses) : ${s.money(x.totals.excluded)}.`,
          `${x.totals.dueNow} client(s) to remind as of ${s.date(x.asOf)}; amount covered by planned actions: ${s.money(x.totals.covered)}, excluded (disputes, promises): ${s.money(x.totals.excluded)}.`,
        ),
  ];
  for (const p of x.plans) {
    const a = p.nextAction;
    lines.push(
      a
        ? s.t(
            `- ${p.name} (${p.clientRef}) : ${a.stage} le ${s.date(a.date)}, ${a.invoiceRefs.join(', ')}, ${s.money(a.totalOpen)}`,
            `- ${p.name} (${p.clientRef}): ${a.stage} on ${s.date(a.date)}, ${a.invoiceRefs.join(', ')}, ${s.money(a.totalOpen)}`,
          )
        : s.t(`- ${p.name} (${p.clientRef}) : ${p.status}`, `- ${p.name} (${p.clientRef}): ${p.status}`),
    );
  }
  lines.push(
    s.t(
      'Pour préparer les brouillons : encours reminders draft',
      'To prepare the drafts: encours reminders draft',
    ),
  );
  return lines.join('\n');
}

async function answerForecast(s: Session, client: { ref: string } | null): Promise<string> {
  const r = await s.run('get-payment-forecast', { ...(client ? { client: client.ref } : {}), limit: 5 });
  if (!r.ok) return s.failed(s.t('la prévision', 'the forecast'), r.message);
  const x = r.result;
  const lines = [
    s.t(
      `Prévision d'encaissements au ${s.date(x.asOf)} (${scopeText(s, x.scope)}) sur ${s.money(x.totalOpen)} ouverts :`,
      `Expected cash-in as of ${s.date(x.asOf)} (${scopeText(s, x.scope)}) on ${s.money(x.totalOpen)} open:`,
    ),
  ];
  for (const w of x.weeks.slice(0, 6))
    lines.push(
      s.t(
        `- semaine du ${s.date(w.weekStart)} : ${s.money(w.amount)} (${w.count} factures)`,
        `- week of ${s.date(w.weekStart)}: ${s.money(w.amount)} (${w.count} invoices)`,
      ),
    );
  lines.push(
    s.t(
      `Plus tard : ${s.money(x.later.amount)} ; en litige (non prévisible) : ${s.money(x.disputed.amount)}.`,
      `Later: ${s.money(x.later.amount)}; disputed (cannot be forecast): ${s.money(x.disputed.amount)}.`,
    ),
  );
  return lines.join('\n');
}

async function answerDraft(s: Session, p: ParsedQuestion, client: { ref: string }): Promise<string> {
  const args: Record<string, unknown> = { client: client.ref };
  if (p.scenario) args.scenario = p.scenario;
  if (p.invoiceRef && (p.scenario === 'dispute_acknowledgement' || p.scenario === 'promise_confirmation'))
    args.invoiceRef = p.invoiceRef;
  const r = await s.run('draft-reminder', args);
  if (!r.ok) return s.failed(s.t('le brouillon', 'the draft'), r.message);
  const x = r.result;
  const d = x;
  const blocked = d.status === 'blocked';
  const lines = [
    s.t(
      `Brouillon ${d.id} (${d.scenario}) pour ${d.client?.name ?? client.ref} : ${blocked ? 'BLOQUÉ par les contrôles' : 'prêt pour relecture'}.`,
      `Draft ${d.id} (${d.scenario}) for ${d.client?.name ?? client.ref}: ${blocked ? 'BLOCKED by the checks' : 'ready for review'}.`,
    ),
    `${s.t('Objet', 'Subject')}${s.fr ? ' : ' : ': '}${d.subject}`,
    '',
    d.body,
    '',
  ];
  if (blocked) for (const f of d.findings ?? []) lines.push(`- ${f.message}`);
  else
    lines.push(
      s.t(
        `Rien n'est envoyé : à valider par la finance avec « encours reminders approve ${d.id} » (jeton d'un utilisateur finance dans ENCOURS_TOKEN).`,
        `Nothing is sent: finance approves it with "encours reminders approve ${d.id}" (a finance user's token in ENCOURS_TOKEN).`,
      ),
    );
  return lines.join('\n');
}

async function answerDispute(
  s: Session,
  p: ParsedQuestion,
  client: { ref: string; name: string } | null,
): Promise<string> {
  let invoiceRef = p.invoiceRef;
  if (!invoiceRef && client) {
    // "the dispute of Acme Industrie": the client's open disputes, from its profile.
    const profile = await s.run('get-client-profile', { client: client.ref });
    if (!profile.ok) return s.failed(s.t('la fiche client', 'the client profile'), profile.message);
    const open = (profile.result.disputes ?? []).filter((d: { status: string }) => d.status === 'open');
    if (!open.length)
      return s.t(
        `${client.name} (${client.ref}) n'a aucun litige ouvert au ${s.date(profile.result.asOf)}.`,
        `${client.name} (${client.ref}) has no open dispute as of ${s.date(profile.result.asOf)}.`,
      );
    if (open.length > 1)
      return s.t(
        `${client.name} (${client.ref}) a ${open.length} litiges ouverts : ${open.map((d: { invoiceRef: string }) => d.invoiceRef).join(', ')}. Lequel résumer ?`,
        `${client.name} (${client.ref}) has ${open.length} open disputes: ${open.map((d: { invoiceRef: string }) => d.invoiceRef).join(', ')}. Which one should I summarise?`,
      );
    invoiceRef = open[0].invoiceRef as string;
  }
  if (!invoiceRef)
    return s.t(
      'Donnez la référence de la facture en litige (par exemple F2026-0042) ou le nom du client.',
      'Give the ref of the disputed invoice (for example F2026-0042) or the client name.',
    );
  const r = await s.run('get-dispute-file', { invoiceRef });
  if (!r.ok) return s.failed(s.t('le dossier de litige', 'the dispute file'), r.message);
  const summary = summariseDispute(r.result as DisputeFileResult, s.lang);
  // The proposed step (and its deadline) is computed here, deterministically: it is a fact too.
  s.results.push({ proposedNextStep: summary.nextStep });
  return summary.text;
}

function help(s: Session): string {
  return s.t(
    [
      'Je peux répondre hors ligne à ces questions :',
      '- « Peut-on accorder 60 jours à Dupont BTP ? »',
      '- « Pourquoi Acme Industrie est-elle notée D ? »',
      '- « Balance âgée », « Factures en retard de plus de 60 jours », « DSO et indicateurs »',
      '- « Qui relancer aujourd’hui ? », « Rédige une relance pour Dupont BTP »',
      '- « Résume le litige sur la facture F2026-0042 »',
    ].join('\n'),
    [
      'Offline, I can answer questions like:',
      '- "Can we give Dupont BTP 60 days?"',
      '- "Why is Acme Industrie grade D?"',
      '- "Aging balance", "Invoices more than 60 days overdue", "DSO and KPIs"',
      '- "Who should we remind today?", "Draft a reminder for Dupont BTP"',
      '- "Summarise the dispute on invoice F2026-0042"',
    ].join('\n'),
  );
}

const NEEDS_CLIENT: ReadonlySet<Intent> = new Set([
  'terms',
  'score_explain',
  'score',
  'limit',
  'reminder_draft',
  'profile',
]);

/** Answers one question offline, logs the turn (`agent.turn`, model `offline`) and returns it. */
export async function answerOffline(
  deps: OfflineDeps,
  question: string,
  opts: AskOptions = {},
): Promise<AgentTurn & { intent: Intent }> {
  const parsed = parseQuestion(question);
  const s = new Session(deps, parsed.language, opts.asOf);
  let intent = parsed.intent;
  let body: string;
  const wantsClient = intent !== 'help' && !(intent === 'dispute' && parsed.invoiceRef);
  const pick = wantsClient ? await pickClient(s, question) : null;
  const client = pick?.status === 'found' ? { ref: pick.ref, name: pick.name } : null;
  if (NEEDS_CLIENT.has(intent) && !client) {
    // "profile" is also the fallback: with no client at all, offer help instead.
    if (intent === 'profile' && pick?.status === 'none' && !pick.candidates.length) {
      intent = 'help';
      body = help(s);
    } else body = clientProblem(s, pick as Exclude<ClientPick, { status: 'found' }>);
  } else if (!NEEDS_CLIENT.has(intent) && pick?.status === 'ambiguous') {
    body = clientProblem(s, pick);
  } else {
    switch (intent) {
      case 'terms':
        body = await answerTerms(s, parsed, client!);
        break;
      case 'score_explain':
        body = await answerScoreExplain(s, client!, question);
        break;
      case 'score':
        body = await answerScore(s, client!);
        break;
      case 'limit':
        body = await answerLimit(s, client!);
        break;
      case 'profile':
        body = await answerProfile(s, client!);
        break;
      case 'reminder_draft':
        body = await answerDraft(s, parsed, client!);
        break;
      case 'aging':
        body = await answerAging(s, client);
        break;
      case 'overdue':
        body = await answerOverdue(s, client, parsed.minDays);
        break;
      case 'kpis':
        body = await answerKpis(s, client);
        break;
      case 'dunning':
        body = await answerDunning(s, client);
        break;
      case 'forecast':
        body = await answerForecast(s, client);
        break;
      case 'dispute':
        body = await answerDispute(s, parsed, client);
        break;
      default:
        body = help(s);
    }
  }
  const clientNote = opts.clientText
    ? `\n${s.t(
        'Le texte fourni par le client a été conservé comme donnée : la réponse hors ligne ne l’interprète pas.',
        'The text supplied by the client was kept as data: the offline responder does not interpret it.',
      )}`
    : '';
  const answer = `${body}${clientNote}\n${offlineNote(s.lang)}`;
  const grounding = checkGroundedness(answer, indexFacts({ question }, ...s.results)).findings;
  const usage = emptyUsage();
  const cost = estimateCost(OFFLINE_MODEL, usage);
  const turn: AgentTurn & { intent: Intent } = {
    question,
    answer,
    language: s.lang,
    model: OFFLINE_MODEL,
    promptVersion: loadPrompts().version,
    offline: true,
    toolCalls: s.calls,
    usage,
    cost: { ...cost, estimated: false },
    steps: s.calls.length,
    stopReason: 'end_turn',
    grounding,
    // Offline wording is ours: nothing to withhold, no action claimed.
    withheld: [],
    falseClaims: [],
    intent,
  };
  if (!opts.noLog)
    turn.auditSeq = await logAgentTurn(deps.services, {
      ...turn,
      user: deps.caller,
      intent,
    });
  return turn;
}
