import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { webApi } from '@slack/bolt';
import { describe, expect, it } from 'vitest';
import { ACTIONS } from '../src/slack/blocks.ts';

/**
 * manifest.json against the manifest shape Slack documents (the `Manifest` type of @slack/web-api,
 * which apps.manifest.create takes), and against what the app handles and the README tells.
 */
type Manifest = webApi.AppsManifestCreateArguments['manifest'];

const ROOT = join(import.meta.dirname, '..');
const raw = JSON.parse(readFileSync(join(ROOT, 'manifest.json'), 'utf8')) as unknown;
// A compile-time check too: this assignment fails `npm run typecheck` if the shape drifts.
const manifest: Manifest = raw as Manifest;
const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
const slackSection = readme.slice(readme.indexOf('## Slack'), readme.indexOf('## Development'));

const SOURCES = ['terms.ts', 'assistant.ts']
  .map((f) => readFileSync(join(ROOT, 'src', 'slack', f), 'utf8'))
  .join('\n');

describe('manifest.json', () => {
  it('has the sections and required fields Slack documents', () => {
    const m = raw as Record<string, Record<string, unknown>>;
    expect(Object.keys(m).sort()).toEqual([
      '_metadata',
      'display_information',
      'features',
      'oauth_config',
      'settings',
    ]);
    expect(manifest.display_information.name).toMatch(/^.{1,35}$/);
    expect(manifest.display_information.description?.length).toBeLessThanOrEqual(140);
    // Slack takes a long description of 175 to 4,000 characters.
    const long = manifest.display_information.long_description ?? '';
    expect(long.length).toBeGreaterThanOrEqual(175);
    expect(long.length).toBeLessThanOrEqual(4000);
    expect(manifest.display_information.background_color).toMatch(/^#[0-9a-f]{6}$/i);
    expect(manifest.features?.bot_user?.display_name).toBeTruthy();
  });

  it('declares the /credit command, pointed at /slack/events, with a usage hint', () => {
    const commands = manifest.features?.slash_commands ?? [];
    expect(commands.map((c) => c.command)).toEqual(['/credit']);
    expect(commands[0]!.url).toMatch(/^https:\/\/[^/]+\/slack\/events$/);
    expect(commands[0]!.description.length).toBeLessThanOrEqual(2000);
    expect(commands[0]!.usage_hint).toMatch(/client/);
    expect(SOURCES).toContain("app.command('/credit'");
  });

  it('subscribes to the events the app listens to, with interactivity on the same URL', () => {
    const events = manifest.settings?.event_subscriptions;
    expect(events?.request_url).toBe(manifest.features?.slash_commands?.[0]?.url);
    expect([...(events?.bot_events ?? [])].sort()).toEqual([
      'app_mention',
      'assistant_thread_context_changed',
      'assistant_thread_started',
      'message.im',
    ]);
    expect(manifest.settings?.interactivity).toEqual({ is_enabled: true, request_url: events?.request_url });
    expect(SOURCES).toContain("app.event('app_mention'");
    expect(SOURCES).toContain('new Assistant(');
    const shortcut = manifest.features?.shortcuts?.[0];
    expect(shortcut).toMatchObject({ type: 'global', callback_id: 'encours_request_terms' });
    expect(SOURCES).toContain(`app.shortcut('${shortcut!.callback_id}'`);
    expect(ACTIONS.requestApproval).toMatch(/^encours_/);
  });

  it('asks for the bot scopes the app uses, and only those', () => {
    const scopes = manifest.oauth_config?.scopes?.bot ?? [];
    expect([...scopes].sort()).toEqual([
      'app_mentions:read', // app_mention events
      'assistant:write', // assistant threads: status, title, suggested prompts
      'channels:history', // the thread a mention is in (conversations.replies)
      'chat:write', // answers, finance posts, chat.update, ephemeral notes
      'chat:write.public', // "public" answers in channels the bot was not invited to
      'commands', // /credit and the shortcut
      'groups:history', // threads in private channels
      'im:history', // direct messages and assistant threads
      'im:write', // telling a requester the decision
      'users:read', // each member's language (users.info locale)
    ]);
    for (const s of scopes) expect(s).toMatch(/^[a-z_]+:[a-z_.]+$|^commands$/);
  });

  it('is what the README walks through', () => {
    for (const scope of manifest.oauth_config?.scopes?.bot ?? [])
      expect(slackSection).toContain(`\`${scope}\``);
    for (const event of manifest.settings?.event_subscriptions?.bot_events ?? [])
      expect(slackSection).toContain(`\`${event}\``);
    expect(slackSection).toContain('`/credit`');
    expect(slackSection).toContain('`manifest.json`');
    expect(slackSection).toContain(new URL(manifest.settings!.event_subscriptions!.request_url!).origin);
    expect(slackSection).toContain('/slack/events');
    expect(slackSection).toContain('"socket_mode_enabled": true');
    expect(manifest.settings?.socket_mode_enabled).toBe(false);
    for (const v of [
      'SLACK_BOT_TOKEN',
      'SLACK_SIGNING_SECRET',
      'SLACK_APP_TOKEN',
      'ENCOURS_SLACK_FINANCE_CHANNEL',
    ])
      expect(slackSection).toContain(v);
  });
});
