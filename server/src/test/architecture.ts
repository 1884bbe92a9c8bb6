import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';

/** The modules of server/src, lowest first: a module may import only those before it. */
export const moduleOrder = ['platform', 'identity', 'wallet', 'support'] as const;

/** Code that only drives the app (test helpers, benchmarks): it may reach into modules, nothing may import it. */
const harnessFolders = new Set(['test', 'bench']);

export type ImportGraph = Map<string, string[]>;

/** Every .ts file under `root` with the relative files it imports (import, import type, export … from, import()). */
export function readImportGraph(root: string): ImportGraph {
  const graph: ImportGraph = new Map();
  const walk = (directory: string) => {
    for (const entry of readdirSync(directory, { withFileTypes: true })) {
      const full = path.join(directory, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts')) {
        const source = readFileSync(full, 'utf8');
        const imports = ts
          .preProcessFile(source, true, true)
          .importedFiles.map((file) => file.fileName)
          .filter((specifier) => specifier.startsWith('.'))
          .map((specifier) => path.relative(root, path.resolve(path.dirname(full), specifier.replace(/\.js$/, '.ts'))));
        graph.set(path.relative(root, full), imports);
      }
    }
  };
  walk(root);
  return graph;
}

type ModuleName = (typeof moduleOrder)[number];
type Place = { kind: 'module'; name: ModuleName; isIndex: boolean } | { kind: 'harness' } | { kind: 'root' };

const isModule = (name: string | undefined): name is ModuleName => (moduleOrder as readonly string[]).includes(name ?? '');

function placeOf(file: string): Place {
  const [first, second] = file.split(path.sep);
  if (isModule(first) && second !== undefined) return { kind: 'module', name: first, isIndex: second === 'index.ts' };
  if (harnessFolders.has(first ?? '') && second !== undefined) return { kind: 'harness' };
  return { kind: 'root' };
}

const isTest = (file: string) => file.endsWith('.test.ts');
const isTables = (file: string) => file.endsWith('.tables.ts');
/** The operator command line, which must start without loading the whole server. */
const isCommandLine = (file: string) => file === 'cli.ts';
const isCommandSurface = (file: string) => file.endsWith('.cli.ts');

/**
 * Imports that break the module rules, one line each naming the file and the import:
 * support → wallet → identity → platform only; across modules only through the target's
 * index.ts (table files may name another module's tables for foreign keys: the schema is one
 * database); a module never imports its own index; nothing but tests imports the harness. The
 * command line (cli.ts) may load a module's command surface (`*.cli.ts`) directly, so `okpay
 * --help` does not load every module behind its index.
 */
export function findRuleBreaks(graph: ImportGraph): string[] {
  const breaks: string[] = [];
  for (const [file, imports] of graph) {
    const from = placeOf(file);
    for (const target of imports) {
      const to = placeOf(target);
      const where = `${file} imports ${target}`;
      if (to.kind === 'harness') {
        if (from.kind !== 'harness' && !isTest(file)) breaks.push(`${where}: only tests may use the test and bench helpers`);
        continue;
      }
      if (to.kind !== 'module') continue;
      if (from.kind === 'module' && from.name === to.name) {
        if (to.isIndex && !isTest(file)) breaks.push(`${where}: a module never imports its own index.ts`);
        continue;
      }
      if (from.kind === 'module' && moduleOrder.indexOf(to.name) > moduleOrder.indexOf(from.name)) {
        breaks.push(`${where}: ${from.name} may not depend on ${to.name} (support → wallet → identity → platform)`);
        continue;
      }
      if (from.kind === 'harness' || to.isIndex) continue;
      if (isTables(file) && isTables(target)) continue;
      if (isCommandLine(file) && isCommandSurface(target)) continue;
      breaks.push(`${where}: across modules only through ${to.name}/index.ts`);
    }
  }
  return breaks;
}

/** Every import cycle, each as the files around it (a → b → … → a). */
export function findCycles(graph: ImportGraph): string[][] {
  const cycles: string[][] = [];
  const state = new Map<string, 'active' | 'done'>();
  const stack: string[] = [];
  const visit = (file: string) => {
    state.set(file, 'active');
    stack.push(file);
    for (const target of graph.get(file) ?? []) {
      if (!graph.has(target)) continue;
      if (state.get(target) === 'active') cycles.push([...stack.slice(stack.indexOf(target)), target]);
      else if (!state.has(target)) visit(target);
    }
    stack.pop();
    state.set(file, 'done');
  };
  for (const file of [...graph.keys()].sort()) if (!state.has(file)) visit(file);
  return cycles;
}
