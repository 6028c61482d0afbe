// A bare Node HTTP server in its own process answering a fixed small JSON body: the floor any
// server on this machine gets at this moment, so a benchmark can tell its own overhead from the
// machine's (two cores shared with other work inflate tail latency for everyone).
import { spawn } from 'node:child_process';

const SERVER = `
const http = require('node:http');
const body = JSON.stringify({ ok: true, db: 'up', version: '0.0.0' });
const server = http.createServer((req, res) => {
  res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
  res.end(body);
});
server.listen(0, '127.0.0.1', () => console.log(server.address().port));
`;

export async function startBareServer(): Promise<{ url: string; stop(): void }> {
  const child = spawn(process.execPath, ['-e', SERVER], { stdio: ['ignore', 'pipe', 'inherit'] });
  const port = await new Promise<string>((resolve, reject) => {
    child.stdout.once('data', (chunk: Buffer) => resolve(chunk.toString().trim()));
    child.once('exit', (code) => reject(new Error(`bare server exited with ${code}`)));
  });
  return { url: `http://127.0.0.1:${port}/`, stop: () => child.kill() };
}
