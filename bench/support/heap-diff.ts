// Diffs two V8 heap snapshots (e.g. `BENCH_NODE_FLAGS="--heapsnapshot-signal=SIGUSR2"`, one snapshot before N
// connections and one with them idle) and prints what grew, per connection: by constructor (type:name), and by
// where each new object hangs (its first retainer's constructor and the edge to it), which is what tells a
// Socket.IO socket's `_events` dictionary from an engine.io transport's.
// Run: npx tsx bench/support/heap-diff.ts before.heapsnapshot after.heapsnapshot N [rows=40]
import { readFileSync } from 'node:fs';

interface Snapshot {
  snapshot: {
    meta: {
      node_fields: string[];
      node_types: [string[], ...unknown[]];
      edge_fields: string[];
      edge_types: [string[], ...unknown[]];
    };
  };
  nodes: number[];
  edges: number[];
  strings: string[];
}

interface Totals {
  count: number;
  size: number;
}

/** Sizes by `type:name` and by `retainer type:name .edge -> type:name`. */
function tally(file: string): {
  byKind: Map<string, Totals>;
  byPlace: Map<string, Totals>;
  byOwner: Map<string, Totals>;
  total: number;
} {
  const s = JSON.parse(readFileSync(file, 'utf8')) as Snapshot;
  const nf = s.snapshot.meta.node_fields;
  const ef = s.snapshot.meta.edge_fields;
  const N = nf.length;
  const E = ef.length;
  const TYPE = nf.indexOf('type');
  const NAME = nf.indexOf('name');
  const SIZE = nf.indexOf('self_size');
  const EDGES = nf.indexOf('edge_count');
  const ETYPE = ef.indexOf('type');
  const ENAME = ef.indexOf('name_or_index');
  const ETO = ef.indexOf('to_node');
  const nodeTypes = s.snapshot.meta.node_types[0];
  const edgeTypes = s.snapshot.meta.edge_types[0];
  const count = s.nodes.length / N;
  const kind = (i: number) => {
    const type = nodeTypes[s.nodes[i * N + TYPE] ?? 0] ?? '?';
    const name = s.strings[s.nodes[i * N + NAME] ?? 0] ?? '?';
    // Strings and numbers: the type says enough; their text would make every value its own row.
    if (type === 'string' || type === 'concatenated string' || type === 'sliced string' || type === 'number')
      return type;
    return `${type}:${name.length > 60 ? name.slice(0, 60) : name}`;
  };
  // First retainer of every node (weak edges skipped), so a row says whose property the object is.
  const parent = new Int32Array(count).fill(-1);
  const parentEdge: string[] = new Array<string>(count);
  let e = 0;
  for (let i = 0; i < count; i++) {
    const edges = s.nodes[i * N + EDGES] ?? 0;
    for (let k = 0; k < edges; k++, e += E) {
      const to = (s.edges[e + ETO] ?? 0) / N;
      const etype = edgeTypes[s.edges[e + ETYPE] ?? 0];
      if (etype === 'weak' || parent[to] !== -1) continue;
      parent[to] = i;
      const raw = s.edges[e + ENAME] ?? 0;
      parentEdge[to] = etype === 'element' || etype === 'hidden' ? `[${etype}]` : (s.strings[raw] ?? '?');
    }
  }
  // Owner: the nearest retainer up the first-retainer chain that is an object of a named class (not a plain
  // Object, Array, closure or V8 internal), with the edge the chain left it by, e.g. `Socket._events`.
  const owner = new Array<string | undefined>(count);
  const named = (i: number) => {
    if (nodeTypes[s.nodes[i * N + TYPE] ?? 0] !== 'object') return false;
    const name = s.strings[s.nodes[i * N + NAME] ?? 0] ?? '';
    return name !== 'Object' && name !== 'Array' && !name.startsWith('system /') && name !== '';
  };
  const ownerOf = (start: number): string => {
    const chain: number[] = [];
    let i = start;
    let found = '(none)';
    for (let depth = 0; depth < 12; depth++) {
      const known = owner[i];
      if (known !== undefined) {
        found = known;
        break;
      }
      chain.push(i);
      const p = parent[i] ?? -1;
      if (p < 0) break;
      if (named(p)) {
        found = `${kind(p)}.${parentEdge[i]}`;
        break;
      }
      i = p;
    }
    for (const c of chain) owner[c] = found;
    return found;
  };
  const byOwner = new Map<string, Totals>();
  const byKind = new Map<string, Totals>();
  const byPlace = new Map<string, Totals>();
  let total = 0;
  const add = (map: Map<string, Totals>, key: string, size: number) => {
    const t = map.get(key) ?? { count: 0, size: 0 };
    t.count++;
    t.size += size;
    map.set(key, t);
  };
  for (let i = 0; i < count; i++) {
    const size = s.nodes[i * N + SIZE] ?? 0;
    total += size;
    const k = kind(i);
    add(byKind, k, size);
    const p = parent[i] ?? -1;
    add(byPlace, p < 0 ? `(root) -> ${k}` : `${kind(p)} .${parentEdge[i]} -> ${k}`, size);
    add(byOwner, named(i) ? `${k} (itself)` : ownerOf(i), size);
  }
  return { byKind, byPlace, byOwner, total };
}

function diff(before: Map<string, Totals>, after: Map<string, Totals>, per: number, rows: number): void {
  const out: Array<{ what: string; 'count/conn': number; 'bytes/conn': number }> = [];
  for (const [key, a] of after) {
    const b = before.get(key) ?? { count: 0, size: 0 };
    out.push({
      what: key,
      'count/conn': +((a.count - b.count) / per).toFixed(2),
      'bytes/conn': +((a.size - b.size) / per).toFixed(1),
    });
  }
  out.sort((x, y) => y['bytes/conn'] - x['bytes/conn']);
  console.table(out.slice(0, rows));
}

const [beforeFile, afterFile, nArg = '1', rowsArg = '40'] = process.argv.slice(2);
if (!beforeFile || !afterFile) {
  console.error('usage: heap-diff.ts before.heapsnapshot after.heapsnapshot N [rows]');
  process.exit(2);
}
const per = Number(nArg);
const rows = Number(rowsArg);
const b = tally(beforeFile);
const a = tally(afterFile);
console.log(`live heap: ${((a.total - b.total) / per).toFixed(0)} bytes per connection (N = ${per})`);
console.log('by constructor:');
diff(b.byKind, a.byKind, per, rows);
console.log('by retainer .edge -> constructor:');
diff(b.byPlace, a.byPlace, per, rows);
console.log('by owner (nearest named-class retainer .edge; what hangs off it, all levels):');
diff(b.byOwner, a.byOwner, per, rows);
