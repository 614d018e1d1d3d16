import { describe, expect, it } from 'vitest';
import { frenchPublicHolidays, isBusinessDay, onBusinessDay } from '../src/core/business-days.ts';
import { checkLetter } from '../src/core/content-guard.ts';
import { planClientDunning } from '../src/core/dunning.ts';
import { extractValues, indexFacts } from '../src/core/grounding.ts';
import {
  buildReminderFacts,
  formatDate,
  type ReminderFacts,
  type ReminderRequest,
  SCENARIOS,
  type Scenario,
  writeLetter,
} from '../src/core/letters.ts';
import { formatMoney } from '../src/core/money.ts';
import { DEFAULT_POLICY, type Policy, validIban } from '../src/core/policy.ts';
import type { ClientFacts } from '../src/core/types.ts';
import { COMPANY, latePayer } from './support/letter-fixtures.ts';
import { addInvoice, addPromise, addReminder, clientFacts } from './support/receivables-fixtures.ts';

const policy: Policy = { ...DEFAULT_POLICY, company: COMPANY };
const AS_OF = '2026-11-23';

function factsFor(f: ClientFacts, request: ReminderRequest, p: Policy = policy, asOf = AS_OF): ReminderFacts {
  const built = buildReminderFacts(f, planClientDunning(f, asOf, p), asOf, p, request);
  if (!built.ok) throw new Error(built.reason);
  return built.facts;
}

/** A client for each scenario, with what the scenario needs on file. */
function scenarioFacts(scenario: Scenario, language: 'fr' | 'en'): ReminderFacts {
  const f = latePayer(language);
  const request: ReminderRequest = { scenario };
  if (scenario === 'promise_confirmation')
    addPromise(f, '2026-12-04', 123456, { invoiceRef: 'F2026-0101', madeDate: '2026-11-20' });
  if (scenario === 'broken_promise') addPromise(f, '2026-11-16', 173456, { madeDate: '2026-11-09' });
  if (scenario === 'formal_notice') {
    addReminder(f, '2026-11-05', 'clear', ['F2026-0101']);
    addReminder(f, '2026-11-13', 'firm', ['F2026-0101', 'F2026-0117']);
  }
  if (scenario === 'call_recap')
    request.call = { date: '2026-11-23', notes: 'paiement de F2026-0101 annoncé pour le 30/11/2026' };
  return factsFor(f, request);
}

/** The values a letter states, read back from its text. */
function parse(text: string, facts: ReminderFacts) {
  const values = extractValues(text, indexFacts(facts).refShapes);
  return {
    refs: new Set(values.filter((v) => v.kind === 'ref').map((v) => v.value)),
    dates: new Set(values.filter((v) => v.kind === 'date').map((v) => v.value)),
    amounts: values.filter((v) => v.kind === 'amount').map((v) => `${v.value} ${v.currency ?? '?'}`),
    percents: values.filter((v) => v.kind === 'percent').map((v) => Number(v.value)),
  };
}

describe('business days', () => {
  it('knows the French public holidays, moveable ones included', () => {
    expect(frenchPublicHolidays(2026)).toEqual([
      '2026-01-01',
      '2026-04-06',
      '2026-05-01',
      '2026-05-08',
      '2026-05-14',
      '2026-05-25',
      '2026-07-14',
      '2026-08-15',
      '2026-11-01',
      '2026-11-11',
      '2026-12-25',
    ]);
    expect(isBusinessDay('2026-11-29')).toBe(false); // Sunday
    expect(onBusinessDay('2026-11-28')).toBe('2026-11-30');
    expect(onBusinessDay('2026-12-25')).toBe('2026-12-28');
    expect(onBusinessDay('2026-11-30', ['2026-11-30'])).toBe('2026-12-01');
  });
});

describe('letters: every scenario in both languages carries its mandatory content', () => {
  const cases = SCENARIOS.flatMap((scenario) =>
    (['fr', 'en'] as const).map((language) => ({ scenario, language })),
  );

  it.each(cases)('$scenario ($language)', ({ scenario, language }) => {
    const facts = scenarioFacts(scenario, language);
    const letter = writeLetter(facts);
    const text = `${letter.subject}\n${letter.body}`;
    expect(checkLetter(letter, facts, policy)).toEqual([]);
    const read = parse(text, facts);
    const fr = language === 'fr';

    for (const inv of facts.invoices) expect(read.refs).toContain(inv.ref);
    expect(read.refs).not.toContain('P0');
    if (scenario !== 'dispute_acknowledgement') expect(read.refs).not.toContain('F2026-0120');
    expect(isBusinessDay(facts.deadline)).toBe(true);
    // Signed with the company settings, payable to its own bank details.
    expect(letter.body).toContain(COMPANY.legalName);
    expect(letter.body).toContain('Claire Martin');
    if (scenario !== 'dispute_acknowledgement' && scenario !== 'promise_confirmation') {
      expect(letter.body).toContain(COMPANY.iban);
      expect(letter.body).toContain('https://pay.atelier-martin.fr/F2026-0101');
    }

    const chasing = ['friendly', 'clear', 'firm', 'final_notice', 'formal_notice', 'broken_promise'];
    if (chasing.includes(scenario)) {
      for (const inv of facts.invoices) {
        expect(read.dates).toContain(inv.issueDate);
        expect(read.amounts).toContain(`${inv.openInCurrency} ${inv.currency}`);
      }
      expect(read.amounts).toContain('173456 EUR'); // total of 1 234,56 + 500,00
      expect(read.dates).toContain(facts.deadline);
      expect(text).toContain('pose de cloisons'); // what was delivered
    }
    const penaltyStage = ['firm', 'final_notice', 'formal_notice', 'broken_promise'].includes(scenario);
    expect(read.percents.includes(12.15)).toBe(penaltyStage);
    expect(text.includes('L441-10')).toBe(penaltyStage);
    if (penaltyStage) expect(read.amounts).toContain('4000 EUR');

    if (scenario === 'formal_notice') {
      expect(text).toContain(
        fr
          ? 'Lettre recommandée avec accusé de réception'
          : 'Registered letter with acknowledgement of receipt',
      );
      expect(read.dates).toContain('2026-11-05');
      expect(read.dates).toContain('2026-11-13');
      // 1 234,56 x 12.15% x 21/365 = 8,63; 500,00 x 12.15% x 18/365 = 3,00; + 2 x 40,00.
      expect(facts.claim!.total).toEqual([{ currency: 'EUR', amount: 173456 + 863 + 300 + 8000 }]);
      expect(read.amounts).toContain(`${173456 + 863 + 300 + 8000} EUR`);
      expect(text).toMatch(fr ? /injonction de payer/ : /order for payment/);
    }
    if (scenario === 'dispute_acknowledgement') {
      expect(text).toContain('deux palettes manquantes');
      expect(read.amounts).toContain('30000 EUR'); // the part contested
      expect(read.amounts).toContain('60000 EUR'); // the rest, still due
    }
    if (scenario === 'promise_confirmation') {
      expect(read.dates).toContain('2026-12-04');
      expect(read.amounts).toContain('123456 EUR');
    }
    if (scenario === 'broken_promise') expect(read.dates).toContain('2026-11-16');
    if (scenario === 'call_recap') {
      expect(read.dates).toContain('2026-11-23');
      expect(text).toContain('paiement de F2026-0101 annoncé');
    }
  });

  it('a call recap is never written ahead of the call, nor without notes', () => {
    const f = latePayer();
    const plan = planClientDunning(f, AS_OF, policy);
    const none = buildReminderFacts(f, plan, AS_OF, policy, { scenario: 'call_recap' });
    expect(none).toMatchObject({ ok: false, reason: expect.stringMatching(/call .* first/) });
    const ahead = buildReminderFacts(f, plan, AS_OF, policy, {
      scenario: 'call_recap',
      call: { date: '2026-11-24', notes: 'accord' },
    });
    expect(ahead).toMatchObject({ ok: false, reason: expect.stringMatching(/has not taken place/) });
  });

  it('a GBP invoice is chased in GBP in the English letter', () => {
    const f = clientFacts('UK', { name: 'Thames Fittings Ltd', since: '2023-01-01', language: 'en' });
    addInvoice(f, 'F2026-0300', '2026-10-01', '2026-10-31', 116000);
    Object.assign(f.invoices[0]!, { currency: 'GBP', originalAmount: 100000 });
    const facts = factsFor(f, { scenario: 'clear' });
    const letter = writeLetter(facts);
    expect(letter.body).toContain('GBP 1,000.00');
    expect(letter.body).not.toContain('EUR 1,160.00');
    expect(checkLetter(letter, facts, policy)).toEqual([]);
  });

  it('without company settings the letter is signed by the team and carries no bank details', () => {
    const facts = factsFor(latePayer(), { scenario: 'friendly' }, DEFAULT_POLICY);
    const letter = writeLetter(facts);
    expect(letter.body.split('\n').at(-1)).toBe('Le service comptabilité clients');
    expect(letter.body).not.toMatch(/IBAN|https:/);
    expect(checkLetter(letter, facts, DEFAULT_POLICY)).toEqual([]);
  });

  it('the company IBAN of the settings is valid', () => {
    expect(validIban(COMPANY.iban!)).toBe(true);
    expect(validIban('FR76 3000 6000 0112 3456 7890 188')).toBe(false);
  });
});

describe('content guards: the findings of issue 13', () => {
  const facts = scenarioFacts('firm', 'fr');
  const clean = writeLetter(facts);
  const withLine = (line: string) => ({ ...clean, body: `${clean.body}\n${line}` });
  const kinds = (line: string, f: ReminderFacts = facts) =>
    checkLetter(withLine(line), f, policy).map((x) => [x.kind, x.text]);

  it('blocks a new IBAN, an outside link, an outside e-mail and an unknown phone number', () => {
    expect(kinds('Merci de régler sur notre nouveau compte FR14 2004 1010 0505 0001 3M02 606.')).toEqual([
      ['bank_details', 'FR14 2004 1010 0505 0001 3M02 606'],
    ]);
    expect(kinds('Réglez ici : http://pay-dupont.ru/login')).toEqual([
      ['link', 'http://pay-dupont.ru/login'],
    ]);
    expect(kinds('Répondez à recouvrement@gmail.com')).toEqual([['email_address', 'recouvrement@gmail.com']]);
    expect(kinds('Appelez le 06 12 34 56 78.')).toEqual([['phone_number', '06 12 34 56 78']]);
    expect(kinds('Compte 12345678901 ouvert chez notre partenaire.')).toEqual([
      ['account_number', '12345678901'],
    ]);
    expect(kinds('Payez sur pay-dupont.ru')).toEqual([['link', 'pay-dupont.ru']]);
  });

  it("allows the company's own details and the client's address", () => {
    expect(
      kinds(`Contact : ${COMPANY.phone}, ${COMPANY.email}, l@example.test, SIREN ${COMPANY.siren}.`),
    ).toEqual([]);
    expect(kinds('Paiement : https://pay.atelier-martin.fr/F2026-0117')).toEqual([]);
  });

  it('blocks threats: bailiff seizure tomorrow, frozen accounts, criminal prosecution, blacklisting', () => {
    const found = kinds(
      'Un huissier saisira vos biens et bloquera vos comptes dès demain, et vous serez poursuivi pénalement.',
    ).map(([k]) => k);
    expect(found.filter((k) => k === 'legal_threat').length).toBeGreaterThanOrEqual(3);
    expect(kinds('We will report you to credit reference agencies.').map(([k]) => k)).toContain(
      'legal_threat',
    );
    expect(kinds('Vous serez inscrit sur une liste noire.').map(([k]) => k)).toContain('legal_threat');
  });

  it('flags the repealed article L441-6 and other references than the policy’s', () => {
    expect(kinds("Conformément à l'article L441-6 du Code de commerce.")).toEqual([
      ['legal_reference', 'article L441-6'],
    ]);
    expect(kinds('Article L. 441-10 et D441-5 du Code de commerce.')).toEqual([]);
  });

  it('flags a wrong rate and a wrong indemnity amount', () => {
    expect(kinds('Pénalités de retard au taux annuel de 15 %.')).toEqual([
      ['percent', '15 %'],
      ['penalty_rate', '15 %'],
    ]);
    expect(kinds('Indemnité forfaitaire de recouvrement : 100,00 EUR.').map(([k]) => k)).toContain(
      'indemnity',
    );
  });

  it('no false positive on the correct legal line added to a friendly letter', () => {
    const friendly = scenarioFacts('friendly', 'fr');
    const letter = writeLetter(friendly);
    const body = `${letter.body}\nPour rappel, pénalités de retard au taux annuel de 12,15 % et indemnité forfaitaire de 40,00 EUR par facture (article L441-10 du Code de commerce).`;
    expect(checkLetter({ ...letter, body }, friendly, policy)).toEqual([]);
  });

  it('a formal notice without total, deadline, rate, indemnity or registered mention is blocked', () => {
    const notice = scenarioFacts('formal_notice', 'fr');
    const found = checkLetter(
      {
        subject: 'Mise en demeure',
        body: 'Madame, Monsieur,\nVeuillez payer les factures F2026-0101 et F2026-0117.\nAtelier Martin SAS',
      },
      notice,
      policy,
    ).map((x) => x.kind);
    for (const k of [
      'invoice_date',
      'invoice_amount',
      'total',
      'deadline',
      'penalty_rate',
      'indemnity',
      'legal_basis',
      'registered_letter',
      'previous_reminder',
      'sum_claimed',
      'next_legal_step',
    ])
      expect(found).toContain(k);
  });

  it('findings name the rule and quote the passage', () => {
    const [f] = checkLetter(withLine('Voir http://evil.example.ru/x'), facts, policy);
    expect(f).toMatchObject({ check: 'contact', kind: 'link', text: 'http://evil.example.ru/x' });
    expect(f!.message).toContain('"http://evil.example.ru/x"');
  });
});

describe('chronic late payer at D+21', () => {
  it('gets a penalty-stage letter naming every overdue invoice but the disputed one, deadline on a business day', () => {
    const f = latePayer();
    const asOf = '2026-11-23'; // F2026-0101 due 2026-11-02: 21 days overdue
    const plan = planClientDunning(f, asOf, policy)!;
    expect(plan.behaviour.class).toBe('late');
    expect(plan.nextAction!.stage).toBe('firm');
    const facts = factsFor(f, {}, policy, asOf);
    const letter = writeLetter(facts);
    const read = parse(`${letter.subject}\n${letter.body}`, facts);
    expect([...read.refs].sort()).toEqual(['F2026-0101', 'F2026-0117']);
    expect(read.percents).toContain(12.15);
    expect(letter.body).toContain('40,00 EUR par facture');
    expect(letter.body).toContain('L441-10');
    expect(letter.body).toContain(COMPANY.legalName);
    expect(isBusinessDay(facts.deadline)).toBe(true);
    expect(facts.deadline).toBe('2026-11-30'); // 5 days = Saturday 28th, moved to Monday
    expect(letter.body).toContain(formatDate('2026-11-30', 'fr'));
    expect(letter.body).toContain(formatMoney(173456, 'EUR', 'fr'));
    expect(checkLetter(letter, facts, policy)).toEqual([]);
  });
});
