/** htable.* RPCs: dump, get, sets, seti, delete, listTables. */
import type { RpcContext } from '@sipr/core';
import type { RpcEntry } from '@sipr/compat';
import type { HashTable } from './table';

type Lookup = (name: string) => HashTable | undefined;

function table(rpc: RpcContext, lookup: Lookup): HashTable | null {
  const name = String(rpc.params[0] ?? '');
  const t = lookup(name);
  if (!t) rpc.fault(500, name ? `No such htable: ${name}` : 'No htable name given');
  return t ?? null;
}

function key(rpc: RpcContext): string | null {
  if (rpc.params.length < 2) {
    rpc.fault(500, 'No key name given');
    return null;
  }
  return String(rpc.params[1]);
}

export function htableRpc(lookup: Lookup, names: () => string[]): RpcEntry[] {
  return [
    ['htable.get', (rpc: RpcContext) => {
      const t = table(rpc, lookup);
      const k = t && key(rpc);
      if (!t || k === null) return;
      const v = t.get(k);
      if (v === null) return rpc.fault(404, 'Key name doesn\'t exist in htable.');
      rpc.add({ item: { name: k, value: v } });
    }, 'Get one item: table, key.'],
    ['htable.sets', (rpc: RpcContext) => {
      const t = table(rpc, lookup);
      const k = t && key(rpc);
      if (!t || k === null) return;
      t.set(k, String(rpc.params[2] ?? ''));
    }, 'Set a string value: table, key, value.'],
    ['htable.seti', (rpc: RpcContext) => {
      const t = table(rpc, lookup);
      const k = t && key(rpc);
      if (!t || k === null) return;
      const n = Number(rpc.params[2]);
      if (!Number.isInteger(n)) return rpc.fault(500, 'Value is not an integer');
      t.set(k, n | 0);
    }, 'Set an integer value: table, key, value.'],
    ['htable.delete', (rpc: RpcContext) => {
      const t = table(rpc, lookup);
      const k = t && key(rpc);
      if (!t || k === null) return;
      t.delete(k);
    }, 'Delete one item: table, key.'],
    ['htable.dump', (rpc: RpcContext) => {
      const t = table(rpc, lookup);
      if (!t) return;
      const slots = new Map<number, { name: string; value: string | number }[]>();
      for (const [k, it] of t.entries()) {
        const s = t.slotOf(k);
        if (!slots.has(s)) slots.set(s, []);
        slots.get(s)!.push({ name: k, value: it.value });
      }
      for (const s of [...slots.keys()].sort((a, b) => a - b)) rpc.add({ entry: s, size: slots.get(s)!.length, slot: slots.get(s) });
    }, 'Print the items of a table by slot.'],
    ['htable.listTables', (rpc: RpcContext) => {
      for (const n of names()) {
        const t = lookup(n)!;
        rpc.add({ name: n, size: t.spec.size, expire: t.spec.autoexpire, items: t.items.size });
      }
    }, 'Print the declared tables.'],
  ];
}
