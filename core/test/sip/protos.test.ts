/**
 * PROTOS c07-sip: 4527 malformed INVITEs (+ teardown requests). Parsing and reading every
 * accessor must only ever fail with SipParseError, builders must not throw, and it must be quick.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseMessage, checkMessage, buildBadRequestReply, buildReply, buildForward, SipParseError } from '../../src/sip';
import { CORPUS, rcvFrom, touchAll } from './helpers';

const rcv = rcvFrom('127.0.0.1', 21001);

/** The two length-prefixed records of a case file. */
function records(file: Buffer): Buffer[] {
  const out: Buffer[] = [];
  let p = 0;
  while (p < file.length) {
    const sp = file.indexOf(32, p);
    const n = Number(file.toString('latin1', p, sp));
    out.push(file.subarray(sp + 1, sp + 1 + n));
    p = sp + 1 + n;
  }
  return out;
}

function fill(template: Buffer, index: number): Buffer {
  let s = template.toString('latin1')
    .replaceAll('<To>', 'bob@127.0.0.1')
    .replaceAll('<From>', 'alice@127.0.0.1')
    .replaceAll('<From-Address>', '127.0.0.1')
    .replaceAll('<From-IP>', '127.0.0.1')
    .replaceAll('<Local-Port>', '21001')
    .replaceAll('<Branch-ID>', String(index))
    .replaceAll('<Call-ID>', `protos-${index}`)
    .replaceAll('<CSeq>', '1')
    .replaceAll('<Teardown-Method>', 'CANCEL');
  const sep = s.indexOf('\r\n\r\n');
  const bodyLength = sep < 0 ? 0 : s.length - sep - 4;
  s = s.replaceAll('<Content-Length>', String(bodyLength));
  return Buffer.from(s, 'latin1');
}

describe('PROTOS c07-sip', () => {
  const dir = join(CORPUS, 'protos/cases');
  const names = readdirSync(dir).sort();

  test('case 0 is a valid INVITE', () => {
    const [invite, teardown] = records(readFileSync(join(dir, names[0]))).map((r) => fill(r, 0));
    const m = parseMessage(invite, rcv);
    expect(checkMessage(m)).toBeNull();
    expect(touchAll(m)).toBe(0);
    expect([m.method, m.uri().host, m.callId(), m.body.length > 0]).toEqual(['INVITE', '127.0.0.1', 'protos-0@127.0.0.1', true]);
    expect(parseMessage(teardown, rcv).method).toBe('CANCEL');
  });

  test('all cases: only SipParseError, never a crash or hang', () => {
    expect(names.length).toBe(4527);
    const manifest = JSON.parse(readFileSync(join(CORPUS, 'protos/manifest.json'), 'utf8')) as {
      groups: { group: string; first_case: number; last_case: number }[];
    };
    const groupOf = new Map<number, string>();
    for (const g of manifest.groups) for (let i = g.first_case; i <= g.last_case; i++) groupOf.set(i, g.group);
    // per group: INVITEs caught (parse error or checkMessage problem) / total
    const caught = new Map<string, [number, number]>();
    const started = Date.now();
    let answered = 0;
    for (let i = 0; i < names.length; i++) {
      const [invite, teardown] = records(readFileSync(join(dir, names[i])));
      const stat = caught.get(groupOf.get(i)!) ?? [0, 0];
      caught.set(groupOf.get(i)!, stat);
      stat[1]++;
      for (const rec of [invite, teardown]) {
        const buf = fill(rec, i);
        let bad = false;
        try {
          const m = parseMessage(buf, rcv);
          touchAll(m);
          const problem = checkMessage(m);
          bad = problem !== null;
          if (m.isRequest && m.method !== 'ACK') {
            buildReply(m, problem?.code ?? 200, problem?.reason ?? 'OK');
            try {
              buildForward(m, { via: { transport: 'UDP', host: '127.0.0.1', port: 21000, branch: 'z9hG4bKp' }, decrementMaxForwards: true });
            } catch (e) {
              // forwarding reads Max-Forwards, which may be the malformed part
              if (!(e instanceof SipParseError)) throw e;
            }
          }
        } catch (e) {
          if (!(e instanceof SipParseError)) throw new Error(`case ${names[i]}: ${(e as Error).stack}`);
          bad = true;
          if (buildBadRequestReply(buf, rcv, e.message)) answered++;
        }
        if (rec === invite && bad) stat[0]++;
      }
    }
    const elapsed = Date.now() - started;
    expect(caught.get('valid')).toEqual([0, 1]);
    // groups whose every mutation breaks SIP syntax are caught completely
    for (const g of [
      'sip-method', 'sip-version', 'sip-via-tag', 'sip-from-colon', 'sip-to', 'sip-cseq-string', 'sip-contact-left-paranthesis',
      'sip-contact-right-paranthesis', 'sip-to-left-paranthesis', 'sip-to-right-paranthesis',
    ]) {
      const [n, total] = caught.get(g)!;
      expect([g, n]).toEqual([g, total]);
    }
    // SDP mutations are the body's business: the SIP layer forwards them untouched
    for (const [g, [n]] of caught) if (g.startsWith('sdp-')) expect([g, n]).toEqual([g, 0]);
    // unparsable requests still get a 400 when Via/From/To/Call-ID/CSeq survived the mutation
    expect(answered).toBeGreaterThan(100);
    // about 2 s on an idle machine; the bound only has to catch a hang on a loaded one
    expect(elapsed).toBeLessThan(60000);
  }, 120000);
});
