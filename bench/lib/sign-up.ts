// Accounts for benchmarks that need many. Sign-ups are limited per source address (10 an hour), so
// accounts sign up in groups of eight from loopback addresses of their own (127.1.0.2, 127.1.0.3, …;
// all of 127/8 is loopback on Linux).
import { request } from 'node:http';

export const BENCH_PASSWORD = 'correct horse battery staple 42';
const PER_ADDRESS = 8;
let made = 0;

function loopbackAddress(group: number): string {
  return `127.${1 + Math.floor(group / 250)}.0.${2 + (group % 250)}`;
}

/** A fresh account's session cookie (`sid=…`). */
export function signUp(url: string, prefix: string): Promise<string> {
  const n = made;
  made += 1;
  const body = JSON.stringify({ email: `${prefix}${Date.now()}-${n}@example.com`, password: BENCH_PASSWORD });
  return new Promise((resolve, reject) => {
    const req = request(
      `${url}/api/auth/signup`,
      {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        localAddress: loopbackAddress(Math.floor(n / PER_ADDRESS)),
      },
      (res) => {
        res.resume();
        const cookie = (res.headers['set-cookie']?.[0] ?? '').split(';')[0] ?? '';
        if (res.statusCode === 201 && cookie) resolve(cookie);
        else reject(new Error(`signup answered ${res.statusCode}`));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}
