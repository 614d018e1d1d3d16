import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

/** A local SMTP server that keeps what it receives; `down()` stops listening, `up()` listens again. */
export class LocalSmtp {
  received: { envelope: { from: string; to: string[] }; raw: string }[] = [];
  refuse: string | null = null;
  port = 0;
  private server: SMTPServer | null = null;

  async up(): Promise<void> {
    this.server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      logger: false,
      onRcptTo: (address, _session, done) => {
        if (this.refuse && address.address === this.refuse) {
          const err = new Error('5.1.1 mailbox unknown') as Error & { responseCode: number };
          err.responseCode = 550;
          return done(err);
        }
        done();
      },
      onData: (stream, session, done) => {
        let raw = '';
        stream.on('data', (d: Buffer) => {
          raw += d.toString('utf8');
        });
        stream.on('end', () => {
          this.received.push({
            envelope: {
              from: (session.envelope.mailFrom as { address: string }).address,
              to: session.envelope.rcptTo.map((r) => r.address),
            },
            raw,
          });
          done();
        });
      },
    });
    await new Promise<void>((ready) => this.server!.listen(this.port, '127.0.0.1', () => ready()));
    this.port = (this.server.server.address() as AddressInfo).port;
  }

  async down(): Promise<void> {
    await new Promise<void>((done) => this.server!.close(() => done()));
    this.server = null;
  }

  get url(): string {
    return `smtp://127.0.0.1:${this.port}`;
  }
}
