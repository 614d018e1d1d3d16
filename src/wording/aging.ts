import type { DataQualityFinding, FindingKind } from '../core/data-quality.ts';
import {
  type Formatter,
  type Language,
  num,
  sayFrom,
  str,
  type WordingTable,
  type WordParams,
} from './index.ts';

/** The words of data-quality findings (the problems in the source data an aging report shows). */

const money = (p: WordParams, f: Formatter, key: string) => f.money(num(p, key), str(p, 'currency'));
const date = (p: WordParams, f: Formatter, key: string) => f.date(str(p, key));
/** Payments are in their own currency: their amounts read as plain decimals. */
const decimal = (p: WordParams, f: Formatter, key: string) => f.number(num(p, key) / 100, 2);

const FINDING_WORDING: WordingTable<FindingKind> = {
  non_positive_amount: {
    fr: (p, f) => `montant de facture ${money(p, f, 'amount')} ; les avoirs vont dans les paiements`,
    en: (p, f) => `invoice amount is ${money(p, f, 'amount')}; credit notes belong in payments`,
  },
  overpayment: {
    fr: (p, f) =>
      `${money(p, f, 'settled')} réglés sur une facture de ${money(p, f, 'amount')} : ${money(p, f, 'overpaid')} de trop (vérifier l’affectation)`,
    en: (p, f) =>
      `settled ${money(p, f, 'settled')} on an invoice of ${money(p, f, 'amount')}: ${money(p, f, 'overpaid')} too much (check the allocation)`,
  },
  payment_before_invoice: {
    fr: (p, f) =>
      `${p.creditNote ? 'avoir' : 'paiement'} ${str(p, 'payment')} du ${date(p, f, 'date')}, antérieur à la date de facture (${date(p, f, 'issueDate')})`,
    en: (p, f) =>
      `${p.creditNote ? 'credit note' : 'payment'} ${str(p, 'payment')} dated ${date(p, f, 'date')}, before the invoice date ${date(p, f, 'issueDate')}`,
  },
  due_before_issue: {
    fr: (p, f) =>
      `échéance du ${date(p, f, 'dueDate')} antérieure à la date d’émission (${date(p, f, 'issueDate')})`,
    en: (p, f) => `due date ${date(p, f, 'dueDate')} is before the issue date ${date(p, f, 'issueDate')}`,
  },
  terms_beyond_legal_cap: {
    fr: (p, f) =>
      `échéance ${f.days(num(p, 'days'))} après l’émission (${date(p, f, 'dueDate')}) ; le plafond légal permet au plus le ${date(p, f, 'cap')} (${str(p, 'reference')})`,
    en: (p, f) =>
      `due ${f.days(num(p, 'days'))} after issue (${date(p, f, 'dueDate')}); the legal cap allows ${date(p, f, 'cap')} at the latest (${str(p, 'reference')})`,
  },
  terms_mismatch: {
    fr: (p, f) =>
      `l’échéance du ${date(p, f, 'dueDate')} ne suit pas le délai du client (${f.days(num(p, 'termsDays'))}) à partir du ${date(p, f, 'issueDate')}`,
    en: (p, f) =>
      `due date ${date(p, f, 'dueDate')} does not follow the client's ${f.days(num(p, 'termsDays'))} terms from ${date(p, f, 'issueDate')}`,
  },
  delivered_long_before_invoice: {
    fr: (p, f) =>
      `livré le ${date(p, f, 'deliveredDate')}, facturé ${f.days(num(p, 'days'))} plus tard (${date(p, f, 'issueDate')})`,
    en: (p, f) =>
      `delivered ${date(p, f, 'deliveredDate')}, invoiced ${f.days(num(p, 'days'))} later (${date(p, f, 'issueDate')})`,
  },
  dispute_exceeds_invoice: {
    fr: (p, f) =>
      `montant contesté ${money(p, f, 'disputed')} supérieur au montant de la facture ${money(p, f, 'amount')}`,
    en: (p, f) =>
      `disputed amount ${money(p, f, 'disputed')} exceeds the invoice amount ${money(p, f, 'amount')}`,
  },
  promise_unknown_invoice: {
    fr: (p, f) =>
      `promesse de ${money(p, f, 'amount')} pour le ${date(p, f, 'promisedDate')} sur la facture ${str(p, 'invoice')}, inconnue au ${date(p, f, 'asOf')}`,
    en: (p, f) =>
      `promise of ${money(p, f, 'amount')} for ${date(p, f, 'promisedDate')} names invoice ${str(p, 'invoice')}, unknown as of ${date(p, f, 'asOf')}`,
  },
  unallocated_payment: {
    fr: (p, f) =>
      `paiement ${str(p, 'payment')} du ${date(p, f, 'date')} : ${decimal(p, f, 'left')} sur ${decimal(p, f, 'amount')} non affectés à une facture`,
    en: (p, f) =>
      `payment ${str(p, 'payment')} of ${date(p, f, 'date')}: ${decimal(p, f, 'left')} of ${decimal(p, f, 'amount')} is not allocated to any invoice`,
  },
};

/** A data-quality finding as a sentence. */
export const findingText = (finding: Pick<DataQualityFinding, 'kind' | 'params'>, lang: Language): string =>
  sayFrom(FINDING_WORDING, { code: finding.kind, params: finding.params }, lang);

export const AGING_TABLES = { FINDING_WORDING };
