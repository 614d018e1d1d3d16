import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../src/db/open.ts';
import { createSlackApp, type SlackApp } from '../src/slack/app.ts';
import { seedPortfolio } from './mcp-fixtures.ts';
import { testContext, testRuntime } from './support/context.ts';
import { freshDatabase } from './support/databases.ts';
import { type FakeSlack, startFakeSlack } from './support/fake-slack.ts';
import { SALES_CHANNEL, SLACK_HOOK_TIMEOUT, textOf, USERS } from './support/slack-harness.ts';

/**
 * `encours slack`: the same app over Socket Mode. The fake answers apps.connections.open with its
 * own WebSocket, says hello, and delivers envelopes; the app acks them on the socket.
 */
describe('Slack in Socket Mode', () => {
  let fake: FakeSlack;
  let database: Database;
  let slack: SlackApp;
  beforeAll(async () => {
    fake = await startFakeSlack({ users: [USERS.alex] });
    database = await freshDatabase('pglite');
    await seedPortfolio(database.db);
    const services = testContext(database, {
      env: { SLACK_BOT_TOKEN: 'xoxb-socket', SLACK_APP_TOKEN: 'xapp-1-socket', SLACK_API_URL: fake.apiUrl },
    });
    slack = createSlackApp({
      runtime: await testRuntime(services),
      transport: 'socket',
      syncEveryMs: 0,
      digest: false,
    });
    await slack.start();
    await fake.socketConnected();
  }, SLACK_HOOK_TIMEOUT);
  afterAll(async () => {
    await slack.stop();
    await fake.close();
    await database.close();
  }, SLACK_HOOK_TIMEOUT);

  it('connects with the app token and answers /credit delivered over the socket', async () => {
    expect(fake.callsTo('apps.connections.open')[0]?.headers.authorization).toBe('Bearer xapp-1-socket');
    const ack = fake.socketSend('slash_commands', {
      command: '/credit',
      text: 'C003 30 1500',
      user_id: USERS.alex.id,
      channel_id: SALES_CHANNEL,
      team_id: 'T0001',
      api_app_id: 'A0001',
      response_url: fake.responseUrl('socket-1'),
      trigger_id: 'trig-socket',
    });
    await expect(ack).resolves.toBeDefined();
    await expect
      .poll(() => fake.responses.find((r) => r.id === 'socket-1'), { timeout: 60_000 })
      .toBeTruthy();
    const text = textOf(fake.responses.find((r) => r.id === 'socket-1')!.body.blocks);
    expect(text).toContain('Électricité Martin (C003)');
    expect(text).toContain('30 days on EUR 1,500.00');
  });
});
