import { execFileSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readChartArchive } from './chart-archive';

const dir = mkdtempSync(join(tmpdir(), 'ociscope-chart-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A chart archived by GNU tar and gzip, as `helm package` lays it out. */
function chart(files: Record<string, string>): Uint8Array {
  const root = join(dir, `c${Math.random().toString(36).slice(2)}`);
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(join(root, path, '..'), { recursive: true });
    writeFileSync(join(root, path), content);
  }
  const out = `${root}.tgz`;
  execFileSync('tar', [
    '-czf',
    out,
    '-C',
    root,
    ...Object.keys(files)
      .map((p) => p.split('/')[0]!)
      .filter((v, i, a) => a.indexOf(v) === i),
  ]);
  return new Uint8Array(readFileSync(out));
}

describe('readChartArchive', () => {
  it('lists the files and reads Chart.yaml and values.yaml', async () => {
    const archive = await readChartArchive(
      chart({
        'demo/Chart.yaml': 'apiVersion: v2\nname: demo\nversion: 0.1.0\n',
        'demo/values.yaml': 'replicas: 2\n',
        'demo/templates/deploy.yaml': 'kind: Deployment\n',
      }),
    );
    expect(archive.problems).toEqual([]);
    expect(archive.files.sort()).toEqual(['demo/Chart.yaml', 'demo/templates/deploy.yaml', 'demo/values.yaml']);
    expect(archive.chartYaml).toContain('name: demo');
    expect(archive.valuesYaml).toBe('replicas: 2\n');
  });

  it('says when the archive holds no chart', async () => {
    const archive = await readChartArchive(chart({ 'x/readme.txt': 'hi' }));
    expect(archive.problems).toEqual(['The archive has no Chart.yaml in its top directory: it is not a Helm chart.']);
  });

  it('says when the bytes are not gzip or tar', async () => {
    const archive = await readChartArchive(new Uint8Array([0x1f, 0x8b, 1, 2, 3]));
    expect(archive.problems[0]).toContain('does not gunzip');
  });
});
