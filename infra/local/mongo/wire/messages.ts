// Wire-protocol framing: the legacy OP_QUERY handshake and OP_MSG, the only two opcodes the
// driver sends us (we never advertise compression, so OP_COMPRESSED does not arrive).
//
//   header: int32 messageLength | int32 requestID | int32 responseTo | int32 opCode
//   OP_MSG: uint32 flagBits | sections… | [uint32 crc32c if checksumPresent]
//     section kind 0: one BSON document (the command body)
//     section kind 1: int32 size | cstring identifier | BSON documents… (e.g. `documents`)
import type { Document } from 'bson';
import { serializeAnySize } from '../bson-size.ts';
import { decodeTyped } from '../storage/typed-values.ts';

export const OpCode = { reply: 1, query: 2004, compressed: 2012, msg: 2013 } as const;
export const MsgFlag = { checksumPresent: 1, moreToCome: 2, exhaustAllowed: 1 << 16 } as const;
export const HEADER_SIZE = 16;
export const MAX_MESSAGE_SIZE = 48_000_000;

export interface IncomingCommand {
  requestId: number;
  opCode: number;
  /** The command document with kind-1 sequences merged in as arrays. */
  body: Document;
  /** For OP_QUERY: the target collection, e.g. `admin.$cmd`. */
  fullCollectionName?: string;
  moreToCome: boolean;
}

export class ProtocolError extends Error {}

export function readDocument(buf: Buffer, offset: number): { doc: Document; end: number } {
  if (offset + 4 > buf.length) throw new ProtocolError('truncated BSON document');
  const size = buf.readInt32LE(offset);
  if (size < 5 || offset + size > buf.length) throw new ProtocolError(`bad BSON document size ${size}`);
  return { doc: decodeTyped(buf.subarray(offset, offset + size)), end: offset + size };
}

function readCString(buf: Buffer, offset: number): { value: string; end: number } {
  const zero = buf.indexOf(0, offset);
  if (zero < 0) throw new ProtocolError('unterminated cstring');
  return { value: buf.toString('utf8', offset, zero), end: zero + 1 };
}

export function parseMessage(msg: Buffer): IncomingCommand {
  const requestId = msg.readInt32LE(4);
  const opCode = msg.readInt32LE(12);
  if (opCode === OpCode.msg) return parseOpMsg(msg, requestId);
  if (opCode === OpCode.query) return parseOpQuery(msg, requestId);
  throw new ProtocolError(`unsupported opCode ${opCode}`);
}

function parseOpMsg(msg: Buffer, requestId: number): IncomingCommand {
  const flags = msg.readUInt32LE(HEADER_SIZE);
  const end = flags & MsgFlag.checksumPresent ? msg.length - 4 : msg.length;
  let offset = HEADER_SIZE + 4;
  let body: Document | undefined;
  const sequences: Array<[string, Document[]]> = [];
  while (offset < end) {
    const kind = msg[offset];
    offset += 1;
    if (kind === 0) {
      const read = readDocument(msg, offset);
      body = read.doc;
      offset = read.end;
    } else if (kind === 1) {
      const size = msg.readInt32LE(offset);
      const sectionEnd = offset + size;
      if (size < 5 || sectionEnd > end) throw new ProtocolError('bad document sequence size');
      const name = readCString(msg, offset + 4);
      const docs: Document[] = [];
      for (let at = name.end; at < sectionEnd; ) {
        const read = readDocument(msg, at);
        docs.push(read.doc);
        at = read.end;
      }
      sequences.push([name.value, docs]);
      offset = sectionEnd;
    } else {
      throw new ProtocolError(`unknown OP_MSG section kind ${kind}`);
    }
  }
  if (!body) throw new ProtocolError('OP_MSG without a body section');
  for (const [name, docs] of sequences) body[name] = docs;
  return { requestId, opCode: OpCode.msg, body, moreToCome: (flags & MsgFlag.moreToCome) !== 0 };
}

function parseOpQuery(msg: Buffer, requestId: number): IncomingCommand {
  const name = readCString(msg, HEADER_SIZE + 4);
  const query = readDocument(msg, name.end + 8).doc;
  // Legacy commands may be wrapped as {$query: {...}, $readPreference: ...}.
  const body = (query.$query as Document | undefined) ?? query;
  return { requestId, opCode: OpCode.query, body, fullCollectionName: name.value, moreToCome: false };
}

let nextRequestId = 1;

function header(length: number, responseTo: number, opCode: number): Buffer {
  const head = Buffer.allocUnsafe(HEADER_SIZE);
  head.writeInt32LE(length, 0);
  head.writeInt32LE(nextRequestId++ & 0x7fffffff, 4);
  head.writeInt32LE(responseTo, 8);
  head.writeInt32LE(opCode, 12);
  return head;
}

export function encodeOpMsg(responseTo: number, doc: Document): Buffer {
  const bson = serializeAnySize(doc);
  const prefix = Buffer.allocUnsafe(5);
  prefix.writeUInt32LE(0, 0);
  prefix[4] = 0;
  const length = HEADER_SIZE + 5 + bson.length;
  return Buffer.concat([header(length, responseTo, OpCode.msg), prefix, bson], length);
}

export function encodeOpReply(responseTo: number, doc: Document): Buffer {
  const bson = serializeAnySize(doc);
  const fields = Buffer.alloc(20); // responseFlags, cursorID (int64), startingFrom, numberReturned
  fields.writeInt32LE(1, 16);
  const length = HEADER_SIZE + 20 + bson.length;
  return Buffer.concat([header(length, responseTo, OpCode.reply), fields, bson], length);
}
