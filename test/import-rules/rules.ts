/**
 * The layout's import rules (ARCHITECTURE.md, "Rules"), checked on an import
 * graph: the judging half (audit, publish, portal) never imports the SDK, a
 * connector or the CLI; connectors never import the locker; evidence and
 * time import nothing of ours; and no files import each other in a circle
 * (type-only imports count: a circle of types is still a knot to untie).
 */
import type { ImportEdge, Room, SourceFile } from './scan.js';

const JUDGING = new Set(['packages/audit', 'packages/publish', 'packages/portal']);
const LEAVES = new Set(['packages/evidence', 'packages/time']);

function isConnector(room: Room): boolean {
  return room.dir.startsWith('connectors/') || room.name.startsWith('@evidentia/connector-');
}

/** Why `edge` breaks a rule for a file in `room`, or null. */
function broken(room: Room, edge: ImportEdge): string | null {
  const target = edge.room;
  if (target && target.dir === room.dir) return null;
  if (LEAVES.has(room.dir)) return `${room.name} imports nothing of ours`;
  if (!target) return null;
  if (JUDGING.has(room.dir) && (target.name === '@evidentia/sdk' || isConnector(target) || target.name === '@evidentia/collector')) {
    return `${room.name} never imports the SDK, a connector or the CLI`;
  }
  if (isConnector(room) && target.name === '@evidentia/locker') return 'connectors never import the locker';
  return null;
}

/** Each import that breaks a layer rule, as `file: specifier (rule)`. */
export function layerViolations(files: SourceFile[]): string[] {
  return files.flatMap(({ file, room, imports }) =>
    imports.flatMap((edge) => {
      const rule = broken(room, edge);
      return rule ? [`${file}: '${edge.specifier}' (${rule})`] : [];
    }),
  );
}

/** Each circle of files importing each other (Tarjan's strongly connected components), as `a -> b -> a`. */
export function importCycles(files: SourceFile[]): string[] {
  const edges = new Map(files.map(({ file, imports }) => [file, [...new Set(imports.flatMap((edge) => (edge.file ? [edge.file] : [])))]]));
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const cycles: string[] = [];
  let next = 0;
  const visit = (file: string): void => {
    index.set(file, next);
    low.set(file, next++);
    stack.push(file);
    onStack.add(file);
    for (const target of edges.get(file) ?? []) {
      if (!index.has(target)) {
        visit(target);
        low.set(file, Math.min(low.get(file)!, low.get(target)!));
      } else if (onStack.has(target)) low.set(file, Math.min(low.get(file)!, index.get(target)!));
    }
    if (low.get(file) !== index.get(file)) return;
    const component: string[] = [];
    let member: string;
    do {
      member = stack.pop()!;
      onStack.delete(member);
      component.push(member);
    } while (member !== file);
    if (component.length > 1 || edges.get(file)?.includes(file)) cycles.push([...component.sort(), component[0]].join(' -> '));
  };
  for (const file of edges.keys()) if (!index.has(file)) visit(file);
  return cycles;
}
