import type { WebClient } from '@slack/web-api';
import type { Language } from '../wording/index.ts';

/** Slack mentions of a user render their display name for every reader. */
export const mention = (slackId: string): string => `<@${slackId}>`;

const LOCALE_TTL_MS = 3_600_000;

/**
 * The language a Slack member reads, from their Slack locale (users.info), remembered for an hour;
 * French when Slack does not say (the product's default market).
 */
export function localeCache(now: () => number = Date.now) {
  const cache = new Map<string, { lang: Language; at: number }>();
  return async (client: WebClient, slackId: string): Promise<Language> => {
    const hit = cache.get(slackId);
    if (hit && now() - hit.at < LOCALE_TTL_MS) return hit.lang;
    let lang: Language = 'fr';
    try {
      const info = await client.users.info({ user: slackId, include_locale: true });
      const locale = info.user?.locale ?? '';
      if (locale) lang = locale.toLowerCase().startsWith('fr') ? 'fr' : 'en';
    } catch {
      // No users:read scope or a transient failure: keep the default rather than fail the answer.
    }
    cache.set(slackId, { lang, at: now() });
    return lang;
  };
}
