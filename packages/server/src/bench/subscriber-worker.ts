/**
 * Source of the benchmark's subscriber worker, run with `new Worker(source, { eval: true })`.
 *
 * The subscribers run in their own thread, so the server and the clients use separate cores.
 * Each subscriber checks that sequence numbers rise by exactly one and reports its progress, so
 * the producer can stay a bounded window ahead of the slowest subscriber.
 */
export const SUBSCRIBER_WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
// The path may name the CommonJS build or, under some resolvers, the ESM wrapper.
const wsModule = require(workerData.wsPath);
const WebSocket = wsModule.WebSocket ?? wsModule.default;
const { url, token, subscribers, total, progressEvery } = workerData;
const stats = [];
let subscribed = 0;
let finished = 0;

// Event frames are recognised by prefix and their seq read without JSON.parse: a full parse of
// every frame costs the client thread more than the server spends sending it.
const EVENT_PREFIX = Buffer.from('{"type":"event"');
const SEQ_KEY = Buffer.from('"seq":');

function readSeq(data) {
  let position = data.indexOf(SEQ_KEY) + SEQ_KEY.length;
  let seq = 0;
  while (data[position] >= 48 && data[position] <= 57) {
    seq = seq * 10 + data[position] - 48;
    position += 1;
  }
  return seq;
}

function countEvent(index, state, seq) {
  if (seq <= state.last) state.duplicates += 1;
  else if (seq > state.last + 1) state.gaps += 1;
  state.last = Math.max(state.last, seq);
  state.received += 1;
  if (state.received % progressEvery === 0 || seq === total) {
    parentPort.postMessage({ type: 'progress', index, seq });
  }
  if (seq === total) {
    finished += 1;
    if (finished === subscribers) parentPort.postMessage({ type: 'done', stats });
  }
}

for (let index = 0; index < subscribers; index += 1) {
  const state = { last: 0, gaps: 0, duplicates: 0, received: 0, readies: 0 };
  stats.push(state);
  const socket = new WebSocket(url, {
    headers: { authorization: 'Bearer ' + token },
    perMessageDeflate: false,
    skipUTF8Validation: true,
  });
  socket.on('open', () => socket.send(JSON.stringify({ type: 'subscribe', fromSeq: 0 })));
  socket.on('error', (error) => parentPort.postMessage({ type: 'failed', message: error.message }));
  socket.on('message', (data) => {
    if (data.compare(EVENT_PREFIX, 0, EVENT_PREFIX.length, 0, EVENT_PREFIX.length) === 0) {
      countEvent(index, state, readSeq(data));
      return;
    }
    const message = JSON.parse(data.toString('utf8'));
    if (message.type === 'gap') {
      state.gaps += 1;
    } else if (message.type === 'ready') {
      // The first ready confirms the upgrade token, the second one the subscription.
      state.readies += 1;
      if (state.readies === 2) {
        subscribed += 1;
        if (subscribed === subscribers) parentPort.postMessage({ type: 'subscribed' });
      }
    }
  });
}
`;
