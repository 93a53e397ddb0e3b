import { recs } from './harness';

test('if/else and a module call', async () => {
  expect(await recs(`if (method == "INVITE") { rec("inv $rm"); } else { rec("other"); }`)).toEqual(['inv INVITE']);
});
