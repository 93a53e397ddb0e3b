/**
 * Malformed input never crashes: every message PV, transformation and select is read on every
 * message of the torture corpus that the SIP layer accepts; a read may be null, never throw.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parseMessage, SipParseError, type SipMessage } from '@sipr/core';
import { pvCore, newCtx } from './setup';
import { rcv } from '../../../core/test/pv/helpers';

const CORPUS = join(__dirname, '../../../test/corpus');

const PVS = [
  '$ru', '$rU', '$rd', '$rp', '$rP', '$ou', '$oU', '$od', '$op', '$oP', '$du', '$dd', '$dp', '$dP', '$fu', '$fU', '$fd',
  '$fn', '$ft', '$tu', '$tU', '$td', '$tn', '$tt', '$ci', '$cs', '$rm', '$rs', '$rr', '$ct', '$cT', '$cl', '$bs', '$rb',
  '$ua', '$ai', '$pu', '$pU', '$pd', '$pn', '$re', '$di', '$dir', '$dip', '$rt', '$au', '$aU', '$ad', '$ar', '$adu',
  '$si', '$sp', '$Ri', '$Rp', '$pr', '$ml', '$mb', '$mi', '$mf', '$mF', '$ds', '$br', '$bR', '$Ts', '$time(year)',
  '$hdr(Via)', '$(hdr(Via)[*])', '$(hdr(Via)[-1])', '$hdr(Contact)', '$(ru{uri.user})', '$(ru{uri.param,transport})',
  '$(fu{uri.host}{s.toupper})', '$(ct{tobody.uri}{uri.port})', '$(hdr(From){nameaddr.name})', '$(hdr(To){tobody.tag})',
  '$(hdr(Via){param.value,branch})', '$(ci{s.md5})', '$(hdr(CSeq){s.select,1, })', '$(rb{s.escape.common})',
  '$(mb{s.len})', '$(ru{s.escape.user}{s.unescape.user})',
];
const SELECTS = [
  '@ruri.user', '@ruri.params["transport"]', '@from.uri.host', '@from.tag', '@to.name', '@contact.uri.port', '@contact.q',
  '@via[1].branch', '@via[2].received', '@via[-1].host', '@cseq.num', '@cseq.method', '@call_id', '@msg.header["Route"]',
  '@msg.first_line', '@msg.body.sdp.line["m"]', '@authorization["x"].username.user', '@refer_to.uri', '@method', '@status',
];

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    if (statSync(p).isDirectory()) return files(p);
    return n.endsWith('.json') || n.endsWith('.md') || n.startsWith('.') ? [] : [p];
  });
}

test('every PV and select on every parsable corpus message reads without throwing', () => {
  const { core } = pvCore('kamailio');
  const specs = PVS.map((t) => core.pv.parse(t));
  const sels = SELECTS.map((t) => core.selects.parse(t));
  const fmt = core.pv.parseFormat('$rm $ru from $fu ($fn) to $tu via $hdr(Via) $(ct{nameaddr.uri})');
  let parsed = 0;
  const all = files(CORPUS);
  for (const f of all) {
    let msg: SipMessage;
    try {
      msg = parseMessage(readFileSync(f), rcv);
    } catch (e) {
      if (e instanceof SipParseError) continue;
      throw e;
    }
    parsed++;
    const ctx = newCtx(core, msg);
    for (const s of specs) {
      try {
        s.get(ctx);
      } catch (e) {
        throw new Error(`${s.text} threw on ${f}: ${(e as Error).stack}`);
      }
    }
    for (const s of sels) {
      try {
        s.get(ctx);
      } catch (e) {
        throw new Error(`${s.text} threw on ${f}: ${(e as Error).stack}`);
      }
    }
    expect(typeof fmt.print(ctx)).toBe('string');
  }
  expect(all.length).toBeGreaterThan(4000);
  expect(parsed).toBeGreaterThan(50);
}, 60000);
