/**
 * PROTOS c07-sip: 4527 malformed INVITEs (+ teardown requests). Parsing and reading every
 * accessor must only ever fail with SipParseError, builders must not throw, and it must be quick.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseMessage, checkMessage, buildBadRequestReply, buildReply, buildForward, SipParseError } from '../../src/sip';
import { protosCase, protosCases } from '../../../test/e2e/helpers/protos';
import { CORPUS, rcvFrom, touchAll } from './helpers';

/** Where the cases say they come from (their Via), and where the parser is told they did. */
const LOCAL_PORT = 21001;
const rcv = rcvFrom('127.0.0.1', LOCAL_PORT);

describe('PROTOS c07-sip', () => {
  const names = protosCases();

  test('case 0 is a valid INVITE', () => {
    const [invite, teardown] = protosCase(names[0], LOCAL_PORT);
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
      const [invite, teardown] = protosCase(names[i], LOCAL_PORT);
      const stat = caught.get(groupOf.get(i)!) ?? [0, 0];
      caught.set(groupOf.get(i)!, stat);
      stat[1]++;
      for (const buf of [invite, teardown]) {
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
        if (buf === invite && bad) stat[0]++;
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
