import { ModuleHarness } from '@sipr/sdk';
import { RouteType, type SipMsg } from '@sipr/core';

const req = 'OPTIONS sip:bob@example.com SIP/2.0\r\nVia: SIP/2.0/UDP 10.0.0.1;branch=z9hG4bK-1\r\nFrom: <sip:a@example.org>;tag=1\r\n'
  + 'To: <sip:bob@example.com>\r\nCall-ID: x1\r\nCSeq: 1 OPTIONS\r\nContent-Type: text/plain\r\nContent-Length: 5\r\n\r\nhello';
const reply = (status: string) => `SIP/2.0 ${status}\r\nVia: SIP/2.0/UDP 10.0.0.1;branch=z9hG4bK-1\r\nFrom: <sip:a@example.org>;tag=1\r\n`
  + 'To: <sip:bob@example.com>;tag=2\r\nCall-ID: x1\r\nCSeq: 1 OPTIONS\r\nContent-Length: 0\r\n\r\n';

let h: ModuleHarness;
beforeEach(async () => {
  h = await ModuleHarness.create({ modules: ['pv', 'textops', 'textopsx'] });
});
afterEach(() => h.destroy());

test('msg_apply_changes makes earlier changes visible to later searches', () => {
  const m = h.message(req);
  h.call('append_hf', ['X-Added: yes\r\n'], m);
  expect(h.call('is_present_hf', ['X-Added'], m).rc).toBe(-1);
  expect(h.call('msg_apply_changes', [], m).rc).toBe(1);
  expect(h.call('is_present_hf', ['X-Added'], m).rc).toBe(1);
  expect(h.call('search', ['^X-Added: yes'], m).rc).toBe(1);
  expect((m as SipMsg).changes).toHaveLength(0);
  expect(() => h.call('msg_apply_changes', [], m, RouteType.ONREPLY)).toThrow(/cannot be used in this route type/);
});

test('change_reply_status rewrites the status line of negative replies', () => {
  const r = h.message(reply('486 Busy Here'));
  expect(h.call('change_reply_status', ['404', 'Not at $rm'], r, RouteType.ONREPLY).rc).toBe(1);
  (r as SipMsg).applyChanges();
  expect((r as SipMsg).buf.toString('latin1')).toBe(reply('404 Not at OPTIONS'));
});

test('change_reply_status keeps the class of 1xx and 2xx replies', () => {
  expect(h.call('change_reply_status', ['500', 'No'], h.message(reply('200 OK')), RouteType.ONREPLY).rc).toBe(-1);
  expect(h.call('change_reply_status', ['202', 'Fine'], h.message(reply('200 OK')), RouteType.ONREPLY).rc).toBe(1);
  expect(h.call('change_reply_status', ['200', 'OK'], h.message(reply('180 Ringing')), RouteType.ONREPLY).rc).toBe(-1);
  expect(h.logs.join('\n')).toContain('cannot change 200 into 500');
  expect(() => h.call('change_reply_status', ['700', 'x'], h.message(reply('486 Busy')), RouteType.ONREPLY)).toThrow(/wrong status code: 700/);
});

test('remove_body drops the body and fixes Content-Length', () => {
  const m = h.message(req) as SipMsg;
  expect(h.call('remove_body', [], m).rc).toBe(1);
  m.applyChanges();
  expect(m.buf.toString('latin1')).toBe(req.replace('Content-Length: 5\r\n\r\nhello', 'Content-Length: 0\r\n\r\n'));
  expect(h.call('remove_body', [], m).rc).toBe(1);
});
