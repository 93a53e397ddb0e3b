/** pv.shvGet / pv.shvSet: replies, faults and rules as kamailio 5.6 gives them over kamcmd. */
import type { RpcContext } from '@sipr/core';
import type { VarStore, VarValue } from './vars';

/** One variable as kamailio's pv.shvGet prints it. */
function rpcVar(store: VarStore, name: string): { name: string; type: 'int' | 'string'; value: VarValue } {
  const value = store.get(name);
  return { name, type: typeof value === 'number' ? 'int' : 'string', value };
}

export function shvGet(shvs: VarStore, rpc: RpcContext): void {
  const name = rpc.params[0];
  if (name === undefined) {
    for (const n of shvs.values.keys()) rpc.add(rpcVar(shvs, n));
    return;
  }
  if (!shvs.values.has(String(name))) return rpc.fault(404, 'Variable not found');
  rpc.add(rpcVar(shvs, String(name)));
}

/** Only variables that exist (from shvset or the script) can be set, as in kamailio. */
export function shvSet(shvs: VarStore, rpc: RpcContext): void {
  const [name, type, value] = rpc.params;
  if (typeof name !== 'string' || value === undefined) return rpc.fault(400, 'usage: pv.shvSet name int|str value');
  if (type !== 'int' && type !== 'str') return rpc.fault(500, 'Unknown parameter type (Types: int or str)');
  if (!shvs.values.has(name)) return rpc.fault(404, 'Variable not found');
  if (type === 'int') {
    const n = typeof value === 'number' ? value : Number(value);
    if (!Number.isInteger(n)) return rpc.fault(400, `'${value}' is not an integer`);
    shvs.values.set(name, n);
  } else shvs.values.set(name, String(value));
  rpc.add('Ok. Variable set to new value.');
}

