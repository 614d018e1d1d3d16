import { isAppError } from '../errors.ts';
import type { Language } from '../wording/index.ts';
import { slackSay as say } from '../wording/slack.ts';
import { escapeText, type Message, textMessage } from './blocks.ts';

/**
 * The Slack edge's one mapping of errors to a reply: short, in the reader's language, saying what
 * to do; never a stack trace and never silence. (Ambiguous names get buttons: see pickClientMessage.)
 */
export function errorReply(e: unknown, lang: Language, query?: string): Message {
  // Internals of an unexpected error stay in the server log.
  if (!isAppError(e))
    return textMessage(`:warning: ${say('error.tool', lang, { message: say('error.unexpected', lang) })}`);
  const message = escapeText(firstLine(e));
  switch (e.code) {
    case 'NOT_FOUND':
      return textMessage(
        `:mag: ${query !== undefined ? say('error.notFound', lang, { query: escapeText(query) }) : message}`,
      );
    case 'NO_DATA':
      return textMessage(`:inbox_tray: ${say('error.noData', lang)}`);
    case 'INVALID_INPUT':
      return textMessage(`:pencil2: ${say('error.invalid', lang, { message })}\n${say('error.usage', lang)}`);
    case 'FORBIDDEN':
    case 'UNAUTHORIZED':
      return textMessage(`:no_entry_sign: ${say('error.forbidden', lang, { message })}`);
    case 'CONFLICT':
      return textMessage(`:arrows_counterclockwise: ${say('error.stale', lang, { message })}`);
    case 'UPSTREAM':
      return textMessage(`:hourglass: ${say('error.agent', lang)}`);
    default:
      return textMessage(`:warning: ${say('error.tool', lang, { message })}`);
  }
}

const firstLine = (e: unknown): string =>
  (e instanceof Error ? e.message : String(e)).split('\n')[0]!.slice(0, 300);
