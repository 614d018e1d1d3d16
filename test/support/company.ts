import type { CompanySettings } from '../../src/core/policy.ts';

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
