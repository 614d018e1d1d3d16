import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type EmbeddedServer, startEmbeddedServer } from '../src/db/embedded-server.ts';
import { lockHolder, tryLockDir } from '../src/db/lock.ts';

/**
 * The embedded database server, in this process, with postgres.js clients on its socket: what the
 * processes sharing one data directory rely on. Each client stands for another process.
 */
const root = mkdtempSync(join(tmpdir(), 'encours-embedded-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

let server: EmbeddedServer;
const clients: postgres.Sql[] = [];
const client = () => {
  const sql = postgres({ path: server.socketPath, max: 1, prepare: false, onnotice: () => {} });
  clients.push(sql);
  return sql;
};

beforeAll(async () => {
  const started = await startEmbeddedServer(join(root, 'shared'), { idleMs: 600_000, log: () => {} });
  if ('heldBy' in started) throw new Error(`held by ${started.heldBy}`);
  server = started;
  await client()`create table t (id int primary key, v int not null, note text)`;
});

afterAll(async () => {
  await Promise.all(clients.map((c) => c.end({ timeout: 5 })));
  await server?.stop();
});

describe('embedded database server', () => {
  it('holds the lock of its directory', () => {
    expect(lockHolder(join(root, 'shared'))).toBe(process.pid);
    expect(tryLockDir(join(root, 'shared'))).toEqual({ heldBy: process.pid, server: true });
  });

  it('runs two clients’ statements without mixing their unnamed statements and portals', async () => {
    const [a, b] = [client(), client()];
    const wrong: string[] = [];
    const run = async (sql: postgres.Sql, tag: string) => {
      for (let i = 0; i < 150; i++) {
        // Different statement shapes: a Bind landing on the other client's Parse would fail or mislead.
        const [row] =
          tag === 'a'
            ? await sql`select ${`${tag}${i}`}::text as v, ${i}::int as n`
            : await sql`select ${i}::int as n, ${`${tag}${i}`}::text as v, now() as at`;
        if (row?.v !== `${tag}${i}` || row?.n !== i) wrong.push(`${tag}${i}: ${JSON.stringify(row)}`);
      }
    };
    await Promise.all([run(a, 'a'), run(b, 'b')]);
    expect(wrong).toEqual([]);
  });

  it('never runs a statement of one client inside another client’s transaction', async () => {
    const [a, b] = [client(), client()];
    let release!: () => void;
    const held = new Promise<void>((r) => {
      release = r;
    });
    let inserted!: () => void;
    const insertedP = new Promise<void>((r) => {
      inserted = r;
    });
    const tx = a
      .begin(async (sql) => {
        await sql`insert into t (id, v) values (1, 1)`;
        inserted();
        await held;
        throw new Error('roll back');
      })
      .catch((e: Error) => e.message);
    await insertedP;
    let counted: number | undefined;
    const count = b`select count(*)::int as n from t`.then(([r]) => {
      counted = r!.n as number;
    });
    await new Promise((r) => setTimeout(r, 300));
    // b waits for the session: it neither sees the uncommitted row nor runs inside a's transaction.
    expect(counted).toBeUndefined();
    release();
    expect(await tx).toBe('roll back');
    await count;
    expect(counted).toBe(0);
  });

  it('keeps read-modify-write transactions of several clients serial', async () => {
    const sqls = [client(), client(), client()];
    await sqls[0]!`insert into t (id, v) values (2, 0)`;
    await Promise.all(
      sqls.map(async (sql) => {
        for (let i = 0; i < 20; i++)
          await sql.begin(async (tx) => {
            const [row] = await tx`select v from t where id = 2`;
            await tx`update t set v = ${(row!.v as number) + 1} where id = 2`;
          });
      }),
    );
    const [row] = await sqls[0]!`select v from t where id = 2`;
    expect(row!.v).toBe(60);
  });

  it('rolls back what a client left open when it vanishes, and lets the others in', async () => {
    const gone = postgres({ path: server.socketPath, max: 1, prepare: false, onnotice: () => {} });
    const other = client();
    let inserted!: () => void;
    const insertedP = new Promise<void>((r) => {
      inserted = r;
    });
    const tx = gone
      .begin(async (sql) => {
        await sql`insert into t (id, v) values (3, 3)`;
        inserted();
        await new Promise(() => {}); // never commits
      })
      .catch((e: Error) => e);
    await insertedP;
    const after = other`select count(*)::int as n from t where id = 3`;
    await gone.end({ timeout: 0 }); // destroys the connection mid-transaction
    expect(await tx).toBeInstanceOf(Error);
    expect((await after)[0]!.n).toBe(0);
    await other`insert into t (id, v) values (3, 30)`;
    expect((await other`select v from t where id = 3`)[0]!.v).toBe(30);
  });

  it('keeps serving the others when one client ends its session (Terminate)', async () => {
    const [leaving, staying] = [
      postgres({ path: server.socketPath, max: 1, prepare: false, onnotice: () => {} }),
      client(),
    ];
    await leaving`select 1`;
    await leaving.end();
    expect((await staying`select 41 + 1 as n`)[0]!.n).toBe(42);
  });

  it('loads COPY FROM STDIN, inside a transaction too; bad data loads nothing and frees the session', async () => {
    const sql = client();
    await pipeline(
      Readable.from(['10\t1\tfirst\n', '11\t2\tsecond, with a comma\n']),
      await sql`copy t (id, v, note) from stdin`.writable(),
    );
    await sql.begin(async (tx) => {
      await pipeline(
        Readable.from(['12,3,csv\n']),
        await tx`copy t (id, v, note) from stdin with (format csv)`.writable(),
      );
    });
    expect(await sql`select id, v, note from t where id >= 10 order by id`).toEqual([
      { id: 10, v: 1, note: 'first' },
      { id: 11, v: 2, note: 'second, with a comma' },
      { id: 12, v: 3, note: 'csv' },
    ]);
    // A COPY whose data fails: nothing is loaded and the session is released. (postgres.js never
    // settles a COPY that fails after its last row, with PostgreSQL too, so the writer is dropped.)
    const writer = postgres({ path: server.socketPath, max: 1, prepare: false, onnotice: () => {} });
    const stream = await writer`copy t (id, v) from stdin`.writable();
    stream.end('13\tnot a number\n');
    expect((await sql`select count(*)::int as n from t where id = 13`)[0]!.n).toBe(0);
    await writer.end({ timeout: 0 });
  });
});
