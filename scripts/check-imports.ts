// The import graph of src/, checked: no cycle between files, no cycle between folders, and
// every import between folders goes down the layers below (an import up is listed and fails).
// Type-only imports count: a cycle of types is still two files that cannot be read apart.
//
//   npm run check-imports     prints the folder graph, exits 1 on a breach (test/architecture.test.ts runs it too)
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

/**
 * Folders from the bottom up: a folder may import from folders before it, never after it.
 * `.` is the files at the top of src/ (entry points and wiring) except those named in TOP_FILES.
 */
export const LAYERS: readonly (readonly string[])[] = [
  ['messages'],
  ['kpi'],
  ['errors', 'logger', 'metrics', 'config-lists'],
  ['store'],
  ['ingest', 'demo', 'scheduler'],
  ['sources'],
  ['reply', 'outbox'],
  ['query'],
  ['charts'],
  ['alerts', 'reports'],
  ['config'],
  ['services'],
  ['commands'],
  ['slack', 'local', 'cli'],
  ['app'],
];

/** Files at the top of src/ and the layer each belongs to (the others, entry points: `app`). */
const TOP_FILES: Record<string, string> = {
  'errors.ts': 'errors',
  'logger.ts': 'logger',
  'metrics.ts': 'metrics',
  'config-lists.ts': 'config-lists',
  'config.ts': 'config',
  'services.ts': 'services',
};

const SRC = resolve(import.meta.dirname, '..', 'src');

function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name);
    if (e.isDirectory()) return files(p);
    return e.name.endsWith('.ts') ? [p] : [];
  });
}

const IMPORT =
  /(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g;

function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const out: string[] = [];
  for (const m of text.matchAll(IMPORT)) {
    const spec = m[1] ?? m[2];
    if (spec?.startsWith('.')) out.push(resolve(dirname(file), spec));
  }
  return out;
}

export function folderOf(file: string): string {
  const rel = relative(SRC, file);
  const parts = rel.split('/');
  if (parts.length === 1) return TOP_FILES[rel] ?? 'app';
  return parts[0] ?? 'app';
}

/** Strongly connected components with more than one node (Tarjan). */
export function cycles(graph: Map<string, Set<string>>): string[][] {
  let index = 0;
  const idx = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const on = new Set<string>();
  const out: string[][] = [];
  const visit = (v: string) => {
    idx.set(v, index);
    low.set(v, index);
    index++;
    stack.push(v);
    on.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!idx.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v) ?? 0, low.get(w) ?? 0));
      } else if (on.has(w)) {
        low.set(v, Math.min(low.get(v) ?? 0, idx.get(w) ?? 0));
      }
    }
    if (low.get(v) === idx.get(v)) {
      const scc: string[] = [];
      let w: string | undefined;
      do {
        w = stack.pop();
        if (w === undefined) break;
        on.delete(w);
        scc.push(w);
      } while (w !== v);
      if (scc.length > 1) out.push(scc.sort());
    }
  };
  for (const v of graph.keys()) if (!idx.has(v)) visit(v);
  return out;
}

export interface ImportReport {
  /** `a → b` between folders, with how many file pairs make it. */
  edges: Array<{ from: string; to: string; pairs: string[] }>;
  /** Cycles, upward imports, folders in no layer: empty when the structure holds. */
  problems: string[];
}

export function checkImports(): ImportReport {
  const fileGraph = new Map<string, Set<string>>();
  const folderGraph = new Map<string, Set<string>>();
  const edges = new Map<string, string[]>(); // "a → b" → example file pairs
  for (const f of files(SRC)) {
    const from = relative(SRC, f);
    const targets = new Set(importsOf(f).map((t) => relative(SRC, t)));
    fileGraph.set(from, targets);
    for (const to of targets) {
      const a = folderOf(f);
      const b = folderOf(join(SRC, to));
      if (a === b) continue;
      if (!folderGraph.has(a)) folderGraph.set(a, new Set());
      folderGraph.get(a)?.add(b);
      const key = `${a} → ${b}`;
      edges.set(key, [...(edges.get(key) ?? []), `${from} → ${to}`]);
    }
  }
  const layerOf = new Map(LAYERS.flatMap((names, i) => names.map((n) => [n, i] as const)));
  const problems: string[] = [];
  for (const scc of cycles(fileGraph)) problems.push(`file cycle: ${scc.join(', ')}`);
  for (const scc of cycles(folderGraph)) problems.push(`folder cycle: ${scc.join(', ')}`);
  const out: ImportReport['edges'] = [];
  for (const [key, pairs] of [...edges].sort()) {
    const [from, to] = key.split(' → ') as [string, string];
    const la = layerOf.get(from);
    const lb = layerOf.get(to);
    if (la === undefined) problems.push(`folder ${from} is in no layer (scripts/check-imports.ts)`);
    else if (lb !== undefined && lb > la) problems.push(`up: ${key} (${pairs.join('; ')})`);
    out.push({ from, to, pairs });
  }
  return { edges: out, problems: [...new Set(problems)] };
}

if (import.meta.filename === process.argv[1]) {
  const { edges, problems } = checkImports();
  for (const e of edges) console.log(`${e.from} → ${e.to}  (${e.pairs.length})`);
  if (problems.length > 0) {
    console.error(`\n${problems.length} problem(s):\n${problems.map((p) => `  ${p}`).join('\n')}`);
    process.exit(1);
  }
  console.log('\nimports: no cycle between files or folders, every folder imports only downwards');
}
