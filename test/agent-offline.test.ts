import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { detectLanguage } from '../src/agent/language.ts';
import { answerOffline, askedGrade, clientCandidates, parseQuestion } from '../src/agent/offline.ts';
import type { Database } from '../src/db/open.ts';
import { listAudit } from '../src/services/audit.ts';
import type { ServiceContext } from '../src/services/context.ts';
import { hashValue } from '../src/services/hash.ts';
import { listReminders } from '../src/services/reminders.ts';
import { AS_OF, INJECTION, seedAgentPortfolio, sideEffectCounts } from './support/agent-fixtures.ts';
import { asUser, testContext } from './support/context.ts';
import { DRIVERS, freshDatabase } from './support/databases.ts';
import { englishOnlyPhrases } from './support/wording-samples.ts';

describe('offline intents', () => {
  it.each([
    ['can we give Dupont BTP 60 days?', 'terms', { days: 60, language: 'en' }],
    ['peut-on accorder 60 jours à Dupont BTP ?', 'terms', { days: 60, language: 'fr' }],
    [
      'Dupont BTP à 45 jours fin de mois pour 15 000 € ?',
      'terms',
      { days: 45, endOfMonth: true, amount: 15000 },
    ],
    ['can we offer Acme net 30 for EUR 12,500.50', 'terms', { days: 30, amount: 12500.5 }],
    ['why is Acme Industrie grade D?', 'score_explain', { language: 'en' }],
    ['pourquoi Acme Industrie est-elle notée D ?', 'score_explain', { language: 'fr' }],
    ["what is Acme's score?", 'score', {}],
    ['aging balance', 'aging', {}],
    ['balance âgée de Dupont BTP', 'aging', { language: 'fr' }],
    ['which invoices are more than 60 days overdue?', 'overdue', { minDays: 61 }],
    ['factures impayées depuis au moins 30 jours', 'overdue', { minDays: 30 }],
    ['quel est notre DSO ?', 'kpis', {}],
    ["qui relancer aujourd'hui ?", 'dunning', {}],
    ['rédige une relance pour Dupont BTP', 'reminder_draft', {}],
    ['draft a formal notice for Quincaillerie Cousin', 'reminder_draft', { scenario: 'formal_notice' }],
    [
      'prépare un accusé de réception du litige F2026-0003 pour Dupont',
      'reminder_draft',
      { scenario: 'dispute_acknowledgement' },
    ],
    ['summarise the dispute on invoice F2026-0003', 'dispute', { invoiceRef: 'F2026-0003' }],
    ["résume le litige d'Acme Industrie", 'dispute', {}],
    ['cash forecast for the next weeks', 'forecast', {}],
    ['quelle est la limite de crédit de Dupont BTP ?', 'limit', {}],
    ['combien nous doit Dupont BTP ?', 'profile', {}],
  ])('%s -> %s', (question, intent, extra) => {
    expect(parseQuestion(question)).toMatchObject({ intent, ...extra });
  });

  it('finds client name candidates around intent words, longest first', () => {
    expect(clientCandidates('can we give Dupont BTP 60 days?')).toEqual(['Dupont BTP', 'Dupont', 'BTP']);
    expect(clientCandidates('peut-on accorder 60 jours à la Boulangerie de la Gare ?').slice(0, 2)).toEqual([
      'Boulangerie de la Gare',
      'Boulangerie',
    ]);
    expect(clientCandidates("why is Acme's grade D?")).toEqual(['Acme']);
    expect(clientCandidates("résume le litige d'Acme Industrie")).toEqual([
      'Acme Industrie',
      'Acme',
      'Industrie',
    ]);
  });

  it('reads the grade a question assumes, and the language', () => {
    expect(askedGrade('why is Acme Industrie grade D?')).toBe('D');
    expect(askedGrade('pourquoi Acme est-elle notée E ?')).toBe('E');
    expect(askedGrade('why is Acme risky?')).toBeNull();
    expect(detectLanguage('Quelles factures sont échues ?')).toBe('fr');
    expect(detectLanguage('Which invoices are overdue?')).toBe('en');
  });
});

describe.each(DRIVERS)('offline responder on %s', (driver) => {
  let database: Database;
  let ctx: ServiceContext;
  beforeEach(async () => {
    database = await freshDatabase(driver);
    await seedAgentPortfolio(database);
    ctx = testContext(database, { env: { ENCOURS_AS_OF: AS_OF } });
  });
  afterEach(() => database.close());

  const ask = (question: string) =>
    answerOffline({ services: ctx, caller: asUser('bob', 'sales') }, question);

  it('terms in English and French: finds the client, calls evaluate-terms-request, reports the decision', async () => {
    const en = await ask('can we give Dupont BTP 60 days?');
    expect(en.toolCalls.map((c) => [c.name, c.args])).toEqual([
      ['find-client', { query: 'Dupont BTP' }],
      ['evaluate-terms-request', { client: 'C001', days: 60 }],
    ]);
    const decision = en.toolCalls[1]!.result as { decision: string; grade: string; decisionId: string };
    // Dupont has a single paid invoice and 54 days overdue: the scoring puts it in grade E.
    expect(decision).toMatchObject({ decision: 'decline', grade: 'E' });
    expect(en.answer).toMatch(/^Dupont BTP \(C001\), 60 days: decline \(decline\), as of 23 November 2026\./);
    expect(en.answer).toContain('high-risk client (grade E)');
    expect(en.answer).toContain('Conditions: prepayment.');
    expect(en.answer).toContain(`Recommendation recorded: ${decision.decisionId}.`);
    expect(en.answer).toMatch(/produced offline/);
    expect(en.grounding).toEqual([]);

    const fr = await ask('peut-on accorder 60 jours à Dupont BTP ?');
    expect(fr.language).toBe('fr');
    expect(fr.answer).toMatch(/^Dupont BTP \(C001\), 60 jours : refus \(decline\), au 23 novembre 2026\./);
    expect(fr.answer).toContain('Conditions : paiement d’avance.');
    expect(fr.answer).toContain(
      'exposition après la demande 4\u202f734,56 EUR pour une limite de 50\u202f000,00 EUR',
    );
    expect(fr.answer).toMatch(/produite hors ligne/);
  });

  it('a request beyond the legal cap is declined as unlawful', async () => {
    const t = await ask('can we give Acme Industrie 90 days?');
    expect(t.answer).toMatch(/90 days: decline \(decline\)/);
    expect(t.answer).toMatch(/Unlawful, whatever the score: .*60 days/);
  });

  it('answers French questions with no sentence of the English wording', async () => {
    const questions = [
      'peut-on accorder 60 jours à Dupont BTP ?',
      'peut-on accorder 90 jours à Acme Industrie ?',
      'pourquoi Acme Industrie est-elle notée D ?',
      'quel est le score de Dupont BTP ?',
      'quelle limite de crédit pour Acme Industrie ?',
    ];
    const phrases = englishOnlyPhrases();
    for (const q of questions) {
      const t = await ask(q);
      expect(t.language, q).toBe('fr');
      for (const phrase of phrases) expect(t.answer, `${q} -> ${phrase}`).not.toContain(phrase);
    }
    const why = await ask('pourquoi Acme Industrie est-elle notée D ?');
    expect(why.answer).toContain('1 facture échue pour 10\u202f000,00 EUR');
    expect(why.answer).toMatch(/Fréquence des retards de paiement : [-+]\d+ points/);
  });

  it('explains a grade with the factors and their figures, and corrects a wrong premise', async () => {
    const t = await ask('why is Acme Industrie grade D?');
    expect(t.toolCalls.map((c) => c.name)).toEqual(['find-client', 'explain-score']);
    const x = t.toolCalls[1]!.result as { grade: string; score: number; concerns: { detail: string }[] };
    expect(t.answer).toContain(`grade ${x.grade}, score ${x.score}/100`);
    for (const c of x.concerns) expect(t.answer).toContain(c.detail);
    expect(t.answer).toContain('1 invoice overdue for EUR 10,000.00');
    const wrong = await ask('why is Acme Industrie grade A?');
    expect(wrong.answer).toContain(`Note: the current grade is ${x.grade}, not A.`);
  });

  it('aging and overdue figures, hand-checked', async () => {
    const aging = await ask('balance âgée de Dupont BTP');
    // 1,234.56 + 500.00 overdue (54 and 39 days: 31-60), 3,000.00 disputed, nothing not yet due.
    expect(aging.answer).toContain(
      '4\u202f734,56 EUR ouverts, dont 0,00 EUR non échus, 1\u202f734,56 EUR échus et 3\u202f000,00 EUR en litige (3 factures)',
    );
    expect(aging.answer).toContain('31-60 j : 1\u202f734,56 EUR (2 fact.)');
    const overdue = await ask('which invoices are overdue?');
    expect(overdue.answer).toContain(
      '4 overdue invoice(s) as of 23 November 2026, EUR 11,734.56 overdue excluding disputes',
    );
    expect(overdue.answer).toContain(
      'F2026-0003 Dupont BTP (C001): EUR 3,000.00, due 20 October 2026, 34 days, disputed',
    );
    const over50 = await ask('invoices more than 50 days overdue');
    expect(over50.toolCalls[0]!.args).toEqual({ minDays: 51, limit: 10 });
    expect(over50.answer).toMatch(/2 invoice\(s\) at least 51 days overdue/);
    expect(over50.answer).not.toContain('F2026-0002');
  });

  it('summarises a dispute, quoting the injected client note as data, with no side effect', async () => {
    const before = await sideEffectCounts(database);
    const t = await ask('summarise the dispute on invoice F2026-0003');
    expect(t.toolCalls.map((c) => c.name)).toEqual(['get-dispute-file']);
    expect(t.answer).toContain(`client (opened): "${INJECTION}"`);
    expect(t.answer).toContain(
      'Proposed next step: send the client the signed proof of delivery (delivery note); owner: alice; deadline: 30 November 2026',
    );
    expect(t.answer).not.toMatch(/approved|120 days of payment terms for us\.\s*$/m);
    expect(await sideEffectCounts(database)).toEqual(before);
    const byClient = await ask('résume le litige de Dupont BTP');
    expect(byClient.answer).toContain('Facture F2026-0003 - Dupont BTP (C001)');
    expect(byClient.answer).toContain(`« ${INJECTION} »`);
  });

  it('drafts a reminder through the draft-reminder tool, for review only', async () => {
    const t = await ask('rédige une relance pour Dupont BTP');
    const [draft] = await listReminders(ctx);
    expect(draft).toMatchObject({
      status: 'draft',
      createdBy: 'bob',
      invoiceRefs: ['F2026-0001', 'F2026-0002'],
    });
    // The agent acted for bob: his name, the agent's channel.
    const [drafted] = await listAudit(database.db, { action: 'reminder.drafted', limit: 1 });
    expect(drafted).toMatchObject({ actor: 'bob', channel: 'agent', subject: draft!.id });
    expect(t.answer).toContain(`Brouillon ${draft!.id} (friendly) pour Dupont BTP : prêt pour relecture.`);
    expect(t.answer).toContain(`encours reminders approve ${draft!.id} » (jeton d'un utilisateur finance`);
  });

  it('asks which client when the name is ambiguous or missing, calling nothing else', async () => {
    const none = await ask('can we give Zorglub SARL 30 days?');
    expect(none.answer).toMatch(/I could not find a client in the question/);
    expect(none.toolCalls.every((c) => c.name === 'find-client')).toBe(true);
    const help = await ask('bonjour');
    expect(help.intent).toBe('help');
    expect(help.answer).toMatch(/Peut-on accorder 60 jours à Dupont BTP/);
  });

  it('logs each turn as agent.turn with model offline, the intent and tool hashes', async () => {
    const t = await ask('what is our DSO?');
    const [entry] = await listAudit(database.db, { action: 'agent.turn', limit: 1 });
    expect(entry).toMatchObject({
      seq: t.auditSeq,
      actor: 'bob',
      channel: 'cli',
      subject: 'kpis',
      data: {
        question: 'what is our DSO?',
        answer: t.answer,
        model: 'offline',
        offline: true,
        costMicroUsd: 0,
        toolCalls: [
          { name: 'get-kpis', argsHash: hashValue({}), resultHash: hashValue(t.toolCalls[0]!.result) },
        ],
      },
    });
  });
});
