import type { Command } from 'commander';
import { registerReminderDraftCommands } from './reminders-drafts.ts';
import { registerRemindersPlanCommand } from './reminders-plan.ts';

/**
 * The `reminders` command group: `plan` (the dunning plan, read-only). Other subcommands (draft,
 * list, approve, reject) register on the same group here.
 */
export function registerRemindersCommands(program: Command): Command {
  const reminders = program
    .command('reminders')
    .addHelpText('after', '\nExample:\n  $ encours reminders plan --as-of 2026-06-30');
  registerRemindersPlanCommand(reminders);
  registerReminderDraftCommands(reminders);
  return reminders;
}
