import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportModel, importScores } from '../../src-main/engine/export';
import { getScore } from '../../src-main/engine/store';
import { hasAstropy, livedProject, python, tempDir, type Fixture, removeTempDirs } from './helpers';

// The README's "Surveys larger than one machine" path: a cluster job reads the exported
// ahunt-model.json, scores with model.onnx, and writes CSV the way Spark or Python write it.
// These files are built only from what the README tells such a job, so a change to the
// column naming or the score formula that the README does not follow breaks this test.

interface Meta {
  classes: string[];
  interest: number[];
}

/** The column rule the README gives: p_ + the class name, other characters runs → one _. */
function columnFor(name: string): string {
  return `p_${name
    .normalize('NFKD')
    .replace(/[^A-Za-z0-9_]+/g, '_')
    .replace(/^_+|_+$/g, '')}`;
}

/** Made-up probabilities for object i (what onnxruntime would have said), summing to 1. */
function probsFor(i: number, classes: number): number[] {
  const raw = Array.from({ length: classes }, (_, c) => 1 + ((i * 7 + c * 3) % 11));
  const sum = raw.reduce((a, b) => a + b, 0);
  return raw.map((v) => Math.fround(v / sum));
}

/** Java's Double.toString, as Spark's CSV writer prints doubles: exponents as 1.0E-4. */
function javaDouble(v: number): string {
  if (v !== 0 && (Math.abs(v) < 1e-3 || Math.abs(v) >= 1e7)) {
    const [mantissa, exponent] = v.toExponential().split('e');
    return `${mantissa!.includes('.') ? mantissa : `${mantissa}.0`}E${Number(exponent)}`;
  }
  return Number.isInteger(v) ? `${v}.0` : String(v);
}

/** RFC 4180 quoting, as Spark and Python's csv module write a field that needs it. */
function csvField(text: string): string {
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

describe('importing scores written by a cluster job (Spark / Ray / pandas)', () => {
  let f: Fixture;
  let meta: Meta;
  let folder: string;
  beforeAll(async () => {
    f = await livedProject();
    folder = join(tempDir(), 'model');
    await exportModel(f.project, folder);
    meta = JSON.parse(readFileSync(join(folder, 'ahunt-model.json'), 'utf8')) as Meta;
  });
  afterAll(() => {
    f.project.close();
    rmSync(f.dir, { recursive: true, force: true });
    removeTempDirs();
  });

  it('reads a Spark part file: header row, Java-style doubles with exponents, quoted uids', () => {
    const columns = meta.classes.map(columnFor);
    const lines = [['uid', 'score', ...columns].join(',')];
    const expected = new Map<number, number>();
    f.uids.forEach((uid, i) => {
      const p = probsFor(i, meta.classes.length);
      // A tiny probability in one column, the way a confident softmax prints.
      p[0] = i === 2 ? Math.fround(3.4e-5) : p[0]!;
      const score = p.reduce((sum, v, c) => sum + v * meta.interest[c]!, 0);
      expected.set(f.ids[i]!, score);
      lines.push([csvField(uid), javaDouble(score), ...p.map(javaDouble)].join(','));
    });
    const dir = join(tempDir(), 'scores');
    mkdirSync(dir);
    const part = join(dir, 'part-00000-5b1c9e2a-0000-4c53-9b1e-000000000000-c000.csv');
    writeFileSync(part, `${lines.join('\n')}\n`);
    expect(lines.some((l) => l.includes('E-5'))).toBe(true);

    const result = importScores(f.project, part);
    expect(result.rows).toBe(f.uids.length);
    for (const [id, score] of expected) {
      expect(getScore(f.project.db, id)!.score).toBeCloseTo(score, 12);
    }
    expect(getScore(f.project.db, f.ids[2]!)!.probs[0]).toBe(Math.fround(3.4e-5));
  });

  /** A Spark output folder: the rows split over parts (the second gzip-compressed), plus its markers. */
  function sparkFolder(badLastLine = false): { dir: string; scores: Map<number, number> } {
    const columns = meta.classes.map(columnFor);
    const header = ['uid', 'score', ...columns].join(',');
    const scores = new Map<number, number>();
    const lines = f.uids.map((uid, i) => {
      const p = probsFor(i + 3, meta.classes.length);
      const score = p.reduce((sum, v, c) => sum + v * meta.interest[c]!, 0);
      scores.set(f.ids[i]!, score);
      return [csvField(uid), javaDouble(score), ...p.map(javaDouble)].join(',');
    });
    if (badLastLine) lines[lines.length - 1] = lines.at(-1)!.replace(/,[^,]*$/, ',NaNish');
    const half = Math.ceil(lines.length / 2);
    const dir = join(tempDir(), 'scores.csv');
    mkdirSync(dir);
    writeFileSync(
      join(dir, 'part-00000-abc-c000.csv'),
      `${[header, ...lines.slice(0, half)].join('\n')}\n`,
    );
    writeFileSync(
      join(dir, 'part-00001-abc-c000.csv.gz'),
      gzipSync(`${[header, ...lines.slice(half)].join('\n')}\n`),
    );
    writeFileSync(join(dir, '_SUCCESS'), '');
    writeFileSync(join(dir, '.part-00000-abc-c000.csv.crc'), 'crc');
    return { dir, scores };
  }

  it('reads the folder a Spark job wrote: every part, gzip ones too, markers skipped', () => {
    const { dir, scores } = sparkFolder();
    const result = importScores(f.project, dir);
    expect(result.rows).toBe(f.uids.length);
    for (const [id, score] of scores) {
      expect(getScore(f.project.db, id)!.score).toBeCloseTo(score, 12);
    }
  });

  it('imports nothing when any part has a bad line, and names the part and line', () => {
    const before = f.ids.map((id) => getScore(f.project.db, id)?.score);
    const { dir } = sparkFolder(true);
    expect(() => importScores(f.project, dir)).toThrow(
      /part-00001-abc-c000\.csv\.gz: line \d+: p_\w+ "NaNish" is not a number/,
    );
    expect(f.ids.map((id) => getScore(f.project.db, id)?.score)).toEqual(before);
    const empty = join(tempDir(), 'empty');
    mkdirSync(empty);
    writeFileSync(join(empty, '_SUCCESS'), '');
    expect(() => importScores(f.project, empty)).toThrow(/holds no \.csv or \.csv\.gz part files/);
  });

  it('refuses a part that is a named pipe or a gzip bomb, with a reason and without hanging', () => {
    const dir = join(tempDir(), 'hostile');
    mkdirSync(dir);
    const fifo = join(dir, 'part-00000.csv');
    execFileSync('mkfifo', [fifo]);
    expect(() => importScores(f.project, fifo)).toThrow(/named pipe/);
    rmSync(fifo);
    // 1 GB of zeros packs into about 1 MB.
    const bomb = join(dir, 'part-00001.csv.gz');
    writeFileSync(bomb, gzipSync(Buffer.alloc(2 ** 30), { level: 9 }));
    expect(() => importScores(f.project, bomb)).toThrow(/inflates to more than 256 MB/);
  });

  it.skipIf(!hasAstropy())(
    "reads what Python's csv module writes from numpy float32 probabilities",
    () => {
      const file = join(tempDir(), 'scores.csv');
      const written = python<{ rows: number }>(
        `
import csv, json, re, sys, unicodedata, numpy as np
meta = json.load(open(sys.argv[1]))
uids = json.loads(sys.argv[2])
columns = ["p_" + re.sub(r"[^A-Za-z0-9_]+", "_", unicodedata.normalize("NFKD", n)).strip("_") for n in meta["classes"]]
weights = np.array(meta["interest"], dtype=np.float32)
rng = np.random.default_rng(7)
with open(sys.argv[3], "w", newline="") as out:
    w = csv.writer(out)
    w.writerow(["uid", "score", *columns])
    for uid in uids:
        p = rng.dirichlet(np.ones(len(columns))).astype(np.float32)
        w.writerow([uid, float(p @ weights), *p])
print(json.dumps({"rows": len(uids)}))
`,
        join(folder, 'ahunt-model.json'),
        JSON.stringify(f.uids),
        file,
      );
      expect(written.rows).toBe(f.uids.length);
      const result = importScores(f.project, file);
      expect(result.rows).toBe(f.uids.length);
    },
  );
});
