// One client connection: frames incoming bytes into messages, runs them one at a time in arrival
// order, and writes replies. `moreToCome` messages (endSessions on close, w:0 writes) get no reply
// at all: the driver does not match replies by responseTo, so a stray one would be read as the
// answer to its next command. A malformed or oversized message closes only this connection.
import type { Socket } from 'node:net';
import type { Document } from 'bson';
import {
  encodeOpMsg,
  encodeOpReply,
  HEADER_SIZE,
  type IncomingCommand,
  MAX_MESSAGE_SIZE,
  OpCode,
  ProtocolError,
  parseMessage,
} from './messages.ts';

export type CommandRunner = (command: IncomingCommand) => Promise<Document>;

export class Connection {
  private chunks: Buffer[] = [];
  private buffered = 0;
  private queue: Promise<void> = Promise.resolve();
  private closed = false;

  constructor(
    private readonly socket: Socket,
    private readonly run: CommandRunner,
    private readonly log: (line: string) => void,
  ) {
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => this.receive(chunk));
    socket.on('error', () => this.close());
    socket.on('close', () => {
      this.closed = true;
    });
  }

  close(reason?: string): void {
    if (reason)
      this.log(`closing connection ${this.socket.remoteAddress}:${this.socket.remotePort}: ${reason}`);
    this.closed = true;
    this.socket.destroy();
  }

  private receive(chunk: Buffer): void {
    this.chunks.push(chunk);
    this.buffered += chunk.length;
    while (!this.closed && this.buffered >= 4) {
      const length = this.peekLength();
      if (length < HEADER_SIZE || length > MAX_MESSAGE_SIZE) {
        this.close(`message length ${length} outside [${HEADER_SIZE}, ${MAX_MESSAGE_SIZE}]`);
        return;
      }
      // Only join chunks once the whole message is here: joining on every chunk is quadratic.
      if (this.buffered < length) return;
      const all = this.chunks.length === 1 ? this.chunks[0]! : Buffer.concat(this.chunks, this.buffered);
      const rest = all.subarray(length);
      this.chunks = rest.length > 0 ? [rest] : [];
      this.buffered = rest.length;
      this.enqueue(all.subarray(0, length));
    }
  }

  private peekLength(): number {
    const first = this.chunks[0]!;
    if (first.length >= 4) return first.readInt32LE(0);
    const joined = Buffer.concat(this.chunks, this.buffered);
    this.chunks = [joined];
    return joined.readInt32LE(0);
  }

  private enqueue(message: Buffer): void {
    let command: IncomingCommand;
    try {
      command = parseMessage(message);
    } catch (err) {
      this.close(err instanceof ProtocolError ? err.message : `malformed message: ${String(err)}`);
      return;
    }
    this.queue = this.queue.then(() => this.handle(command));
  }

  private async handle(command: IncomingCommand): Promise<void> {
    if (this.closed) return;
    try {
      const reply = await this.run(command);
      if (command.moreToCome || this.closed) return;
      this.socket.write(this.encode(command, reply));
    } catch (err) {
      // Only a reply that cannot be encoded lands here (e.g. over the BSON size limit).
      const reply = {
        ok: 0,
        errmsg: `reply could not be sent: ${String(err)}`,
        code: 10334,
        codeName: 'BSONObjectTooLarge',
      };
      if (!command.moreToCome && !this.closed) this.socket.write(this.encode(command, reply));
    }
  }

  private encode(command: IncomingCommand, reply: Document): Buffer {
    return command.opCode === OpCode.query
      ? encodeOpReply(command.requestId, reply)
      : encodeOpMsg(command.requestId, reply);
  }
}
