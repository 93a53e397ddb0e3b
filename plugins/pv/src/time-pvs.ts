/** Time PVs: this message's start time (cached per message) and the current time. */
import { formatTime, type PvClassDef, type SipMessage } from '@sipr/core';
import { simple } from './define';

// per message values are cached so every read in one message agrees
const msgTime = new WeakMap<SipMessage, Date>();
function messageTime(msg: SipMessage): Date {
  let d = msgTime.get(msg);
  if (!d) msgTime.set(msg, (d = new Date(Math.floor(Date.now() / 1000) * 1000)));
  return d;
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

export const timePvs: PvClassDef[] = [
  ...simple('Tf', (ctx) => ctime(messageTime(ctx.msg))),
  ...simple('Ts', (ctx) => epoch(messageTime(ctx.msg))),
  ...simple('TF', () => ctime(new Date())),
  ...simple('TS', () => epoch(new Date())),
  timeClass,
];
