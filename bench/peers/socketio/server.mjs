// Baseline peer: Socket.IO 4.8 with @socket.io/redis-adapter on the same Redis as Hubs. Rooms for subscriptions
// and a publish endpoint with Hubs' route and body (POST /api/projects/{id}/updates {"type","data"}), so one
// publisher drives every system. Usage: PORT=5301 REDIS_URL=redis://127.0.0.1:6399 node server.mjs
import http from 'node:http';
import { Server } from 'socket.io';
import { createAdapter } from '@socket.io/redis-adapter';
import { createClient } from 'redis';

const port = Number(process.env.PORT ?? 5301);
const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const pubClient = createClient({ url: redisUrl });
const subClient = pubClient.duplicate();
await Promise.all([pubClient.connect(), subClient.connect()]);

let sequence = 0;
const server = http.createServer((req, res) => {
  const match = req.method === 'POST' && /^\/api\/projects\/([^/]+)\/updates$/.exec(req.url ?? '');
  if (!match) {
    res.writeHead(req.url === '/health' ? 200 : 404).end(req.url === '/health' ? 'ok' : '');
    return;
  }
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => {
    try {
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
      const projectId = decodeURIComponent(match[1]);
      const id = String(++sequence);
      io.to(projectId).emit('ProjectUpdated', {
        type: body.type ?? 'project_updated', project_id: projectId, data: body.data, message_id: id, timestamp: new Date().toISOString(),
      });
      res.writeHead(202, { 'content-type': 'application/json' }).end(JSON.stringify({ message_id: id }));
    } catch (e) {
      res.writeHead(400).end(String(e));
    }
  });
});

const io = new Server(server, { transports: ['websocket'], adapter: createAdapter(pubClient, subClient) });
io.on('connection', (socket) => {
  socket.on('subscribe', (room, ack) => {
    socket.join(room);
    if (typeof ack === 'function') ack({ project_id: room });
  });
});

server.listen(port, '127.0.0.1', () => console.log(`socket.io peer on ${port}, redis ${redisUrl}`));
const stop = () => { io.close(); pubClient.quit().catch(() => {}); subClient.quit().catch(() => {}); process.exit(0); };
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
