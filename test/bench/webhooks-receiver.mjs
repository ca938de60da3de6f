// (Plain JavaScript: a worker thread cannot load TypeScript through tsx on Node 20.)
// The bench's merchant endpoint, in its own thread so receiving does not share the sender's
// event loop: answers 200 to every POST and reports [event id, arrival ms] back in batches.
import http from 'node:http';
import { parentPort } from 'node:worker_threads';

const port = parentPort;
let pending = [];
const server = http.createServer((req, res) => {
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => {
    const at = Date.now();
    const body = Buffer.concat(chunks).toString('utf8');
    // The id is the body's first member: {"id":"evt_…",…}.
    pending.push([body.slice(7, body.indexOf('"', 7)), at]);
    res.writeHead(200, { 'content-type': 'text/plain', 'content-length': 2 });
    res.end('ok');
  });
});
setInterval(() => {
  if (pending.length) {
    port.postMessage(pending);
    pending = [];
  }
}, 10).unref();
server.keepAliveTimeout = 60_000;
server.listen(0, '127.0.0.1', () => port.postMessage({ port: server.address().port }));
port.on('message', (m) => {
  if (m === 'close') server.close(() => process.exit(0));
});
