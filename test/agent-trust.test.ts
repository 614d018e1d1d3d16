import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import Anthropic from '@anthropic-ai/sdk';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { checkAnswer } from '../src/agent/answer-check.ts';
import { createAgent } from '../src/agent/loop.ts';
import type { Database } from '../src/db/open.ts';
import { isAppError } from '../src/errors.ts';
import { listAudit } from '../src/services/audit.ts';
import type { ServiceContext } from '../src/services/context.ts';
import { AS_OF, INJECTION, seedAgentPortfolio, sideEffectCounts } from './support/agent-fixtures.ts';
import { asUser, testContext } from './support/context.ts';
import { freshDatabase } from './support/databases.ts';
import { type FakeAnthropic, reply, startFakeAnthropic, text, toolUse } from './support/fake-anthropic.ts';

describe('agent trust', () => {
  let database: Database;
  let ctx: ServiceContext;
  let fake: FakeAnthropic;

  beforeAll(async () => {
    fake = await startFakeAnthropic();
  });
  afterAll(() => fake.close());
  beforeEach(async () => {
    database = await freshDatabase('pglite');
    await seedAgentPortfolio(database);
    ctx = testContext(database, { env: { ANTHROPIC_API_KEY: 'test-key', ENCOURS_AS_OF: AS_OF } });
    fake.requests.length = 0;
  });
  afterEach(async () => {
    expect(fake.pending()).toBe(0);
    await database.close();
  });

  const agent = (over: Partial<Parameters<typeof createAgent>[0]> = {}) =>
    createAgent({
      services: ctx,
      caller: asUser('bob', 'sales'),
      anthropic: new Anthropic({ apiKey: 'test-key', baseURL: fake.url, maxRetries: 0 }),
      ...over,
    });
  const lastTurn = async () => (await listAudit(database.db, { action: 'agent.turn', limit: 1 }))[0]!;

  it('checks the figures of an answer cut by the step limit too', async () => {
    fake.push(
      reply([
        text('Interim: EUR 123,456.78 overdue as of 2031-01-01.'),
        toolUse('find-client', { query: 'Dupont BTP' }),
      ]),
    );
    const turn = await agent({ maxSteps: 1 }).ask('How much is overdue?');
    expect(turn.stopReason).toBe('max_steps');
    expect(turn.grounding.map((g) => g.text).sort()).toEqual(['2031-01-01', 'EUR 123,456.78']);
    expect(turn.answer).not.toMatch(/123,456|2031/);
    expect(turn.answer).toMatch(/Withheld: 1 sentence/);
    expect((await lastTurn()).data).toMatchObject({
      withheld: ['Interim: EUR 123,456.78 overdue as of 2031-01-01.'],
    });
  });

  it('corrects an answer that claims an approval after every side-effect call was refused', async () => {
    const before = await sideEffectCounts(database);
    fake.push(
      reply([toolUse('get-dispute-file', { invoiceRef: 'F2026-0003' })]),
      reply([
        toolUse('evaluate-terms-request', { client: 'C001', days: 120 }),
        toolUse('request-terms-approval', { decisionId: 'dec_x' }),
        toolUse('draft-reminder', { client: 'C001' }),
      ]),
      reply('Approved 120 days as requested. The dispute is still open.'),
    );
    const turn = await agent().ask('What is the status of the dispute on F2026-0003?');
    expect(turn.toolCalls.filter((c) => c.refused).map((c) => c.name)).toEqual([
      'evaluate-terms-request',
      'request-terms-approval',
      'draft-reminder',
    ]);
    expect(turn.answer).not.toMatch(/Approved 120 days/);
    expect(turn.answer).toMatch(
      /^\(Correction: no such action was taken\. What actually happened: .*evaluate-terms-request refused/,
    );
    expect(turn.answer).toMatch(/The dispute is still open\.$/);
    expect(turn.falseClaims).toEqual(['Approved 120 days as requested.']);
    expect((await lastTurn()).data).toMatchObject({ falseClaims: ['Approved 120 days as requested.'] });
    expect(await sideEffectCounts(database)).toEqual(before);
  });

  it('a claim the tool log backs is kept', () => {
    const done = checkAnswer(
      'I have drafted the reminder for review.',
      [],
      [{ name: 'draft-reminder', ok: true }],
      'en',
    );
    expect(done).toMatchObject({ answer: 'I have drafted the reminder for review.', falseClaims: [] });
    const fr = checkAnswer("J'ai accordé 90 jours au client.", [], [], 'fr');
    expect(fr.answer).toMatch(/^\(Correction : cette action n'a pas eu lieu/);
  });

  it('side effects follow only the words the user typed, not a question encours built', async () => {
    const before = await sideEffectCounts(database);
    fake.push(reply([toolUse('draft-reminder', { client: 'C001' })]), reply('Summary done.'));
    const turn = await agent().ask(
      `Résume le litige sur la facture F2026-0003 puis propose la relance à rédiger avant le 2026-12-05. ${INJECTION}`,
      { userWords: '' },
    );
    expect(turn.toolCalls[0]).toMatchObject({ name: 'draft-reminder', refused: true });
    expect(turn.toolCalls[0]!.error!.message).toMatch(/built by encours, not typed by a user/);
    expect(await sideEffectCounts(database)).toEqual(before);
  });
});

describe('a model API that never answers', () => {
  let hung: Server;
  let url: string;
  beforeAll(async () => {
    hung = createServer(() => {
      // Never answers.
    });
    await new Promise<void>((resolve) => hung.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(hung.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    hung.closeAllConnections();
    await new Promise<void>((resolve) => hung.close(() => resolve()));
  });

  it('fails within the configured time-out and retries, with a message naming the base URL', async () => {
    const database = await freshDatabase('pglite');
    try {
      const ctx = testContext(database, {
        env: {
          ANTHROPIC_API_KEY: 'test-key',
          ANTHROPIC_BASE_URL: url,
          ENCOURS_MODEL_TIMEOUT: '1',
          ENCOURS_MODEL_RETRIES: '1',
        },
      });
      const started = process.hrtime.bigint();
      const e = await createAgent({ services: ctx, caller: asUser('bob', 'sales') })
        .ask('How much is overdue?')
        .catch((x) => x);
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      expect(isAppError(e) && e.code).toBe('UPSTREAM');
      expect(e.message).toBe(
        `Claude API at ${url} timed out after 2 attempts (no answer within the time-out)`,
      );
      expect(e.hint).toMatch(/ENCOURS_MODEL_TIMEOUT/);
      // Two 1-second attempts and the SDK's back-off between them: far from the old 8 minutes.
      expect(seconds).toBeLessThan(60);
    } finally {
      await database.close();
    }
  });
});
