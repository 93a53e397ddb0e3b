/** options_reply(): answer an OPTIONS addressed to the server itself (no user in the R-URI). */
import type { RunCtx, SipMsg } from '@sipr/core';
import { currentRuri } from './checks';

export const optionsHeaders = { accept: '*/*', acceptEncoding: '', acceptLanguage: 'en', supported: '' };

export type SlReply = (ctx: RunCtx, code: number, reason: string) => number;

/** 0 (stop the script) once a reply went out, -1 when the request is not for us or sending failed. */
export function optionsReply(ctx: RunCtx, send: SlReply): number {
  const msg = ctx.msg as SipMsg;
  if (msg.method !== 'OPTIONS') {
    ctx.core.log.error('options_reply: called for non-OPTIONS request');
    return -1;
  }
  const u = currentRuri(ctx);
  if (!u) return -1;
  if (u.user !== '') {
    ctx.core.log.error('options_reply: ruri contains username');
    return -1;
  }
  const o = optionsHeaders;
  msg.addReplyHeader(`Accept: ${o.accept}\r\nAccept-Encoding: ${o.acceptEncoding}\r\nAccept-Language: ${o.acceptLanguage}\r\nSupported: ${o.supported}\r\n`);
  return send(ctx, 200, 'OK') < 0 ? -1 : 0;
}
