/** Transport, message, flag, time and branch PVs. */
import type { Branch, PvClassDef, RunCtx, SipMessage, SocketInfo } from '@sipr/core';
import { simple, needInt, needStr, writeError } from './define';

const hex8 = (n: number) => (n >>> 0).toString(16).padStart(8, '0');

/** `$mf`/`$mF` style pair: decimal int and 8-digit hex string, both writable with an int. */
function flagPvs(dec: string, hex: string, get: (ctx: RunCtx) => number, set: (ctx: RunCtx, n: number) => void): PvClassDef[] {
  const write = (name: string) => (ctx: RunCtx, v: unknown) => set(ctx, v === null ? 0 : needInt(v as number | string, name));
  return [...simple(dec, get, write('$' + dec)), ...simple(hex, (ctx) => hex8(get(ctx)), write('$' + hex))];
}

/** A listening socket by `proto:ip:port` (or `ip:port` for udp), from the transport layer's list. */
function findSocket(ctx: RunCtx, name: string): SocketInfo | undefined {
  const list = (ctx.core.sender as unknown as { sockets?: readonly SocketInfo[] } | null)?.sockets ?? [];
  const full = /^(udp|tcp|tls|sctp|ws|wss):/i.test(name) ? name.toLowerCase() : `udp:${name}`;
  return list.find((s) => s.name === full);
}

// --- time: per message values are cached so every read in one message agrees
const msgTime = new WeakMap<SipMessage, Date>();
function messageTime(msg: SipMessage): Date {
  let d = msgTime.get(msg);
  if (!d) msgTime.set(msg, (d = new Date(Math.floor(Date.now() / 1000) * 1000)));
  return d;
}
const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
/** ctime(3) layout without its newline: `Thu Nov 26 05:41:42 2026` */
export function ctime(d: Date): string {
  const p = (n: number) => String(n).padStart(2, '0');
  return `${DAYS[d.getDay()]} ${MONTHS[d.getMonth()]} ${String(d.getDate()).padStart(2, ' ')} ${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())} ${d.getFullYear()}`;
}
const epoch = (d: Date) => Math.floor(d.getTime() / 1000);

const TIME_PARTS: Record<string, (d: Date) => number> = {
  sec: (d) => d.getSeconds(),
  min: (d) => d.getMinutes(),
  hour: (d) => d.getHours(),
  mday: (d) => d.getDate(),
  mon: (d) => d.getMonth() + 1,
  year: (d) => d.getFullYear(),
  wday: (d) => d.getDay() + 1,
  yday: (d) => Math.floor((d.getTime() - new Date(d.getFullYear(), 0, 1).getTime()) / 86400000) + 1,
  isdst: (d) => {
    const jan = new Date(d.getFullYear(), 0, 1).getTimezoneOffset();
    const jul = new Date(d.getFullYear(), 6, 1).getTimezoneOffset();
    return d.getTimezoneOffset() < Math.max(jan, jul) ? 1 : 0;
  },
};

export const timeClass: PvClassDef = {
  name: 'time',
  inner: 'required',
  parseInner(inner: string) {
    const f = TIME_PARTS[inner.trim()];
    if (!f) throw new Error(`unknown $time part '${inner}' (sec min hour mday mon year wday yday isdst)`);
    return f;
  },
  get: (ctx, f: (d: Date) => number) => f(messageTime(ctx.msg)),
};

// --- destination set
/** q as Kamailio prints it: 1000 -> "1", 500 -> "0.5"; negative means unspecified. */
function qText(q: number): string {
  return String(Math.round(q) / 1000);
}
function dsetEntry(uri: string, q: number): string {
  return q >= 0 ? `<${uri}>;q=${qText(q)}` : `<${uri}>`;
}

const BRANCH_ATTRS: Record<string, (b: Branch, ctx: RunCtx) => string | number | null> = {
  uri: (b) => b.uri,
  dst_uri: (b) => b.dstUri,
  path: (b) => b.path,
  q: (b) => (b.q >= 0 ? b.q : null),
  send_socket: (b) => b.socket?.name ?? null,
  flags: (b) => b.flags,
};

export const branchClass: PvClassDef = {
  name: 'branch',
  inner: 'required',
  indexable: true,
  parseInner(inner: string) {
    const a = inner.trim();
    if (a !== 'count' && !BRANCH_ATTRS[a]) throw new Error(`unknown $branch attribute '${inner}' (uri dst_uri path q send_socket count flags)`);
    return a;
  },
  get(ctx, attr: string, index) {
    // Kamailio 5.6 reads an empty destination set's count as undefined
    if (attr === 'count') return ctx.branches.length || null;
    const i = index === null ? 0 : index.kind === 'n' ? index.n : index.kind === 'pv' ? Number(index.spec.get(ctx)) | 0 : 0;
    const b = ctx.branches[i < 0 ? ctx.branches.length + i : i];
    return b ? BRANCH_ATTRS[attr](b, ctx) : null;
  },
};

// --- $snd: the onsend_route context (3.0: local socket used for sending)
const SND: Record<string, (s: NonNullable<RunCtx['send']>, sock: SocketInfo | undefined) => string | number | null> = {
  ip: (_s, k) => k?.address ?? null,
  af: (_s, k) => (k ? (k.af === 6 ? 10 : 2) : null),
  port: (_s, k) => k?.port ?? null,
  proto: (_s, k) => k?.proto ?? null,
  buf: (s) => s.buf.toString('latin1'),
  len: (s) => s.buf.length,
};

export const sndClass: PvClassDef = {
  name: 'snd',
  inner: 'required',
  parseInner(inner: string) {
    const f = SND[inner.trim()];
    if (!f) throw new Error(`unknown $snd key '${inner}' (ip af port proto buf len)`);
    return f;
  },
  get(ctx, f: (typeof SND)[string]) {
    const s = ctx.send;
    if (!s) return null;
    return f(s, s.dst.socket ?? ctx.core.sender?.socketFor(s.dst));
  },
};

export function miscPvs(): PvClassDef[] {
  return [
    ...simple(['si', 'src_ip'], (ctx) => ctx.msg.rcv.srcIp),
    ...simple(['sp', 'src_port'], (ctx) => ctx.msg.rcv.srcPort),
    ...simple(['Ri'], (ctx) => ctx.msg.rcv.dstIp),
    ...simple(['Rp'], (ctx) => ctx.msg.rcv.dstPort),
    ...simple(['pr', 'proto'], (ctx) => ctx.msg.rcv.proto),
    ...simple('fs', (ctx) => ctx.msg.forceSocket?.name ?? null, (ctx, v) => {
      if (v === null) {
        ctx.msg.forceSocket = null;
        return;
      }
      const name = needStr(v, '$fs');
      const sock = findSocket(ctx, name);
      if (!sock) writeError(`$fs: no listening socket '${name}'`);
      ctx.msg.forceSocket = sock;
    }),
    ...simple('ml', (ctx) => ctx.msg.buf.length),
    ...simple('mb', (ctx) => ctx.msg.buf.toString('latin1')),
    ...simple('mi', (ctx) => ctx.msg.id),
    ...simple('pp', () => process.pid),
    ...simple('null', () => null),
    ...flagPvs('mf', 'mF', (ctx) => ctx.msg.flags, (ctx, n) => { ctx.msg.flags = n; }),
    ...flagPvs('bf', 'bF', (ctx) => ctx.msg.bflags, (ctx, n) => { ctx.msg.bflags = n; }),
    ...flagPvs('sf', 'sF', (ctx) => ctx.sflags, (ctx, n) => { ctx.sflags = n; }),
    ...simple('Tf', (ctx) => ctime(messageTime(ctx.msg))),
    ...simple('Ts', (ctx) => epoch(messageTime(ctx.msg))),
    ...simple('TF', () => ctime(new Date())),
    ...simple('TS', () => epoch(new Date())),
    // printed as the Contact header a redirect would carry; the R-URI counts only once rewritten
    ...simple('ds', (ctx) => {
      if (ctx.branches.length === 0) return null;
      const out = ctx.msg.newUri !== null ? [dsetEntry(ctx.msg.newUri, -1)] : [];
      for (const b of ctx.branches) out.push(dsetEntry(b.uri, b.q));
      return 'Contact: ' + out.join(', ');
    }),
    ...simple('br', (ctx) => ctx.branches[0]?.uri ?? null, (ctx, v) => {
      ctx.branches.push({ uri: needStr(v, '$br'), dstUri: null, path: null, q: -1, flags: 0, socket: ctx.msg.forceSocket });
    }),
    ...simple('bR', (ctx) => (ctx.branches.length ? ctx.branches.map((b) => b.uri).join(', ') : null)),
    timeClass,
    branchClass,
    sndClass,
  ];
}
