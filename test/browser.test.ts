import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serve } from '@hono/node-server';
import { isNull } from 'drizzle-orm';
import { simpleParser } from 'mailparser';
import { type BrowserContext, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../src/db/open.ts';
import * as t from '../src/db/schema.ts';
import { createApp } from '../src/http/app.ts';
import { originPolicy } from '../src/http/origin.ts';
import { smtpMailer } from '../src/mail/mailer.ts';
import type { ServiceContext } from '../src/services/context.ts';
import { runDemo } from '../src/services/demo/index.ts';
import { setPassword } from '../src/services/passwords.ts';
import { draftReminders } from '../src/services/reminders.ts';
import { evaluateTermsRequest, requestTermsApproval } from '../src/services/terms.ts';
import { addUser } from '../src/services/users.ts';
import { asUser, TEST_ADMIN, testContext, testRuntime } from './support/context.ts';
import { freshDatabase } from './support/databases.ts';
import { LocalSmtp } from './support/smtp.ts';

/**
 * The finance pages in a real browser: Debian's chromium driven by playwright-core (never a
 * downloaded browser). `.ci/run` installs chromium when missing; elsewhere the suite is skipped with
 * a note when /usr/bin/chromium is absent. Screenshots go to test-artifacts/ (gitignored).
 */
const CHROMIUM = '/usr/bin/chromium';
const ARTIFACTS = join(import.meta.dirname, '..', 'test-artifacts');
const present = existsSync(CHROMIUM);
if (!present && process.env.CI) throw new Error(`${CHROMIUM} is missing: .ci/run installs it with apt-get`);
if (!present)
  process.stderr.write(`browser tests skipped: ${CHROMIUM} not installed (apt-get install chromium)\n`);

const PASSWORD = 'correct horse battery staple';
const XSS = '<script>alert(1)</script>';

describe.runIf(present)('finance pages in chromium', { timeout: 240_000 }, () => {
  let database: Database;
  let services: ServiceContext;
  let smtp: LocalSmtp;
  let server: ReturnType<typeof serve>;
  let base: string;
  let browser: BrowserContext;
  let page: Page;
  let profile: string;
  const dialogs: string[] = [];

  beforeAll(async () => {
    database = await freshDatabase('pglite');
    smtp = new LocalSmtp();
    await smtp.up();
    services = testContext(database, {
      env: { SMTP_URL: smtp.url, ENCOURS_MAIL_FROM: 'Acme Compta <compta@acme.example>' },
    });
    const demoDir = mkdtempSync(join(tmpdir(), 'encours-browser-demo-'));
    await runDemo(services, { clients: 40, seed: 7, asOf: '2026-11-23', out: demoDir, actor: TEST_ADMIN });
    rmSync(demoDir, { recursive: true, force: true });
    // A client whose name is an attack: it must show as text everywhere.
    const [evil] = await database.db
      .insert(t.clients)
      .values({ ref: 'XSS1', name: XSS, email: 'ap@evil.example', since: '2024-01-01' })
      .returning();
    await database.db.insert(t.invoices).values({
      ref: 'FX-1',
      clientId: evil!.id,
      issueDate: '2026-08-01',
      dueDate: '2026-09-01',
      amount: 123_456,
      currency: 'EUR',
      baseAmount: 123_456,
      description: `<img src=x onerror="alert(2)">`,
    });
    await database.db.update(t.clients).set({ email: 'ap@client.example' }).where(isNull(t.clients.email));
    for (const [name, role] of [
      ['fiona', 'finance'],
      ['sam', 'sales'],
    ] as const) {
      await addUser(services, { name, role, email: `${name}@acme.example` }, TEST_ADMIN);
      await setPassword(services, name, PASSWORD, TEST_ADMIN);
    }
    await draftReminders(services, { actor: asUser('sam') });
    const request = await evaluateTermsRequest(services, {
      client: 'XSS1',
      days: 45,
      amount: 500_000,
      actor: asUser('sam'),
    });
    await requestTermsApproval(services, request.id, asUser('sam'), 'new order');

    const app = createApp({
      runtime: await testRuntime(services, smtpMailer(smtp.url)),
      origins: originPolicy(undefined),
    });
    server = await new Promise((ready) => {
      const s = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () => ready(s));
    });
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    mkdirSync(ARTIFACTS, { recursive: true });
    profile = mkdtempSync(join(tmpdir(), 'encours-chromium-'));
    browser = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
      viewport: { width: 1360, height: 900 },
      locale: 'fr-FR',
      timeout: 120_000,
    });
    page = browser.pages()[0] ?? (await browser.newPage());
    page.setDefaultTimeout(60_000);
    page.on('dialog', (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
  }, 300_000);
  afterAll(async () => {
    await browser?.close();
    await new Promise((done) => server?.close(done));
    await smtp?.down();
    await database?.close();
    if (profile) rmSync(profile, { recursive: true, force: true });
  });

  const shot = (name: string) => page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: true });
  // Page-side code is given as text: the test's TypeScript has no DOM types.
  const chartsDrawn = () =>
    page.waitForFunction("window.Chart && window.Chart.getChart(document.querySelector('canvas'))");

  it('signs in and shows the dashboard with its charts', async () => {
    await page.goto(`${base}/`);
    expect(page.url()).toContain('/login');
    await page.fill('#name', 'fiona');
    await page.fill('#password', 'wrong password!');
    await page.click('button[type=submit]');
    await expect(page.locator('.flash.error').textContent()).resolves.toMatch(/incorrect/);
    await page.fill('#password', PASSWORD);
    await page.click('button[type=submit]');
    await page.waitForURL(`${base}/`);
    expect(await page.locator('h1').textContent()).toBe('Tableau de bord du portefeuille');
    await chartsDrawn();
    expect(await page.locator('.tile').count()).toBeGreaterThanOrEqual(6);
    await shot('dashboard');
  });

  it("shows a client's file: score factors, invoices, plan", async () => {
    await page.click('#top tbody tr:first-child a');
    await page.waitForURL(/\/clients\//);
    await chartsDrawn();
    expect(await page.locator('#score .grade').textContent()).toMatch(/^[A-E]$/);
    expect(await page.locator('#open tbody tr').count()).toBeGreaterThan(0);
    await shot('client');
  });

  it('edits a draft: an IBAN typed in raises a finding inline; fixed, approved and sent once', async () => {
    await page.goto(`${base}/reminders`);
    expect(await page.locator('h1').textContent()).toBe('File de revue des relances');
    await shot('review-queue');
    await page.click('tr:not(.row-blocked) a.button');
    await page.waitForURL(/\/reminders\/rem_/);
    await shot('review-draft');
    const original = await page.inputValue('#body');
    await page.fill('#body', `${original}\nNouveau RIB : IBAN FR76 3000 6000 0112 3456 7890 189`);
    const finding = page.locator('#findings .finding', { hasText: 'FR76 3000' });
    await finding.waitFor();
    expect(await finding.textContent()).toMatch(/bank/);
    expect(await page.locator('#approve').isDisabled()).toBe(true);
    await page.fill('#body', original);
    await page.locator('#findings .ok-text').waitFor();
    await page.click('#edit-form button[type=submit]');
    await page.locator('.flash.ok').waitFor();
    smtp.received = [];
    await page.click('#approve');
    await page.locator('.flash.ok', { hasText: 'envoyée' }).waitFor();
    expect(await page.locator('h1 .pill').textContent()).toBe('envoyée');
    expect(smtp.received).toHaveLength(1);
    const mail = await simpleParser(smtp.received[0]!.raw);
    expect(mail.text?.trim()).toBe(original.trim());
    expect(await page.locator('.facts').textContent()).toContain(mail.messageId!);
  });

  it('decides a terms request within its rights; the requester could not', async () => {
    await page.goto(`${base}/terms`);
    const card = page.locator('.requests').first().locator('article').first();
    await card.locator('input[name=reason]').fill('commande validée avec le commercial');
    await card.locator('button[value=approve]').click();
    await page.locator('.flash.ok').waitFor();
    expect(await page.locator('.flash.ok').textContent()).toBe('Décision enregistrée.');
    expect(await page.locator('.notice', { hasText: 'fiona' }).count()).toBeGreaterThan(0);
  });

  it('shows a client named like a script as text, and runs nothing', async () => {
    await page.goto(`${base}/clients?q=script`);
    expect(await page.locator('tbody td a').first().textContent()).toBe(XSS);
    await page.goto(`${base}/clients/XSS1`);
    expect(await page.locator('h1').textContent()).toBe(XSS);
    await page.goto(`${base}/terms`);
    expect(await page.locator('article h3 a', { hasText: 'script' }).first().textContent()).toBe(XSS);
    expect(dialogs).toEqual([]);
  });

  it('switches to English and fits a phone screen', async () => {
    await page.goto(`${base}/`);
    await page.click('button[name=lang]');
    await page.waitForURL(`${base}/`);
    expect(await page.locator('h1').textContent()).toBe('Portfolio dashboard');
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto(`${base}/reminders`);
    const overflow = (await page.evaluate(
      'document.documentElement.scrollWidth - window.innerWidth',
    )) as number;
    expect(overflow).toBeLessThanOrEqual(1);
    await shot('review-queue-phone');
    await page.setViewportSize({ width: 1360, height: 900 });
    await page.click('button[name=lang]');
  });
});
