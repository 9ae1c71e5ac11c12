/**
 * Temporary files written by a worker thread with plain synchronous calls (README "export"): an
 * export of 100,000 documents makes 400,000 file-system calls (read or create, write, close), and
 * through the main thread each one costs a thread-pool round trip that competes with reading the
 * tenant. The worker compares a present file (unless the caller did, from the text it read),
 * writes the new bytes to a temporary file beside the target (never flushed: the stage flushes them
 * all at once before any rename, staged-writes.ts) and answers with the temporary file's path.
 */
import { Worker } from "node:worker_threads";
import type { WriteOutcome } from "./staged-writes.js";

/** Plain JavaScript run by the worker (an eval'd script, so it works from sources and from the build). */
const SOURCE = String.raw`
const { parentPort } = require("node:worker_threads");
const fs = require("node:fs");
const path = require("node:path");
let counter = Math.floor(Math.random() * 0x100000000);
function tempFor(target) {
  counter = (counter + 1) >>> 0;
  return path.join(path.dirname(target), "." + path.basename(target) + ".entra-gitops-" + process.pid + "-" + counter.toString(16) + ".tmp");
}
function write(job) {
  let existing;
  if (job.present && !job.differs) {
    try { existing = fs.readFileSync(job.target, "utf8"); } catch (e) { if (e.code !== "ENOENT") throw e; }
    if (existing === job.content) return { id: job.id, outcome: "unchanged" };
  }
  const bytes = Buffer.from(job.content, "utf8");
  let temp;
  let fd;
  for (let attempt = 1; ; attempt++) {
    temp = tempFor(job.target);
    try { fd = fs.openSync(temp, "wx", 0o644); break; } catch (e) { if (e.code !== "EEXIST" || attempt >= 5) throw e; }
  }
  try {
    for (let offset = 0; offset < bytes.length; ) offset += fs.writeSync(fd, bytes, offset, bytes.length - offset);
  } catch (e) {
    fs.closeSync(fd);
    fs.rmSync(temp, { force: true });
    throw e;
  }
  fs.closeSync(fd);
  return { id: job.id, outcome: existing === undefined && !job.differs ? "created" : "updated", temp };
}
parentPort.on("message", (jobs) => {
  parentPort.postMessage(jobs.map((job) => {
    try { return write(job); } catch (e) { return { id: job.id, error: { message: String((e && e.message) || e), code: e && e.code } }; }
  }));
});
`;

interface Job {
  id: number;
  target: string;
  content: string;
  present: boolean;
  /** The caller compared the present file already: it differs (it is not read again). */
  differs: boolean;
}

interface Answer {
  id: number;
  outcome?: WriteOutcome;
  temp?: string;
  error?: { message: string; code?: string };
}

/** Jobs per message: small enough for steady answers, large enough to keep messages few. */
const BATCH = 256;

export class TempFileWorker {
  private worker: Worker | undefined;
  private readonly waiting = new Map<number, { resolve: (answer: { outcome: WriteOutcome; temp?: string }) => void; reject: (error: Error) => void }>();
  private batch: Job[] = [];
  private nextId = 0;
  private scheduled = false;

  /** The file's outcome and, unless unchanged, the temporary file holding the new bytes. */
  write(target: string, content: string, present: boolean, differs = false): Promise<{ outcome: WriteOutcome; temp?: string }> {
    const id = this.nextId++;
    this.batch.push({ id, target, content, present, differs });
    if (this.batch.length >= BATCH) this.send();
    else if (!this.scheduled) {
      this.scheduled = true;
      setImmediate(() => this.send());
    }
    return new Promise((resolve, reject) => this.waiting.set(id, { resolve, reject }));
  }

  /** Stops the worker (after the answers awaited so far). */
  async close(): Promise<void> {
    const worker = this.worker;
    this.worker = undefined;
    if (worker) await worker.terminate();
  }

  private send(): void {
    this.scheduled = false;
    if (this.batch.length === 0) return;
    const jobs = this.batch;
    this.batch = [];
    const worker = this.worker ?? this.start();
    worker.ref(); // answers are awaited: the process must not end meanwhile
    worker.postMessage(jobs);
  }

  private start(): Worker {
    const worker = new Worker(SOURCE, { eval: true });
    worker.on("message", (answers: Answer[]) => {
      for (const answer of answers) {
        const waiter = this.waiting.get(answer.id);
        if (!waiter) continue;
        this.waiting.delete(answer.id);
        if (answer.error) waiter.reject(Object.assign(new Error(answer.error.message), answer.error.code ? { code: answer.error.code } : {}));
        else waiter.resolve({ outcome: answer.outcome ?? "unchanged", ...(answer.temp !== undefined ? { temp: answer.temp } : {}) });
      }
      if (this.waiting.size === 0) worker.unref();
    });
    const failAll = (error: Error): void => {
      for (const waiter of this.waiting.values()) waiter.reject(error);
      this.waiting.clear();
      if (this.worker === worker) this.worker = undefined;
    };
    worker.on("error", failAll);
    worker.on("exit", (code) => failAll(new Error(`the file-writing worker stopped (exit code ${code})`)));
    this.worker = worker;
    return worker;
  }
}
