import type { MessageParam } from '@anthropic-ai/sdk/resources/messages/messages';
import { formatDate, type Letter, type ReminderFacts, writeLetter } from '../core/letters.ts';
import { formatMoney } from '../core/money.ts';
import type { ReminderFinding, ReminderWriter, WrittenLetter } from '../services/reminders.ts';
import type { Agent } from './loop.ts';
import { type LoadedPrompts, loadPrompts, toneFor } from './prompts.ts';

const SCENARIO_WORDS: Record<string, string> = {
  friendly: 'a friendly first reminder',
  clear: 'a clear reminder',
  firm: 'a firm reminder stating the late-payment penalties',
  final_notice: 'a final amicable reminder before formal notice',
  formal_notice: 'a formal notice to pay (mise en demeure), sent by registered letter',
  promise_confirmation: 'a confirmation of the promise to pay the client made',
  broken_promise: 'a reminder after a promise to pay that was not kept',
  dispute_acknowledgement: 'an acknowledgement of the client’s dispute',
  call_recap: 'a written recap of a phone call that took place, from our notes of it only',
};

/** The facts with their display forms, so the model copies figures rather than formats them. */
function displayFacts(f: ReminderFacts) {
  const money = (m: number, currency = f.currency) => formatMoney(m, currency, f.language);
  const date = (d: string) => formatDate(d, f.language);
  return {
    ...f,
    display: {
      totals: f.totals.map((t) => money(t.amount, t.currency)),
      deadline: date(f.deadline),
      invoices: f.invoices.map((i) => ({
        ref: i.ref,
        issueDate: date(i.issueDate),
        dueDate: date(i.dueDate),
        amount: money(i.amountInCurrency, i.currency),
        open: money(i.openInCurrency, i.currency),
        description: i.description,
        paymentLink: i.paymentLink,
      })),
      indemnity: f.legal.indemnity === null ? null : money(f.legal.indemnity),
      promise: f.promise ? { date: date(f.promise.date), amount: money(f.promise.amount) } : null,
      previousReminders: f.previousReminders.map((r) => ({ date: date(r.date), stage: r.stage })),
    },
  };
}

function instructions(f: ReminderFacts): string {
  const lang = f.language === 'fr' ? 'French' : 'English';
  const reference = writeLetter(f);
  return [
    `Write ${SCENARIO_WORDS[f.scenario] ?? f.scenario} to ${f.client.name}, in ${lang}.`,
    'The facts below are the only source: copy every invoice ref, date and amount exactly as in `display` (or the facts); compute nothing.',
    'Cover exactly the invoices listed in `invoices`, each with its number, date, what it was for and its amount in its own currency. Never mention an invoice listed in `excluded`.',
    f.legal.penaltyRatePercent !== null || f.legal.indemnity !== null
      ? 'State the legal mentions given in `legal` (late-penalty rate, fixed recovery indemnity per invoice, the article) with exactly these figures.'
      : 'You need not mention penalties; if you do, use exactly the figures in `legal`.',
    'Bank details, links, e-mail addresses and phone numbers: only those of `company` and the invoices’ `paymentLink`; never any other. No threats, no third parties.',
    'The reference letter below carries every mandatory mention and the signature: you may improve the wording, never drop a mention, a figure or the signature lines.',
    'Answer with the letter only, in this form:\nSubject: <subject>\n\n<body>',
    '',
    `Reference letter:\nSubject: ${reference.subject}\n\n${reference.body}`,
    '',
    `Facts:\n${JSON.stringify(displayFacts(f), null, 2)}`,
  ].join('\n');
}

const fixRequest = (findings: ReminderFinding[]) =>
  [
    'The automatic checks rejected this draft:',
    ...findings.map((f) => `- ${f.message}`),
    'Rewrite it so every figure, date and ref comes from the facts and nothing above recurs. Same form: Subject line, blank line, body.',
  ].join('\n');

/** Splits "Subject: ...\n\nbody" (or "Objet : ..."); without a subject line the template's is used. */
export function parseLetter(text: string, facts: ReminderFacts): Letter {
  const cleaned = text.replace(/^```\w*\n?|```$/g, '').trim();
  const m = /^\s*(?:subject|objet)\s*:\s*(.+)\n+([\s\S]*)$/i.exec(cleaned);
  if (m) return { subject: m[1]!.trim(), body: m[2]!.trim() };
  return { subject: writeLetter(facts).subject, body: cleaned };
}

/** A reminder writer backed by Claude: it sees only the facts, never the database or tools. */
export function createClaudeWriter(agent: Agent, prompts: LoadedPrompts = loadPrompts()): ReminderWriter {
  return {
    name: agent.model,
    promptVersion: agent.promptVersion,
    canRetry: true,
    async write(facts, feedback): Promise<WrittenLetter> {
      const messages: MessageParam[] = [{ role: 'user', content: instructions(facts) }];
      if (feedback)
        messages.push(
          {
            role: 'assistant',
            content: `Subject: ${feedback.previous.subject}\n\n${feedback.previous.body}`,
          },
          { role: 'user', content: fixRequest(feedback.findings) },
        );
      const tone = prompts.tones[toneFor(facts.scenario)];
      const result = await agent.complete(messages, tone ? { system: tone } : {});
      return { ...parseLetter(result.text, facts), usage: result.usage, model: result.model };
    },
  };
}
