import { formatTime } from '../../src/select/strftime';

describe('formatTime', () => {
  const d = new Date(Date.UTC(2026, 0, 5, 7, 8, 9));
  test.each([
    [null, 'Mon Jan  5 07:08:09 2026'],
    ['%Y-%m-%d %H:%M:%S', '2026-01-05 07:08:09'],
    ['%y %e %j %a %b %Z', '26  5 005 Mon Jan UTC'],
    ['%s', String(d.getTime() / 1000)],
    ['100%% %q', '100% %q'],
  ])('UTC %s', (fmt, want) => {
    expect(formatTime(d, fmt, true)).toBe(want);
  });

  test('local time uses the local fields', () => {
    expect(formatTime(d, '%H', false)).toBe(String(d.getHours()).padStart(2, '0'));
  });
});
