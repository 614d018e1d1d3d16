import { addDays } from '../../src/core/dates.ts';
import type { CompanySettings } from '../../src/core/policy.ts';
import type { ClientFacts } from '../../src/core/types.ts';
import { addDispute, addInvoice, clientFacts } from './receivables-fixtures.ts';

/** Company settings for letter tests: a valid IBAN, a payment link template, a phone and e-mail. */
export const COMPANY: CompanySettings = {
  legalName: 'Atelier Martin SAS',
  address: '12 rue des Lilas, 69003 Lyon',
  siren: '123456789',
  vatNumber: 'FR32123456789',
  contactName: 'Claire Martin',
  phone: '+33 4 72 00 00 00',
  email: 'compta@atelier-martin.fr',
  iban: 'FR76 3000 6000 0112 3456 7890 189',
  bic: 'AGRIFRPP',
  paymentLinkTemplate: 'https://pay.atelier-martin.fr/{invoice}',
  signature: 'Service recouvrement',
  defaultLanguage: 'fr',
};

/** Chronic late payer: 4 paid invoices all 30 days late; L1 and L2 overdue, L3 partly disputed. */
export function latePayer(language: 'fr' | 'en' = 'fr'): ClientFacts {
  const f = clientFacts('L', { name: 'Dupont BTP', since: '2023-01-01', language });
  for (let i = 0; i < 4; i++) {
    const issue = addDays('2026-01-05', 30 * i);
    addInvoice(f, `P${i}`, issue, addDays(issue, 30), 10000, { paid: [[addDays(issue, 60), 10000]] });
  }
  addInvoice(f, 'F2026-0101', '2026-10-02', '2026-11-02', 123456);
  addInvoice(f, 'F2026-0117', '2026-10-06', '2026-11-05', 200000, { paid: [['2026-11-10', 150000]] });
  addInvoice(f, 'F2026-0120', '2026-10-08', '2026-11-07', 90000);
  addDispute(f, 'F2026-0120', '2026-11-12', { reason: 'deux palettes manquantes', amount: 30000 });
  f.invoices[4]!.description = 'pose de cloisons, chantier Vaise';
  return f;
}
