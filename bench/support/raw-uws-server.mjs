// The floor of the fan-out benchmark: raw uWebSockets.js publish to one topic, speaking just enough of the
// Engine.IO/Socket.IO wire format for wsfan (open, connect, subscribe ack, events). No Socket.IO at all, so
// what it costs per delivery is close to the kernel's loopback cost: the physical limit on this machine.
// usage: NODE_PATH=<project>/node_modules node raw-uws-server.mjs PORT HZ
import { createRequire } from 'node:module';
import path from 'node:path';
const require = createRequire(path.join(process.env.NODE_PATH || process.cwd(), 'x.js'));
const uWS = require('uWebSockets.js');
const [port, hz = '10'] = process.argv.slice(2);
const id = '00000000-0000-0000-0000-000000000001';
const topic = `giveaway:${id}`;
const app = uWS.App().ws('/*', {
  compression: uWS.DISABLED,
  maxBackpressure: 1 << 20,
  idleTimeout: 0,
  open: (ws) =>
    ws.send('0{"sid":"x","upgrades":[],"pingInterval":25000,"pingTimeout":20000,"maxPayload":1000000}'),
  message: (ws, msg) => {
    const s = Buffer.from(msg).toString();
    if (s === '40') ws.send('40{"sid":"y"}');
    else if (s.startsWith('421')) {
      ws.subscribe(topic);
      ws.send('431[{"ok":true}]');
    }
  },
});
app.listen(Number(port), (t) => {
  if (!t) process.exit(3);
});
let version = 0,
  count = 0;
setInterval(
  () => {
    count++;
    const since = version;
    version++;
    app.publish(
      topic,
      '42' +
        JSON.stringify(['giveaway:count', { giveaway_id: id, version, since, participants_count: count }]),
    );
  },
  1000 / Number(hz),
);
console.log('listening', port);
