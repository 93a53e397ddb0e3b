/** Branch identifiers: what tm writes in its Via branch and reads back from replies. */
import fc from 'fast-check';
import { branchId, parseBranchId } from '../src/ids';

describe('tm: branch ids', () => {
  it('parseBranchId inverts branchId', () => {
    fc.assert(fc.property(fc.integer({ min: 0, max: 0xffff }), fc.integer({ min: 1, max: 0xffffffff }), fc.integer({ min: 0, max: 11 }),
      (hash, label, branch) => {
        expect(parseBranchId(branchId(hash, label, branch))).toEqual({ hash, label, branch });
      }));
  });

  it.each([
    undefined, '', 'z9hG4bK', 'z9hG4bK1.2', 'z9hG4bK1.2.3.4', 'z9hG4bK1..3', 'z9hG4bK.1.2', 'z9hG4bK1.2.', 'z9hG4bK1.2.G',
    'z9hG4bK1.2.A', 'z9hG4bK123456789.1.0', 'z9hg4bk1.2.3', 'x9hG4bK1.2.3', 'z9hG4bKsl1a2b', 'z9hG4bK-uac-1',
  ])('%p is not one of ours', (value) => {
    expect(parseBranchId(value)).toBeNull();
  });

  it('reads hex of up to 8 digits per part', () => {
    expect(parseBranchId('z9hG4bKffff.ffffffff.b')).toEqual({ hash: 0xffff, label: 0xffffffff, branch: 11 });
  });
});
