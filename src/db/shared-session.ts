import type { PGlite } from '@electric-sql/pglite';
import {
  body,
  commandComplete,
  concat,
  copyInResponse,
  cString,
  cStringAt,
  errorResponse,
  Frontend,
  int32,
  message,
  messageType,
  readyStatus,
  STARTUP,
  SYNC,
} from './wire.ts';

/**
 * Shares PGlite's single database session between the connections of the embedded database server.
 *
 * A connection holds the session from its first message until the backend is idle again
 * (ReadyForQuery with status "I"): through a whole transaction, and through a whole extended-protocol
 * cycle (Parse, Bind, Execute... Sync). Messages of other connections wait their turn, so statements
 * of one process never run inside another's transaction or between another's Bind and Execute.
 * (pglite-socket's own queue switches connections after any message outside an explicit transaction,
 * which lets two clients' unnamed statements and portals overwrite each other; this class replaces it
 * through the `queryQueue` option of pglite-socket's connection handler, whose three methods it has.)
 *
 * `COPY ... FROM STDIN`, which makes PGlite's WebAssembly instance exit when sent over the wire, is
 * run as a COPY from PGlite's in-memory blob device with the data the client streamed.
 */
export class SharedSession {
  /** The connection that holds the session, if any. */
  #owner: number | null = null;
  /** Messages waiting, per connection, in arrival order. */
  readonly #pending = new Map<number, Job[]>();
  /** Connections with messages waiting, in the order they started waiting. */
  #ready: number[] = [];
  /** Connections that went away while one of their messages was running. */
  readonly #abandoned = new Set<number>();
  /** The COPY FROM STDIN the owner is streaming, if any. */
  #copy: { sql: string; chunks: Uint8Array[] } | null = null;
  #running = false;
  #idleWaiters: (() => void)[] = [];

  constructor(
    private readonly db: PGlite,
    /** Called when PGlite itself fails (its WebAssembly instance exited): the server must stop. */
    private readonly onFatal: (error: unknown) => void,
  ) {}

  /** Queues one frontend message of a connection; resolves once its response has been handed over. */
  enqueue(handlerId: number, message: Uint8Array, onData: (data: Uint8Array) => void): Promise<number> {
    return new Promise((resolve, reject) => {
      const queue = this.#pending.get(handlerId) ?? [];
      this.#pending.set(handlerId, queue);
      if (!queue.length && handlerId !== this.#owner) this.#ready.push(handlerId);
      queue.push({ message, onData, resolve, reject });
      void this.#pump();
    });
  }

  /** A connection went away: its waiting messages will never run. */
  clearQueueForHandler(handlerId: number): void {
    for (const job of this.#pending.get(handlerId) ?? []) job.reject(new Error('connection closed'));
    this.#pending.delete(handlerId);
    this.#ready = this.#ready.filter((id) => id !== handlerId);
  }

  /** A connection went away, perhaps holding the session: end what it left open, let the others in. */
  async clearTransactionIfNeeded(handlerId: number): Promise<void> {
    if (this.#owner !== handlerId) return;
    this.#abandoned.add(handlerId);
    await this.#pump();
  }

  /** True when no connection holds the session and nothing waits. */
  get idle(): boolean {
    return this.#owner === null && this.#ready.length === 0 && !this.#running;
  }

  /** Resolves once the session is idle (before the database closes). */
  whenIdle(): Promise<void> {
    return this.idle ? Promise.resolve() : new Promise((resolve) => this.#idleWaiters.push(resolve));
  }

  async #pump(): Promise<void> {
    if (this.#running) return;
    this.#running = true;
    try {
      for (;;) {
        if (this.#owner !== null && this.#abandoned.delete(this.#owner)) {
          await this.#reset();
          this.#owner = null;
        }
        const held = this.#owner;
        const id = held ?? this.#ready.shift();
        if (id === undefined) break;
        const queue = this.#pending.get(id);
        const job = queue?.shift();
        if (!job) {
          if (id === held) break; // the holder has sent nothing more yet: the session stays its own
          continue;
        }
        if (!queue!.length) this.#pending.delete(id);
        this.#owner = id;
        if (await this.#run(job, held === id)) {
          this.#owner = null;
          this.#abandoned.delete(id);
          if (this.#pending.has(id)) this.#ready.push(id);
        }
      }
    } finally {
      this.#running = false;
    }
    if (this.idle) for (const resolve of this.#idleWaiters.splice(0)) resolve();
  }

  /** Runs one message; true when the backend is idle after it, so the connection lets go. */
  async #run(job: Job, held: boolean): Promise<boolean> {
    const type = messageType(job.message);
    if (type === Frontend.terminate) {
      // The client leaves. PGlite's one session stays open for the others; undo what it left open.
      if (held) await this.#reset();
      job.resolve(0);
      return true;
    }
    if (this.#copy || (type === Frontend.query && copyFromStdin(cStringAt(body(job.message)))))
      return this.#runCopy(job, type);
    const tail = new Uint8Array(6);
    let size = 0;
    try {
      await this.db.runExclusive(() =>
        this.db.execProtocolRawStream(job.message, {
          onRawData: (data) => {
            size += data.length;
            keepTail(tail, data);
            job.onData(data);
          },
        }),
      );
      job.resolve(size);
    } catch (e) {
      job.reject(e as Error);
      if (isExit(e)) this.onFatal(e);
      return false; // the connection fails and detaches; clearTransactionIfNeeded cleans up
    }
    return CYCLE_ENDS.has(type) && readyStatus(tail) === IDLE;
  }

  /** The steps of a COPY FROM STDIN: the Query starts it, CopyData accumulates, CopyDone runs it. */
  async #runCopy(job: Job, type: number): Promise<boolean> {
    if (!this.#copy) {
      const sql = copyFromStdin(cStringAt(body(job.message)))!;
      this.#copy = { sql, chunks: [] };
      job.onData(copyInResponse());
      job.resolve(0);
      return false;
    }
    if (type === Frontend.copyData) {
      this.#copy.chunks.push(body(job.message).slice());
      job.resolve(0);
      return false;
    }
    const { sql, chunks } = this.#copy;
    this.#copy = null;
    let reply: Uint8Array;
    if (type === Frontend.copyDone) {
      try {
        const r = await this.db.query(sql, [], { blob: new Blob(chunks) });
        reply = commandComplete(`COPY ${r.affectedRows ?? 0}`);
      } catch (e) {
        if (isExit(e)) this.onFatal(e);
        reply = errorResponse(e as Error & { code?: string });
      }
    } else {
      const reason = type === Frontend.copyFail ? cStringAt(body(job.message)) : 'unexpected message';
      reply = errorResponse({ code: '57014', message: `COPY from stdin failed: ${reason}` });
    }
    // A Sync gives the ReadyForQuery that says where the session stands (in a transaction or not).
    const ready = await this.db.runExclusive(() => this.db.execProtocolRaw(SYNC));
    const response = concat(reply, ready);
    job.onData(response);
    job.resolve(response.length);
    return readyStatus(ready) === IDLE;
  }

  /**
   * Leaves the backend idle after a client that left mid-cycle or mid-transaction: an Execute of a
   * portal that does not exist fails the cycle (so the Sync rolls back what it had started instead of
   * committing it), then a ROLLBACK ends any explicit transaction.
   */
  async #reset(): Promise<void> {
    this.#copy = null;
    try {
      await this.db.runExclusive(async () => {
        await this.db.execProtocolRaw(concat(message('E', cString('encours_abandoned'), int32(0)), SYNC));
        if (this.db.isInTransaction()) await this.db.execProtocolRaw(message('Q', cString('ROLLBACK')));
      });
    } catch (e) {
      if (isExit(e)) this.onFatal(e);
    }
  }
}

interface Job {
  message: Uint8Array;
  onData: (data: Uint8Array) => void;
  resolve: (size: number) => void;
  reject: (error: Error) => void;
}

const IDLE = 0x49; // 'I'
/** Frontend messages whose response ends with ReadyForQuery. */
const CYCLE_ENDS = new Set<number>([Frontend.query, Frontend.sync, STARTUP]);

/** `COPY t (a, b) FROM STDIN ...` as the same COPY from PGlite's blob device, else null. */
function copyFromStdin(sql: string): string | null {
  const m = /^(\s*copy\s[\s\S]*?\sfrom\s+)stdin\b([\s\S]*)$/i.exec(sql);
  return m ? `${m[1]}'/dev/blob'${m[2]}` : null;
}

/** Keeps the last bytes seen across response chunks (a ReadyForQuery message is six bytes). */
function keepTail(tail: Uint8Array, data: Uint8Array): void {
  if (data.length >= tail.length) {
    tail.set(data.subarray(data.length - tail.length));
    return;
  }
  tail.copyWithin(0, data.length);
  tail.set(data, tail.length - data.length);
}

const isExit = (e: unknown): boolean => (e as { name?: string } | null)?.name === 'ExitStatus';
