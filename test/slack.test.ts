import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { and, eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Decision } from '../src/core/policy.ts';
import * as t from '../src/db/schema.ts';
import { createApp } from '../src/http/app.ts';
import { originPolicy } from '../src/http/origin.ts';
import { outboxMailer } from '../src/mail/mailer.ts';
import { listAudit } from '../src/services/audit.ts';
import { callerFor } from '../src/services/callers.ts';
import { decideTermsRequest, getTermsRequest } from '../src/services/terms-requests.ts';
import { addUser, linkSlackUser } from '../src/services/users.ts';
import { ACTIONS } from '../src/slack/blocks.ts';
import { capitalise } from '../src/wording/index.ts';
import { slackSay } from '../src/wording/slack.ts';
import { decisionWord } from '../src/wording/terms.ts';
import { spawnServe } from './support/cli.ts';
import { asUser, TEST_ADMIN, testRuntime } from './support/context.ts';
import { slackSignature, startFakeSlack } from './support/fake-slack.ts';
import {
  buttons,
  FINANCE,
  SALES_CHANNEL,
  SECRET,
  textOf,
  USERS,
  useSlackHarness,
} from './support/slack-harness.ts';

describe('Slack transport: /slack/events', () => {
  const h = useSlackHarness();

  it('refuses a bad signature with 401 and runs nothing', async () => {
    const before = h.fake.responses.length;
    const body = new URLSearchParams({
      command: '/credit',
      text: 'C001 30',
      user_id: USERS.sam.id,
    }).toString();
    const res = await h.send(body, 'form', { secret: 'not-the-secret' });
    expect(res.status).toBe(401);
    expect(await res.text()).toMatch(/signature/);
    expect(h.fake.responses.length).toBe(before);
    const unsigned = await h.http.request('/slack/events', { method: 'POST', body });
    expect(unsigned.status).toBe(401);
  });

  it('refuses a request older than 5 minutes (a replay) with 401', async () => {
    const stale = Math.floor(h.services.now().getTime() / 1000) - 6 * 60;
    const res = await h.send(JSON.stringify({ type: 'url_verification', challenge: 'x' }), 'json', {
      timestamp: stale,
    });
    expect(res.status).toBe(401);
    expect(await res.text()).toMatch(/stale/);
  });

  it('has no /slack/events route when Slack is not configured', async () => {
    const plain = createApp({
      runtime: await testRuntime(h.services, outboxMailer(mkdtempSync(join(tmpdir(), 'encours-outbox-')))),
      origins: originPolicy(undefined),
    });
    expect((await plain.request('/slack/events', { method: 'POST', body: '{}' })).status).toBe(404);
  });

  it('users link maps a Slack member to a user (one user per member id); unlinked, they are a viewer again', async () => {
    await addUser(h.services, { name: 'nadia', role: 'finance' }, TEST_ADMIN);
    expect(await callerFor(h.services, { kind: 'slack', slackId: USERS.nobody.id })).toMatchObject({
      role: 'viewer',
      verified: false,
    });
    await linkSlackUser(h.services, { name: 'nadia', slackId: USERS.nobody.id }, TEST_ADMIN);
    expect(await callerFor(h.services, { kind: 'slack', slackId: USERS.nobody.id })).toMatchObject({
      user: 'nadia',
      role: 'finance',
      channel: 'slack',
      verified: true,
    });
    await expect(
      linkSlackUser(h.services, { name: 'sam', slackId: USERS.nobody.id }, TEST_ADMIN),
    ).rejects.toThrow(/already linked to nadia/);
    await expect(
      linkSlackUser(h.services, { name: 'nadia', slackId: 'not-an-id' }, TEST_ADMIN),
    ).rejects.toThrow(/Slack member id like U012AB3CD/);
    await linkSlackUser(h.services, { name: 'nadia', slackId: null }, TEST_ADMIN);
    expect(await callerFor(h.services, { kind: 'slack', slackId: USERS.nobody.id })).toMatchObject({
      role: 'viewer',
      verified: false,
    });
    const [entry] = await listAudit(h.database.db, { limit: 1, action: 'user.slack_unlinked' });
    expect(entry?.data).toEqual({ slackId: null, previous: USERS.nobody.id });
  });

  it("answers Slack's URL verification", async () => {
    const res = await h.send(JSON.stringify({ type: 'url_verification', challenge: 'chal-123' }), 'json');
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ challenge: 'chal-123' });
  });

  it('handles a re-delivered event once', async () => {
    const event = {
      type: 'app_mention',
      user: USERS.sam.id,
      text: `<@${h.fake.botUserId}> Quel est le score de Dupont-BTP SARL ?`,
      ts: '1764000100.000100',
      channel: SALES_CHANNEL,
      event_ts: '1764000100.000100',
    };
    const first = await h.event(event, 'Ev-retry-1');
    const again = await h.event(event, 'Ev-retry-1', {
      'x-slack-retry-num': '1',
      'x-slack-retry-reason': 'http_timeout',
    });
    expect(first.status).toBe(200);
    expect(again.status).toBe(200);
    const replies = h.fake.callsTo('chat.postMessage').filter((c) => c.body.thread_ts === event.ts);
    expect(replies).toHaveLength(1);
    // The offline responder answered in French, in the thread of the mention.
    expect(String(replies[0]!.body.text)).toMatch(/Dupont-BTP SARL/);
    expect(String(replies[0]!.body.text)).toMatch(/score/i);
  });
});

describe('Slack /credit', () => {
  const h = useSlackHarness();

  const responseTo = (id: string) => h.fake.responses.find((r) => r.id === id)?.body;
  const lastDecision = async () => {
    const rows = await h.database.db.select().from(t.decisions);
    return rows
      .sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime() || a.id.localeCompare(b.id))
      .at(-1)!;
  };

  it('answers in French with the core decision, privately, with score, exposure, limit and buttons', async () => {
    const res = await h.command('sam', 'Dupont-BTP SARL 60 25000', 'fr-1');
    expect(res.status).toBe(200);
    const reply = responseTo('fr-1')!;
    expect(reply.response_type).toBe('ephemeral');
    const decision = await lastDecision();
    expect(decision.requestedBy).toBe('sam');
    expect(decision.requestedDays).toBe(60);
    expect(decision.amount).toBe(2_500_000);
    const text = textOf(reply.blocks);
    expect(text).toContain(capitalise(decisionWord(decision.recommendation as Decision, 'fr')));
    expect(text).toContain(`${decision.score}/100 · note ${decision.grade}`);
    expect(text).toContain('25\u202f000,00'); // the amount, French formatting
    expect(text).toContain('limite');
    for (const english of ['Exposure', 'Why', 'Request approval', 'grade '])
      expect(text).not.toContain(english);
    const b = buttons(reply.blocks);
    expect(b.get(ACTIONS.open)?.url).toBe('https://encours.example.com/clients/C001');
    if (decision.recommendation !== 'approve') expect(b.has(ACTIONS.requestApproval)).toBe(true);
  });

  it('answers in English for an English-speaking member', async () => {
    await h.command('alex', 'C001 45 12000', 'en-1');
    const reply = responseTo('en-1')!;
    const decision = await lastDecision();
    const text = textOf(reply.blocks);
    expect(text).toContain(capitalise(decisionWord(decision.recommendation as Decision, 'en')));
    expect(text).toContain(`grade ${decision.grade}`);
    expect(text).toContain('Exposure / limit');
    expect(text).toContain('EUR 12,000.00');
    expect(text).not.toContain('Pourquoi');
  });

  it('posts in the channel when asked with "public"', async () => {
    const before = h.fake.callsTo('chat.postMessage').length;
    await h.command('sam', 'C001 30 public', 'pub-1');
    const posts = h.fake.callsTo('chat.postMessage').slice(before);
    expect(posts).toHaveLength(1);
    expect(posts[0]!.body.channel).toBe(SALES_CHANNEL);
    expect(responseTo('pub-1')).toBeUndefined();
  });

  it('offers buttons to pick a client when the name is ambiguous, and answers for the one picked', async () => {
    await h.command('sam', 'Dupont 60', 'amb-1');
    const reply = responseTo('amb-1')!;
    expect(textOf(reply.blocks)).toMatch(/Plusieurs clients correspondent à « Dupont »/);
    const picks = [...buttons(reply.blocks).entries()].filter(([id]) => id.startsWith(ACTIONS.pickClient));
    expect(picks.map(([, b]) => JSON.parse(b.value!).client).sort()).toEqual(['C001', 'C002']);
    const [actionId, negoce] = picks.find(([, b]) => JSON.parse(b.value!).client === 'C002')!;
    await h.click('sam', actionId, negoce.value!, {
      channel: SALES_CHANNEL,
      ephemeral: true,
      responseId: 'amb-pick',
    });
    const picked = responseTo('amb-pick')!;
    expect(picked.replace_original).toBe(true);
    expect(textOf(picked.blocks)).toContain('Dupont Négoce (C002)');
    expect((await lastDecision()).requestedDays).toBe(60);
  });

  it('says so when no client matches, and explains the usage on a malformed command', async () => {
    await h.command('alex', 'Zorglub Industries 30', 'nf-1');
    expect(textOf(responseTo('nf-1')!.blocks)).toMatch(/No client matches "Zorglub Industries"/);
    await h.command('alex', 'C001 60 lots', 'bad-1');
    expect(textOf(responseTo('bad-1')!.blocks)).toMatch(/Usage: `\/credit <client> \[days\] \[amount\]`/);
  });

  it('retries a call Slack rate-limits (429 with Retry-After)', async () => {
    h.fake.failNext('chat.postMessage', { status: 429, retryAfter: 1 });
    const before = h.fake.callsTo('chat.postMessage').length;
    await h.command('alex', 'C003 30 public', 'rl-1');
    const calls = h.fake.callsTo('chat.postMessage').slice(before);
    expect(calls).toHaveLength(2);
    expect(
      h.fake.messages.filter((m) => m.channel === SALES_CHANNEL && /Électricité Martin/.test(m.text)),
    ).toHaveLength(1);
  });
});

describe('Slack approvals', () => {
  const h = useSlackHarness();
  let origin: { channel: string; ts: string };
  let requestValue: string;
  let decisionId: string;
  beforeAll(async () => {
    // Sam asks in the channel (a message with a ts, so chat.update can replace its buttons).
    await h.command('sam', 'Dupont-BTP SARL 60 25000 public');
    const posted = h.fake.messages.find((m) => m.channel === SALES_CHANNEL)!;
    origin = { channel: posted.channel, ts: posted.ts };
    requestValue = buttons(posted.blocks).get(ACTIONS.requestApproval)!.value!;
    decisionId = JSON.parse(requestValue).d;
  });

  const financePost = () =>
    h.fake.messages.find((m) => m.channel === FINANCE && textOf(m.blocks).includes('Dupont-BTP'));
  const ephemeralTo = (user: keyof typeof USERS) =>
    h.fake.callsTo('chat.postEphemeral').filter((c) => c.body.user === USERS[user].id);

  it('"Request approval" creates a pending request and posts it to the finance channel', async () => {
    await h.click('sam', ACTIONS.requestApproval, requestValue, origin);
    const request = await getTermsRequest(h.services, decisionId);
    expect(request.state).toBe('pending');
    expect(request.approvalRequestedBy).toBe('sam');
    const post = financePost()!;
    expect(post).toBeDefined();
    const b = buttons(post.blocks);
    expect(b.has(ACTIONS.approve)).toBe(true);
    expect(b.has(ACTIONS.decline)).toBe(true);
    // Approve asks for confirmation first (Slack's confirm dialog); Decline opens a form with a reason.
    const actions = (
      post.blocks as { type: string; elements?: { action_id?: string; confirm?: unknown }[] }[]
    )
      .flatMap((block) => block.elements ?? [])
      .find((e) => e.action_id === ACTIONS.approve);
    expect(actions?.confirm).toMatchObject({ title: { text: slackSay('confirm.title', 'fr') } });
    expect(textOf(post.blocks)).toContain(`<@${USERS.sam.id}>`);
    // The asker's message lost its button and says it waits for a decision.
    const originNow = h.fake.messages.find((m) => m.ts === origin.ts)!;
    expect(buttons(originNow.blocks).has(ACTIONS.requestApproval)).toBe(false);
    expect(textOf(originNow.blocks)).toContain(slackSay('state.pending', 'fr'));
  });

  it('refuses the approval to the requester, to a sales user and to an unmapped user, changing nothing', async () => {
    const post = financePost()!;
    const value = buttons(post.blocks).get(ACTIONS.approve)!.value!;
    const auditBefore = (await listAudit(h.database.db, { limit: 1000 })).length;
    await h.click('sam', ACTIONS.approve, value, { channel: FINANCE, ts: post.ts });
    expect(textOf(ephemeralTo('sam').at(-1)!.body.blocks)).toMatch(
      /sam asked for these terms and may not decide/,
    );
    await h.click('sally', ACTIONS.approve, value, { channel: FINANCE, ts: post.ts });
    expect(textOf(ephemeralTo('sally').at(-1)!.body.blocks)).toMatch(/sally \(sales\) may not decide/);
    await h.click('nobody', ACTIONS.approve, value, { channel: FINANCE, ts: post.ts });
    expect(textOf(ephemeralTo('nobody').at(-1)!.body.blocks)).toMatch(
      /n’est lié à aucun utilisateur|not linked/,
    );
    expect((await getTermsRequest(h.services, decisionId)).state).toBe('pending');
    expect((await listAudit(h.database.db, { limit: 1000 })).length).toBe(auditBefore);
  });

  it('approval by a mapped finance user updates the decision, both messages and the audit log', async () => {
    const post = financePost()!;
    const value = buttons(post.blocks).get(ACTIONS.approve)!.value!;
    await h.click('fiona', ACTIONS.approve, value, { channel: FINANCE, ts: post.ts });
    const request = await getTermsRequest(h.services, decisionId);
    expect(request.state === 'approved' || request.state === 'overridden').toBe(true);
    expect(request.decidedBy).toBe('fiona');
    for (const ts of [origin.ts, post.ts]) {
      const m = h.fake.messages.find((x) => x.ts === ts)!;
      const b = buttons(m.blocks);
      expect(b.has(ACTIONS.approve) || b.has(ACTIONS.requestApproval)).toBe(false);
      expect(textOf(m.blocks)).toMatch(/par fiona le 23 novembre 2026 09:00 UTC/);
    }
    const updates = h.fake.callsTo('chat.update').map((c) => c.body.ts);
    expect(updates).toEqual(expect.arrayContaining([origin.ts, post.ts]));
    const [entry] = await listAudit(h.database.db, { limit: 1, action: `terms_request.${request.state}` });
    expect(entry).toMatchObject({ actor: 'fiona', channel: 'slack', subject: decisionId });
    expect(entry!.data).toMatchObject({ slackUserId: USERS.fiona.id, verdict: 'approve' });
    // Sam is told in a direct message.
    expect(h.fake.callsTo('chat.postMessage').some((c) => c.body.channel === USERS.sam.id)).toBe(true);
  });

  it('refuses a re-delivered or stale click with a private note, never applying it twice', async () => {
    const post = financePost()!;
    const auditBefore = (await listAudit(h.database.db, { limit: 1000 })).length;
    const stale = JSON.stringify({ d: decisionId, r: JSON.parse(requestValue).r });
    await h.click('fiona', ACTIONS.approve, stale, { channel: FINANCE, ts: post.ts });
    await h.click('fiona', ACTIONS.decline, stale, { channel: FINANCE, ts: post.ts });
    const notes = ephemeralTo('fiona').slice(-2);
    for (const n of notes) expect(textOf(n.body.blocks)).toMatch(/plus à jour|out of date/);
    expect((await listAudit(h.database.db, { limit: 1000 })).length).toBe(auditBefore);
    expect(h.fake.callsTo('views.open')).toHaveLength(0);
  });

  it('declining asks for a reason in a form and records it', async () => {
    await h.command('alex', 'C001 45 30000 public');
    const posted = h.fake.messages.filter((m) => m.channel === SALES_CHANNEL).at(-1)!;
    const value = buttons(posted.blocks).get(ACTIONS.requestApproval)!.value!;
    const id = JSON.parse(value).d;
    await h.click('alex', ACTIONS.requestApproval, value, { channel: SALES_CHANNEL, ts: posted.ts });
    const post = h.fake.messages.filter((m) => m.channel === FINANCE).at(-1)!;
    await h.click('fiona', ACTIONS.decline, buttons(post.blocks).get(ACTIONS.decline)!.value!, {
      channel: FINANCE,
      ts: post.ts,
    });
    const opened = h.fake.callsTo('views.open').at(-1)!;
    const view = opened.body.view as { callback_id: string; private_metadata: string };
    const submit = (reason: string) =>
      h.send(
        new URLSearchParams({
          payload: JSON.stringify({
            type: 'view_submission',
            team: { id: 'T0001', domain: 'test' },
            user: { id: USERS.fiona.id, name: 'fiona' },
            api_app_id: 'A0001',
            token: 'legacy',
            trigger_id: 'trig-view',
            view: {
              id: 'V1',
              type: 'modal',
              callback_id: view.callback_id,
              private_metadata: view.private_metadata,
              state: { values: { reason: { value: { type: 'plain_text_input', value: reason } } } },
              hash: 'h',
            },
          }),
        }).toString(),
        'form',
      );
    const empty = await submit('   ');
    expect(await empty.json()).toMatchObject({
      response_action: 'errors',
      errors: { reason: expect.any(String) },
    });
    expect((await getTermsRequest(h.services, id)).state).toBe('pending');
    await submit('client already over its usual balance; wait for the March payment');
    const decided = await getTermsRequest(h.services, id);
    expect(decided.finalDecision).toBe('decline');
    expect(decided.overrideReason).toMatch(/March payment/);
    const m = h.fake.messages.find((x) => x.ts === post.ts)!;
    expect(textOf(m.blocks)).toMatch(/par fiona/);
  });

  it('a request decided elsewhere (the web queue) updates the Slack messages too', async () => {
    await h.command('alex', 'C003 60 4000 public');
    const posted = h.fake.messages.filter((m) => m.channel === SALES_CHANNEL).at(-1)!;
    const value = buttons(posted.blocks).get(ACTIONS.requestApproval)!.value!;
    const id = JSON.parse(value).d;
    await h.click('alex', ACTIONS.requestApproval, value, { channel: SALES_CHANNEL, ts: posted.ts });
    const post = h.fake.messages.filter((m) => m.channel === FINANCE).at(-1)!;
    // The path `encours terms override` (and today's web queue) takes.
    await decideTermsRequest(h.services, {
      decisionId: id,
      verdict: { to: 'decline' },
      decider: asUser('fiona', 'finance'),
      reason: 'decided on the web page',
    });
    expect(await h.slack.syncMessages()).toBe(1);
    // Alex reads English, the finance channel French.
    expect(textOf(h.fake.messages.find((x) => x.ts === posted.ts)!.blocks)).toMatch(/Declined by fiona/);
    expect(textOf(h.fake.messages.find((x) => x.ts === post.ts)!.blocks)).toMatch(/Refusé par fiona/);
    expect(await h.slack.syncMessages()).toBe(0);
    const rows = await h.database.db
      .select()
      .from(t.slackMessages)
      .where(and(eq(t.slackMessages.decisionId, id), eq(t.slackMessages.shownState, 'pending')));
    expect(rows).toHaveLength(0);
  });

  it('posts the daily digest to the finance channel', async () => {
    await h.slack.sendDigest();
    const digest = h.fake.messages.filter((m) => m.channel === FINANCE).at(-1)!;
    const text = textOf(digest.blocks);
    expect(text).toMatch(/Point crédit du 23 novembre 2026/);
    expect(text).toMatch(/demande\(s\) de conditions en attente/);
    expect(buttons(digest.blocks).get(`${ACTIONS.openQueue}_terms`)?.url).toBe(
      'https://encours.example.com/terms',
    );
  });
});

describe('encours serve with Slack (spawned)', () => {
  async function startServe(env: Record<string, string>) {
    const dir = mkdtempSync(join(tmpdir(), 'encours-slack-serve-'));
    const served = await spawnServe(['--db', join(dir, 'data')], env);
    return {
      ...served,
      stop: async () => {
        await served.stop();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  }

  it('serves /slack/events when the bot token and signing secret are set, and says so', async () => {
    const fake = await startFakeSlack({ users: [USERS.alex] });
    const serve = await startServe({
      SLACK_BOT_TOKEN: 'xoxb-spawned',
      SLACK_SIGNING_SECRET: SECRET,
      SLACK_API_URL: fake.apiUrl,
    });
    try {
      expect(serve.out).toMatch(/Slack events at \/slack\/events/);
      const unsigned = await fetch(`${serve.url}/slack/events`, { method: 'POST', body: 'x=1' });
      expect(unsigned.status).toBe(401);
      const body = new URLSearchParams({
        command: '/credit',
        text: 'Acme 30',
        user_id: USERS.alex.id,
        channel_id: SALES_CHANNEL,
        team_id: 'T0001',
        api_app_id: 'A0001',
        response_url: fake.responseUrl('spawned-1'),
        trigger_id: 'trig',
      }).toString();
      const res = await fetch(`${serve.url}/slack/events`, {
        method: 'POST',
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          ...slackSignature(SECRET, body, Math.floor(Date.now() / 1000)),
        },
        body,
      });
      expect(res.status).toBe(200);
      // The database is empty: the answer says no data was imported yet, after the 200 ack.
      await expect
        .poll(() => fake.responses.find((r) => r.id === 'spawned-1'), { timeout: 30_000 })
        .toBeTruthy();
      expect(textOf(fake.responses.find((r) => r.id === 'spawned-1')!.body.blocks)).toMatch(
        /encours holds no data yet/,
      );
    } finally {
      await serve.stop();
      await fake.close();
    }
  }, 120_000);
});
