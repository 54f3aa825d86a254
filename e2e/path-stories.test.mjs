// The generated multi-point stories (crate/src/craft/paths: a Kubernetes
// overlay, an IPv6 sweep with Packet Too Big, fragmentation/TSO/GRO, three
// clocks) dropped in the page in their order and reversed (issue 22): the
// columns are the story's path as its truth knows it, as many packets are
// lost, and both orders give the same counts and findings (the journeys
// themselves are compared frame by frame in every order by the Rust tests
// `path_stories.rs` and `cli/tests/path_order.rs`; scrolling a table of a
// thousand rows here would add half a minute). The captures and what to
// expect are committed by `committed_stories_are_what_the_generators_make`.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { repoRoot, useApp, assertClean, dropFiles, openApp, pathDone } from './lib.mjs';

const stories = path.join(repoRoot, 'tests', 'path-stories');
const app = useApp();

for (const name of fs.readdirSync(stories).sort()) {
  const dir = path.join(stories, name);
  const expected = JSON.parse(fs.readFileSync(path.join(dir, 'expected.json'), 'utf8'));
  const files = expected.files.map((f) => path.join(dir, f));
  test(`path view: the ${name} story, its files dropped in order and reversed`, async () => {
    const answers = [];
    for (const order of [files, [...files].reverse()]) {
      const { page, context, log } = await openApp(app);
      try {
        await dropFiles(page, order);
        await pathDone(page);
        const view = page.locator('[data-testid=path-view]');
        const status = await view.locator('[data-testid=path-status]').textContent();
        const got = {
          columns: await view.locator('[data-testid=path-point]').allTextContents(),
          // "N packets followed across P points in T ms: L lost, C changed size." without the time.
          counts: status.replace(/ in [\d,.]+ ms/, ''),
          findings: await view.locator('[data-testid=path-finding]').allTextContents(),
        };
        assert.deepEqual(got.columns, expected.columns, `${name}: the columns in path order`);
        const lost = Number(status.match(/([\d,]+) lost/)[1].replace(/,/g, ''));
        assert.equal(lost, expected.lost, `${name}: the packets lost`);
        answers.push(got);
        assertClean(log);
      } finally {
        await context.close();
      }
    }
    assert.deepEqual(answers[1], answers[0], `${name}: the same counts and findings in both orders`);
  });
}
