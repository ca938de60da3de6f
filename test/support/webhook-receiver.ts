// A merchant's webhook endpoint for tests: a real HTTP server on 127.0.0.1 (ephemeral port) that
// keeps every request's raw body, headers and arrival time. `mode` decides how it answers:
// 'up' (200), 'down' (the connection is dropped without an answer) or an HTTP status to send.
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Received {
  body: string;
  headers: http.IncomingHttpHeaders;
  at: number;
  answered: number | 'dropped';
}

export interface Receiver {
  url: string;
  received: Received[];
  mode: 'up' | 'down' | number;
  /** Event ids of the requests answered 2xx. */
  deliveredIds(): string[];
  close(): Promise<void>;
}

export async function startReceiver(initial: Receiver['mode'] = 'up'): Promise<Receiver> {
  const received: Received[] = [];
  const receiver = {} as Receiver;
  receiver.mode = initial;
  receiver.received = received;
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const mode = receiver.mode;
      const entry: Received = { body: Buffer.concat(chunks).toString('utf8'), headers: req.headers, at: Date.now(), answered: mode === 'down' ? 'dropped' : mode === 'up' ? 200 : mode };
      received.push(entry);
      if (mode === 'down') {
        req.socket.destroy();
        return;
      }
      res.writeHead(mode === 'up' ? 200 : mode, { 'content-type': 'text/plain' });
      res.end(mode === 'up' ? 'ok' : `status ${mode}`);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  receiver.url = `http://127.0.0.1:${port}/hooks`;
  receiver.deliveredIds = () =>
    received.filter((r) => typeof r.answered === 'number' && r.answered < 300).map((r) => (JSON.parse(r.body) as { id: string }).id);
  receiver.close = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return receiver;
}
