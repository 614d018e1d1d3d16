import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatMoney } from '../src/core/money.ts';
import { REPO_ROOT, runCli } from './support/cli.ts';
import { reply, startFakeAnthropic, toolResults, toolUse } from './support/fake-anthropic.ts';

/**
 * Offline, on the demo portfolio, `encours ask` answers every example question of the README
 * correctly: each answer is checked against the same figures obtained independently through the
 * other commands (terms, score, aging, invoices, kpis, reminders plan, clients show).
 */
const AS_OF = '2026-11-23';
let dir: string;
let env: Record<string, string>;

const cli = async (...args: string[]) => {
  const r = await runCli(['--db', join(dir, 'db'), ...args], { env });
  if (r.code !== 0) throw new Error(`encours ${args.join(' ')} exited ${r.code}: ${r.stderr}`);
  return r.stdout;
};
// CLI JSON is checked field by field below; its shape is each command's documented output.
// biome-ignore lint/suspicious/noExplicitAny: parsed JSON from the spawned CLI
const json = async <T = any>(...args: string[]): Promise<T> => JSON.parse(await cli(...args, '--json'));
const fr = (cents: number) => formatMoney(cents, 'EUR', 'fr');

/** The `ask` examples of the README section "Asking questions and drafting reminders". */
function readmeQuestions(): string[] {
  const readme = readFileSync(join(REPO_ROOT, 'README.md'), 'utf8');
  const start = readme.indexOf('## Asking questions and drafting reminders');
  const section = readme.slice(start, readme.indexOf('\n## ', start + 5) >>> 0 || undefined);
  return [...section.matchAll(/^\$ encours ask "(.+)"$/gm)].map((m) => m[1]!);
}

type Check = (answer: string) => Promise<void>;

const CHECKS: Record<string, Check> = {
  'can we give Dupont BTP 60 days?': async (answer) => {
    const t = await json('terms', 'Dupont BTP', '--days', '60', '--lang', 'en');
    expect(answer).toMatch(
      new RegExp(`^Dupont BTP \\(C0001\\), 60 days: .* \\(${t.decision}\\), as of 23 November 2026`),
    );
    for (const r of t.reasons) expect(answer).toContain(r.text);
    if (t.conditions.maxDays < 60 && !t.conditions.prepayment)
      expect(answer).toContain(`terms shortened to ${t.conditions.maxDays} days`);
    expect(answer).toMatch(/Recommendation recorded: dec_[0-9a-f]+\./);
  },
  'peut-on accorder 60 jours à Dupont BTP ?': async (answer) => {
    const t = await json('terms', 'Dupont BTP', '--days', '60');
    expect(answer).toMatch(
      new RegExp(`^Dupont BTP \\(C0001\\), 60 jours : .* \\(${t.decision}\\), au 23 novembre 2026`),
    );
    expect(answer).toContain('Raisons :');
    for (const r of t.reasons) expect(answer).toContain(r.text);
    expect(answer).toMatch(/Réponse produite hors ligne/);
  },
  'why is Acme Industrie grade D?': async (answer) => {
    // An English question is answered in English: compare with the English score output.
    const [s] = await json('score', '--client', 'Acme Industrie', '--lang', 'en');
    expect(answer).toContain(`Acme Industrie (C0002): grade ${s.grade}, score ${s.score}/100`);
    if (s.grade !== 'D') expect(answer).toContain(`the current grade is ${s.grade}, not D`);
    const lowering = s.factors.filter((f: { points: number }) => f.points < 0);
    expect(lowering.length).toBeGreaterThan(0);
    for (const f of lowering) expect(answer).toContain(`${f.points} points (${f.detail})`);
  },
  'pourquoi Acme Industrie est-elle notée D ?': async (answer) => {
    const [s] = await json('score', '--client', 'Acme Industrie');
    expect(answer).toContain(`Acme Industrie (C0002) : note ${s.grade}, score ${s.score}/100`);
    expect(answer).toContain('Ce qui fait baisser le score :');
  },
  'can we give Acme Industrie 90 days?': async (answer) => {
    const t = await json('terms', 'Acme Industrie', '--days', '90');
    expect(t.decision).toBe('decline');
    expect(answer).toMatch(/90 days: decline \(decline\)/);
    expect(answer).toMatch(/Unlawful, whatever the score: .*L441-10/);
  },
  'which invoices are more than 60 days overdue?': async (answer) => {
    const overdue: { ref: string; daysOverdue: number }[] = await json(
      'invoices',
      'list',
      '--status',
      'overdue',
    );
    const old = overdue.filter((i) => i.daysOverdue > 60);
    expect(old.length).toBeGreaterThan(0);
    expect(answer).toContain(`${old.length} invoice(s) at least 61 days overdue as of 23 November 2026`);
    for (const i of old.slice(0, 10)) expect(answer).toContain(`${i.ref} `);
    for (const i of overdue.filter((x) => x.daysOverdue <= 60)) expect(answer).not.toContain(`${i.ref} `);
  },
  'balance âgée du portefeuille': async (answer) => {
    const a = await json('aging');
    const t = a.totals;
    expect(answer).toContain(
      `Balance âgée au 23 novembre 2026 (portefeuille) : ${fr(t.totalOpenCents)} ouverts, dont ${fr(t.notDueCents)} non échus, ${fr(t.overdueCents)} échus et ${fr(t.disputedCents)} en litige (${t.openInvoices} factures)`,
    );
    for (const b of t.buckets)
      expect(answer).toContain(`${b.label} j : ${fr(b.amountCents)} (${b.count} fact.)`);
  },
  'what is our DSO?': async (answer) => {
    const k = await json('kpis');
    expect(answer).toContain(`DSO (count-back method): ${k.kpis.dsoCountBack.value} days`);
    expect(answer).toContain(`DSO (simple formula): ${k.kpis.dsoSimple.value} days`);
  },
  "qui relancer aujourd'hui ?": async (answer) => {
    const p = await json('reminders', 'plan');
    expect(answer).toMatch(new RegExp(`^${p.totals.dueNow} client\\(s\\) à relancer au 23 novembre 2026`));
    expect(answer).toContain(`montant couvert par les actions prévues : ${fr(p.totals.coveredCents)}`);
  },
  'rédige une relance pour Dupont BTP': async (answer) => {
    const id = /Brouillon (rem_[0-9a-f]+) \(/.exec(answer)?.[1];
    expect(id).toBeDefined();
    const list: { id: string; status: string; clientRef: string; body: string }[] = await json(
      'reminders',
      'list',
    );
    const draft = list.find((r) => r.id === id)!;
    expect(draft).toMatchObject({ status: 'draft', clientRef: 'C0001' });
    expect(answer).toContain(draft.body);
  },
  'summarise the dispute of Acme Industrie': async (answer) => {
    const c = await json('clients', 'show', 'Acme Industrie');
    const open = c.disputes.filter((d: { status: string }) => d.status === 'open');
    expect(open).toHaveLength(1);
    expect(answer).toContain(`Invoice ${open[0].invoiceRef} - Acme Industrie (C0002)`);
    expect(answer).toMatch(/Proposed next step: .+; owner: .+; deadline: .+/);
  },
};

describe('README examples, offline, on the demo portfolio (spawned CLI)', () => {
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'encours-agent-cli-'));
    env = { ENCOURS_AS_OF: AS_OF, ENCOURS_DATA_DIR: join(dir, 'data') };
    await cli('demo', '--clients', '60', '--as-of', AS_OF);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const questions = readmeQuestions();

  it('the README lists the examples, each with a check here', () => {
    expect(questions.length).toBeGreaterThanOrEqual(10);
    expect(questions.filter((q) => !CHECKS[q])).toEqual([]);
  });

  it.each(questions)('ask "%s"', async (question) => {
    const turn = await json('ask', question);
    expect(turn.offline).toBe(true);
    expect(turn.grounding).toEqual([]);
    await CHECKS[question]!(turn.answer);
  });

  it('logs the turns, summarises a dispute, drafts and reviews reminders through the CLI', async () => {
    const log: { action: string; data: { model: string } }[] = await json(
      'audit',
      'log',
      '--action',
      'agent.turn',
      '--limit',
      '50',
    );
    expect(log.length).toBeGreaterThanOrEqual(questions.length);
    expect(log.every((e) => e.data.model === 'offline')).toBe(true);

    const c = await json('clients', 'show', 'Acme Industrie');
    const ref = c.disputes.find((d: { status: string }) => d.status === 'open').invoiceRef;
    const summary = await json('disputes', 'summarise', ref, '--lang', 'en');
    expect(summary).toMatchObject({ invoiceRef: ref, status: 'open', offline: true, language: 'en' });
    expect(summary.nextStep.owner).toBeTruthy();
    expect(summary.nextStep.deadline >= AS_OF).toBe(true);
    expect(summary.answer).toContain('Proposed next step:');

    const batch = await json('reminders', 'draft');
    expect(batch.drafts.length).toBeGreaterThan(0);
    const draft = batch.drafts.find((d: { status: string }) => d.status === 'draft');
    // The first admin needs no token; reviewing needs one (an admin may review).
    const { token } = await json('users', 'add', '--name', 'ada', '--role', 'admin');
    const approved = await json('reminders', 'approve', draft.id, '--token', token, '--note', 'ok');
    expect(approved).toMatchObject({ status: 'approved', reviewedBy: 'ada' });
    const bad = await runCli(
      ['--db', join(dir, 'db'), 'reminders', 'approve', 'rem_nope', '--token', token],
      {
        env,
      },
    );
    expect(bad.code).toBe(3);
    expect(bad.stderr).toMatch(/no reminder with id "rem_nope"/);
  });

  it('with ANTHROPIC_API_KEY, ask and reminders draft go to the Messages API at ANTHROPIC_BASE_URL', async () => {
    const fake = await startFakeAnthropic(
      reply([toolUse('find-client', { query: 'Dupont BTP' })]),
      reply('Dupont BTP is client C0001.'),
      reply(
        'Subject: Rappel\n\nBonjour,\nMerci de régler 9 999,99 EUR.\nCordialement, le service comptabilité clients',
      ),
      reply(
        'Subject: Rappel\n\nBonjour,\nMerci de régler 9 999,98 EUR.\nCordialement, le service comptabilité clients',
      ),
    );
    try {
      const claudeEnv = { ...env, ANTHROPIC_API_KEY: 'test-key', ANTHROPIC_BASE_URL: fake.url };
      const run = (...args: string[]) => runCli(['--db', join(dir, 'db'), ...args], { env: claudeEnv });
      const asked = await run('ask', 'who is Dupont BTP?', '--json');
      expect(asked.code).toBe(0);
      const turn = JSON.parse(asked.stdout);
      expect(turn).toMatchObject({
        offline: false,
        answer: 'Dupont BTP is client C0001.',
        model: 'claude-sonnet-4-6',
      });
      expect(JSON.parse(toolResults(fake.requests[1]!)[0]!.content)).toMatchObject({
        match: { ref: 'C0001' },
      });
      const h = fake.requests[0]!.headers;
      expect(`${h['x-api-key'] ?? ''} ${h.authorization ?? ''}`).toContain('test-key');

      const drafted = await run(
        'reminders',
        'draft',
        '--client',
        'Transports Lefèvre',
        '--scenario',
        'firm',
        '--json',
      );
      expect(drafted.code).toBe(0);
      const d = JSON.parse(drafted.stdout);
      expect(d).toMatchObject({ status: 'blocked', attempts: 2, writer: 'claude-sonnet-4-6' });
      const findings = d.findings as { check: string; text: string }[];
      expect(findings.filter((f) => f.check === 'grounding').map((f) => f.text)).toEqual(['9 999,98 EUR']);
      // The short text also lacks what a firm letter must state (invoices, deadline, penalties).
      expect(findings.some((f) => f.check === 'content')).toBe(true);
      expect(fake.pending()).toBe(0);
    } finally {
      await fake.close();
    }
  });
});
