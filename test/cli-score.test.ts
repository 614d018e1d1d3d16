import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ClientFacts } from '../src/core/types.ts';
import { openDatabase } from '../src/db/open.ts';
import { runCli } from './support/cli.ts';
import { freshPostgresUrl, pgAvailable } from './support/databases.ts';
import { clientFacts, clientInfo, monthlyPayer } from './support/score-facts.ts';
import { seedFacts } from './support/seed-facts.ts';
import { englishOnlyPhrases } from './support/wording-samples.ts';

/** The real `encours` binary on a small hand-built portfolio (as of 2026-06-30). */
const AS_OF = '2026-06-30';

function portfolio(): ClientFacts[] {
  return [
    monthlyPayer(AS_OF, 24, [-5, 0, -2], {
      client: { ref: 'C001', name: 'Dupont BTP' },
      refPrefix: 'D-',
    }),
    clientFacts({ client: clientInfo({ ref: 'C002', name: 'Dupont Frères' }) }),
    monthlyPayer(AS_OF, 24, [-5, 0, -2], {
      client: { ref: 'C003', name: 'Acme Industrie', creditLimit: 3_000_000 },
      refPrefix: 'A-',
    }),
    monthlyPayer(AS_OF, 24, [45, 60, 90, 75], {
      client: { ref: 'C004', name: 'Pizzeria Royer' },
      refPrefix: 'P-',
    }),
  ];
}

let dir: string;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'encours-cli-score-'));
  const database = await openDatabase(dir);
  await seedFacts(database.db, portfolio());
  await database.close();
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const cli = (...args: string[]) => runCli(['--db', dir, ...args]);

describe('score, terms, backtest and users commands (spawned CLI)', () => {
  it('score --json gives the DESIGN shape, factors summing to the score', async () => {
    const r = await cli('score', '--as-of', AS_OF, '--json');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as {
      client: string;
      name: string;
      asOf: string;
      score: number;
      grade: string;
      band: string;
      confidence: number;
      base: number;
      factors: { name: string; points: number; detail: string }[];
    }[];
    expect(out.map((s) => [s.client, s.grade])).toEqual([
      ['C001', 'A'],
      ['C002', 'C'],
      ['C003', 'A'],
      ['C004', 'E'],
    ]);
    for (const s of out) {
      expect(s.asOf).toBe(AS_OF);
      expect(s.base + s.factors.reduce((a, f) => a + f.points, 0)).toBe(s.score);
      expect(['low', 'moderate', 'high']).toContain(s.band);
      for (const f of s.factors) expect(f.detail.length).toBeGreaterThan(5);
    }
  });

  it('score --client prints the table and every factor, in English with --lang en', async () => {
    const r = await cli('--lang', 'en', 'score', '--as-of', AS_OF, '--client', 'PIZZERIA royer');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/C004\s+Pizzeria Royer\s+\d+\s+E\s+high/);
    expect(r.stdout).toContain('Pizzeria Royer (C004) as of 30 June 2026: base 50');
    expect(r.stdout).toMatch(
      /How often invoices are paid late \(lateFrequency\): \d+ of \d+ invoices paid late/,
    );
    expect(r.stdout).toMatch(/, \d+(\.\d)? days late on average/);
    const ambiguous = await cli('score', '--as-of', AS_OF, '--client', 'dupont');
    expect(ambiguous.code).toBe(3);
    expect(ambiguous.stderr).toContain('"dupont" matches 2 clients: Dupont BTP (C001), Dupont Frères (C002)');
  });

  it('score speaks French by default and with --lang fr: no English sentence', async () => {
    const byDefault = await cli('score', '--as-of', AS_OF, '--client', 'C004');
    const fr = await cli('score', '--as-of', AS_OF, '--client', 'C004', '--lang', 'fr');
    expect(fr.code).toBe(0);
    expect(byDefault.stdout).toBe(fr.stdout);
    expect(fr.stdout).toMatch(/réf\s+nom\s+score\s+note\s+risque\s+confiance\s+p\(retard\)/);
    expect(fr.stdout).toMatch(/C004\s+Pizzeria Royer\s+\d+\s+E\s+élevé\s+0,\d\d\s+\d+\u202f%/);
    expect(fr.stdout).toContain('Pizzeria Royer (C004) au 30 juin 2026 : base 50');
    expect(fr.stdout).toMatch(
      /Fréquence des retards de paiement \(lateFrequency\) : \d+ factures sur \d+ payées en retard/,
    );
    expect(fr.stdout).toMatch(/note E, risque élevé\), modèle score-/);
    for (const phrase of englishOnlyPhrases()) expect(fr.stdout, phrase).not.toContain(phrase);
    const json = JSON.parse((await cli('score', '--as-of', AS_OF, '--client', 'C004', '--json')).stdout);
    expect(json[0].factors[0]).toMatchObject({ name: 'paymentBehaviour', code: 'paymentBehaviour.index' });
    expect(json[0].factors[0].detail).toMatch(/^indice de paiement \d+\/100/);
    const wrong = await cli('score', '--lang', 'de');
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toContain('--lang: expected fr or en, got "de"');
  });

  it('terms declines unlawful terms and records the request', async () => {
    const r = await cli('terms', 'Acme Industrie', '--days', '90', '--as-of', AS_OF, '--json');
    expect(r.code).toBe(0);
    const d = JSON.parse(r.stdout);
    expect(d).toMatchObject({
      decision: 'decline',
      rule: 'legal-cap',
      grade: 'A',
      legal: { lawful: false, maxDays: 60 },
      status: 'recommended',
      currency: 'EUR',
    });
    expect(d.id).toMatch(/^dec_/);
    expect(d.reasons[0]).toMatchObject({ code: 'terms.legalCap', params: { days: 90, maxDays: 60 } });
    expect(d.reasons[0].text).toContain('la demande est illégale');
    expect(d.legal.text).toContain('dépasse le maximum légal de 60 jours');
    const en = JSON.parse(
      (await cli('--lang', 'en', 'terms', 'C003', '--days', '90', '--as-of', AS_OF, '--json')).stdout,
    );
    expect(en.reasons[0].text).toContain('unlawful');
  });

  it('terms reads in French by default: decision, reasons, conditions, no English sentence', async () => {
    const r = await cli('terms', 'acme industrie', '--days', '30', '--amount', '35000', '--as-of', AS_OF);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Acme Industrie (C003), au 30 juin 2026 : 30 jours pour 35\u202f000,00 EUR');
    expect(r.stdout).toContain('Décision : À FAIRE VALIDER (règle over-limit)');
    expect(r.stdout).toContain('la demande porterait l’exposition au-delà de la limite de crédit');
    expect(r.stdout).toContain(
      'Exposition 1\u202f000,00 EUR -> 36\u202f000,00 EUR pour une limite de 30\u202f000,00 EUR (fixée pour le client)',
    );
    expect(r.stdout).toContain('Qui décide : rôle finance ou au-dessus');
    for (const phrase of englishOnlyPhrases()) expect(r.stdout, phrase).not.toContain(phrase);
  });

  it('terms prints a readable decision; override checks rights', async () => {
    const r = await cli(
      'terms',
      'acme industrie',
      '--days',
      '30',
      '--amount',
      '35000',
      '--as-of',
      AS_OF,
      '--lang',
      'en',
    );
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Acme Industrie (C003), as of 30 June 2026: 30 days for EUR 35,000.00');
    expect(r.stdout).toContain('Decision: NEEDS APPROVAL (rule over-limit)');
    expect(r.stdout).toContain(
      'Exposure EUR 1,000.00 -> EUR 36,000.00 against a limit of EUR 30,000.00 (set for the client)',
    );
    expect(r.stdout).toContain('Who decides: finance or above');
    const id = /Decision id: (dec_[0-9a-f]+)/.exec(r.stdout)![1]!;

    // The first admin needs no token; then the admin's token adds the others.
    const ada = JSON.parse((await cli('users', 'add', '--name', 'ada', '--role', 'admin', '--json')).stdout);
    const sam = await cli('users', 'add', '--name', 'sam', '--role', 'sales', '--json', '--token', ada.token);
    expect(sam.code).toBe(0);
    expect(JSON.parse(sam.stdout)).toMatchObject({
      name: 'sam',
      role: 'sales',
      token: expect.stringMatching(/^enc_/),
    });
    const fiona = await cli('users', 'add', '--name', 'fiona', '--role', 'finance', '--token', ada.token);
    expect(fiona.code).toBe(0);
    expect(fiona.stdout).toMatch(
      /^User fiona \(finance\) added\.\nAccess token \(shown once, keep it safe\): enc_\S+\n$/,
    );
    const fionaToken = /(enc_\S+)/.exec(fiona.stdout)![1]!;

    const refused = await cli(
      'terms',
      'override',
      id,
      '--to',
      'approve',
      '--token',
      JSON.parse(sam.stdout).token,
      '--reason',
      'good client',
    );
    expect(refused.code).toBe(5);
    expect(refused.stderr).toContain(
      'sam (sales) may not decide "approve" at an exposure of EUR 36,000.00: the policy requires the finance role',
    );
    const ok = await cli(
      'terms',
      'override',
      id,
      '--to',
      'approve',
      '--token',
      fionaToken,
      '--reason',
      'limit review booked',
    );
    expect(ok.stderr).toBe('');
    expect(ok.code).toBe(0);
    expect(ok.stdout).toContain(`Decision ${id} for Acme Industrie (C003): approve by fiona`);
    expect(ok.stdout).toContain('Reason: limit review booked');

    const audit = await cli('audit', 'log', '--json', '--limit', '20');
    expect(audit.code).toBe(0);
    const actions = (JSON.parse(audit.stdout) as { action: string; actor: string }[]).map((a) => a.action);
    expect(actions).toEqual(
      expect.arrayContaining(['decision.recommended', 'terms_request.approved', 'user.created']),
    );
  });

  it('reports bad input as one line with the flag and the right exit code', async () => {
    const amount = await cli('terms', 'C003', '--days', '30', '--amount', '12,5');
    expect(amount.code).toBe(2);
    expect(amount.stderr).toContain(
      '--amount: expected an amount in currency units like 15000 or 15000.50, got "12,5"',
    );
    const days = await cli('terms', 'C003');
    expect(days.code).toBe(2);
    expect(days.stderr).toContain('--days: required');
    const missing = await cli('terms', 'override', 'dec_nope', '--to', 'approve', '--reason', 'x');
    // Deciding needs a user first: without a token nothing is looked up.
    expect(missing.code).toBe(5);
    expect(missing.stderr).toContain('hint: set ENCOURS_TOKEN or pass --token <token> of a finance user');
    const role = await cli('users', 'add', '--name', 'x', '--role', 'boss');
    expect(role.code).toBe(2);
    expect(role.stderr).toContain('role: expected one of viewer, sales, finance, admin');
    const cutoff = await cli('backtest');
    expect(cutoff.code).toBe(2);
    expect(cutoff.stderr).toContain('--cutoff: required');
  });

  it('backtest reports ranking, calibration and late rates per grade', async () => {
    const r = await cli('backtest', '--cutoff', '2025-12-31', '--json');
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    // the data ends with the last invoices and payments, on 2026-06-20
    expect(out).toMatchObject({ cutoff: '2025-12-31', endOfData: '2026-06-20' });
    expect(out.counts.invoices).toBeGreaterThan(10);
    const rate = Object.fromEntries(
      out.byGrade.map((g: { grade: string; lateRate: number | null }) => [g.grade, g.lateRate]),
    );
    expect(rate.E).toBe(1);
    expect(rate.A).toBe(0);
    expect(out.gradeMonotone).toBe(true);
    const text = await cli('backtest', '--cutoff', '2025-12-31');
    expect(text.code).toBe(0);
    expect(text.stdout).toContain('Late rates fall steadily from grade E to grade A.');
    expect(text.stdout).toMatch(/AUC 1 /);
  });

  it('every command has help with an example', async () => {
    for (const args of [['score'], ['terms'], ['terms', 'override'], ['backtest'], ['users', 'add']]) {
      const r = await runCli([...args, '--help']);
      expect(r.code, args.join(' ')).toBe(0);
      expect(r.stdout, args.join(' ')).toMatch(/Examples?:\n\s+\$ encours/);
    }
  });
});

describe.runIf(pgAvailable)('score command on PostgreSQL (spawned CLI)', () => {
  it('scores and decides on a PostgreSQL database', async () => {
    const pg = await freshPostgresUrl();
    try {
      const database = await openDatabase(pg.url);
      await seedFacts(database.db, portfolio());
      await database.close();
      const env = { DATABASE_URL: pg.url, ENCOURS_AS_OF: AS_OF };
      const r = await runCli(['score', '--json'], { env });
      expect(r.code).toBe(0);
      expect(JSON.parse(r.stdout).map((s: { grade: string }) => s.grade)).toEqual(['A', 'C', 'A', 'E']);
      const t = await runCli(['terms', 'Dupont Frères', '--days', '45', '--amount', '2000', '--json'], {
        env,
      });
      expect(t.code).toBe(0);
      expect(JSON.parse(t.stdout)).toMatchObject({
        decision: 'approve_with_conditions',
        rule: 'no-history',
        conditions: { depositPercent: 30, depositAmount: 60000, maxDays: 30 },
      });
    } finally {
      await pg.drop();
    }
  });
});
