// On-disk state under dbPath: `snapshot-<gen>.bson` (the whole data set as of a compaction) and
// `journal-<gen>.log` (every commit since). Both use the journal's framed, checksummed records.
//
//   start:    load the newest complete snapshot S, replay journal-S, journal-S+1, … in order
//   compact:  open journal-(g+1) and route new commits there; write snapshot-(g+1).tmp from the
//             in-memory state (immutable BSON, so no lock); fsync; rename; delete the older files
//
// A crash at any point leaves either the old snapshot with all journals after it, or the new one.
import { mkdir, open, readdir, readFile, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { Binary, type Document, deserialize } from 'bson';
import { serializeAnySize } from '../bson-size.ts';
import type { Engine } from './engine.ts';
import { frameRecord, Journal, readRecords } from './journal.ts';
import { type StoredDoc, storedBytes } from './stored-doc.ts';

export interface Store {
  durable(): Promise<void>;
  maybeCompact(): Promise<void>;
  compact(): Promise<void>;
  close(): Promise<void>;
}

const COMPACT_MIN_BYTES = 64 * 1024 * 1024;
/**
 * Documents per snapshot record are grouped up to about this many bytes. Each record is serialized
 * in one go on the event loop, so this bounds how long compaction holds up queries (≈ 2–4 ms).
 */
const SNAPSHOT_RECORD_BYTES = 512 * 1024;

type SnapshotRecord = Document | { s: number; ns: string; docs: Array<[string, StoredDoc]> };

/** A captured batch of documents becomes the same write record the journal uses. */
function toRecord(record: SnapshotRecord): Document {
  if (!('docs' in record)) return record;
  const ns = record.ns as string;
  const docs = record.docs as Array<[string, StoredDoc]>;
  return { s: record.s, w: docs.map(([k, stored]) => ({ n: ns, k, d: new Binary(storedBytes(stored)) })) };
}

const fileName = (kind: 'snapshot' | 'journal', gen: number) =>
  `${kind}-${String(gen).padStart(8, '0')}.${kind === 'snapshot' ? 'bson' : 'log'}`;

function generations(files: string[], kind: 'snapshot' | 'journal'): number[] {
  const pattern = kind === 'snapshot' ? /^snapshot-(\d{8})\.bson$/ : /^journal-(\d{8})\.log$/;
  return files
    .map((file) => pattern.exec(file)?.[1])
    .filter((gen): gen is string => gen !== undefined)
    .map(Number)
    .sort((a, b) => a - b);
}

async function loadSnapshot(engine: Engine, path: string): Promise<boolean> {
  const { payloads } = readRecords(await readFile(path));
  const records = payloads.map((payload) => deserialize(payload, { promoteBuffers: false }));
  if (records[records.length - 1]?.end !== true) return false;
  for (const record of records.slice(0, -1)) engine.replay(record);
  return true;
}

/** Replays a journal; returns where its intact records end (the next record's offset). */
async function replayJournal(engine: Engine, path: string, log: (line: string) => void): Promise<number> {
  const data = await readFile(path);
  const { payloads, goodLength } = readRecords(data);
  for (const payload of payloads) engine.replay(deserialize(payload, { promoteBuffers: false }));
  const tail = data.subarray(goodLength);
  // A zero tail is the journal's pre-allocation and is kept; anything else is a torn record. It
  // is zeroed rather than cut off so that the next record overwrites pre-allocated blocks.
  if (tail.some((byte) => byte !== 0)) {
    log(`journal ${path}: discarding ${tail.length} bytes of torn tail at offset ${goodLength}`);
    await zeroFrom(path, goodLength, tail.length);
  }
  return goodLength;
}

async function zeroFrom(path: string, position: number, length: number): Promise<void> {
  const file = await open(path, 'r+');
  try {
    await file.write(Buffer.alloc(length), 0, length, position);
    await file.datasync();
  } finally {
    await file.close();
  }
}

export async function openStore(
  engine: Engine,
  dbPath: string,
  log: (line: string) => void,
  compactBytes = COMPACT_MIN_BYTES,
): Promise<Store> {
  await mkdir(dbPath, { recursive: true });
  const files = await readdir(dbPath);
  let snapshotGen = 0;
  for (const candidate of generations(files, 'snapshot').reverse()) {
    const path = join(dbPath, fileName('snapshot', candidate));
    if (await loadSnapshot(engine, path)) {
      snapshotGen = candidate;
      break;
    }
    // Only a damaged disk produces this (snapshots are renamed into place after fsync).
    log(`snapshot ${path} is incomplete; ignoring it`);
    await rm(path);
  }
  const journals = generations(files, 'journal').filter((g) => g >= snapshotGen);
  let recordsEnd = 0;
  for (const g of journals)
    recordsEnd = await replayJournal(engine, join(dbPath, fileName('journal', g)), log);
  const gen = Math.max(snapshotGen, ...journals);
  await removeOlderThan(dbPath, files, snapshotGen);
  // The last replayed journal is the one appended to (gen is its generation when there is one).
  const last = journals[journals.length - 1];
  const journal = await Journal.open(join(dbPath, fileName('journal', gen)), last === gen ? recordsEnd : 0);
  const store = new FileStore(engine, dbPath, gen, journal, compactBytes);
  log(`loaded ${engine.collections.size} collections from ${dbPath} (generation ${gen})`);
  return store;
}

/** Files the loaded snapshot supersedes, and leftovers of an interrupted compaction. */
async function removeOlderThan(dbPath: string, files: string[], snapshotGen: number): Promise<void> {
  for (const g of generations(files, 'snapshot'))
    if (g < snapshotGen) await rm(join(dbPath, fileName('snapshot', g)), { force: true });
  for (const g of generations(files, 'journal'))
    if (g < snapshotGen) await rm(join(dbPath, fileName('journal', g)), { force: true });
  for (const file of files) if (file.endsWith('.tmp')) await rm(join(dbPath, file), { force: true });
}

class FileStore implements Store {
  private closing: Promise<void> = Promise.resolve();
  private compaction: Promise<void> | undefined;
  private snapshotBytes = 0;

  constructor(
    private readonly engine: Engine,
    private readonly dbPath: string,
    private gen: number,
    private journal: Journal,
    private readonly compactBytes: number,
  ) {
    engine.sink = (record) => this.journal.append(serializeAnySize(record));
  }

  durable(): Promise<void> {
    return Promise.all([this.journal.flush(), this.closing]).then(() => undefined);
  }

  async maybeCompact(): Promise<void> {
    if (this.compaction || this.journal.bytes < Math.max(this.compactBytes, this.snapshotBytes)) return;
    await this.compact();
  }

  compact(): Promise<void> {
    this.compaction ??= this.runCompaction().finally(() => {
      this.compaction = undefined;
    });
    return this.compaction;
  }

  private async runCompaction(): Promise<void> {
    const next = this.gen + 1;
    const nextJournal = await Journal.open(join(this.dbPath, fileName('journal', next)));
    const previous = this.journal;
    // From here on new commits go to the next journal; the state captured below covers the rest.
    this.journal = nextJournal;
    this.closing = previous.close();
    const records = this.captureState();
    // The new journal is in use from now on, even if writing the snapshot fails: a later attempt
    // must not reuse it, and recovery replays every journal after the last complete snapshot.
    this.gen = next;
    await this.closing;
    await this.writeSnapshot(next, records);
    await removeOlderThan(this.dbPath, await readdir(this.dbPath), next);
  }

  /**
   * The state to snapshot, as records whose documents are still the shared stored strings: the
   * capture is quick and copies nothing; the bytes are produced while writing.
   */
  private captureState(): SnapshotRecord[] {
    const seq = this.engine.seq;
    const records: SnapshotRecord[] = [];
    for (const coll of this.engine.collections.values()) {
      records.push({ s: seq, cat: { c: 'createCollection', ns: coll.ns, options: coll.options } });
      for (const index of coll.indexes.values()) {
        records.push({ s: seq, cat: { c: 'createIndex', ns: coll.ns, spec: index.spec } });
      }
      let batch: Array<[string, StoredDoc]> = [];
      let batchBytes = 0;
      for (const entry of coll.docs) {
        batch.push(entry);
        batchBytes += entry[1].length;
        if (batchBytes >= SNAPSHOT_RECORD_BYTES) {
          records.push({ s: seq, ns: coll.ns, docs: batch });
          batch = [];
          batchBytes = 0;
        }
      }
      if (batch.length > 0) records.push({ s: seq, ns: coll.ns, docs: batch });
    }
    records.push({ s: seq, end: true });
    return records;
  }

  private async writeSnapshot(gen: number, records: SnapshotRecord[]): Promise<void> {
    const finalPath = join(this.dbPath, fileName('snapshot', gen));
    const tmpPath = `${finalPath}.tmp`;
    const file = await open(tmpPath, 'w');
    let bytes = 0;
    try {
      for (const record of records) {
        const frame = frameRecord(serializeAnySize(toRecord(record)));
        bytes += frame.length;
        await file.write(frame);
      }
      await file.datasync();
    } finally {
      await file.close();
    }
    await rename(tmpPath, finalPath);
    const dir = await open(this.dbPath, 'r');
    await dir.sync().finally(() => dir.close());
    this.snapshotBytes = bytes;
  }

  async close(): Promise<void> {
    await this.compaction;
    await this.closing;
    await this.journal.close();
    this.engine.sink = undefined;
  }
}
