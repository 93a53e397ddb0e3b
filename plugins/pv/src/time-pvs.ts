/** Time PVs: this message's start time (cached per message) and the current time. */
import { formatTime, type PvClassDef, type RunCtx, type SipMessage } from '@sipr/core';
import { simple } from './define';

/** A moment as Kamailio keeps it: whole seconds and the microseconds past them. */
interface Moment {
  sec: number;
  usec: number;
  /** the whole second, for the broken-down parts */
  date: Date;
}

function now(): Moment {
  const us = Math.floor((performance.timeOrigin + performance.now()) * 1000);
  const sec = Math.floor(us / 1e6);
  return { sec, usec: us - sec * 1e6, date: new Date(sec * 1000) };
}

// per message values are cached so every read in one message agrees
const msgTime = new WeakMap<SipMessage, Moment>();
function messageMoment(msg: SipMessage): Moment {
  let m = msgTime.get(msg);
  if (!m) msgTime.set(msg, (m = now()));
  return m;
}
function messageTime(msg: SipMessage): Date {
  return messageMoment(msg).date;
}
/** ctime(3) layout without its newline: `Thu Nov 26 05:41:42 2026` */
function ctime(d: Date): string {
  return formatTime(d, null, false);
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

const timeClass: PvClassDef = {
  name: 'time',
  inner: 'required',
  parseInner(inner: string) {
    const f = TIME_PARTS[inner.trim()];
    if (!f) throw new Error(`unknown $time part '${inner}' (sec min hour mday mon year wday yday isdst)`);
    return f;
  },
  get: (ctx, f: (d: Date) => number) => f(messageTime(ctx.msg)),
};

const TV: Record<string, (ctx: RunCtx) => string | number> = {
  s: (ctx) => messageMoment(ctx.msg).sec,
  u: (ctx) => messageMoment(ctx.msg).usec,
  sn: () => now().sec,
  un: () => now().usec,
  Sn: () => {
    const m = now();
    return `${m.sec}.${String(m.usec).padStart(6, '0')}`;
  },
};

/** `$TV(s|u)`: this message's time; `$TV(sn|un|Sn)`: now (later Kamailio releases). */
const tvClass: PvClassDef = {
  name: 'TV',
  inner: 'required',
  parseInner(inner: string) {
    const f = TV[inner.trim()];
    if (!f) throw new Error(`unknown $TV key '${inner}' (s u sn un Sn)`);
    return f;
  },
  get: (ctx, f: (ctx: RunCtx) => string | number) => f(ctx),
};

export const timePvs: PvClassDef[] = [
  ...simple('Tf', (ctx) => ctime(messageTime(ctx.msg))),
  ...simple('Ts', (ctx) => epoch(messageTime(ctx.msg))),
  ...simple('TF', () => ctime(new Date())),
  ...simple('TS', () => epoch(new Date())),
  timeClass,
  tvClass,
];
