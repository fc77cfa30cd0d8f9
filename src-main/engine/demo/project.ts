import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ingest } from '../ingest/ingest';
import type { IngestSummary } from '../ingest/types';
import { createProject, isProject, openProject, type Project } from '../store/project';
import { getMeta, setMeta } from '../store/settings';
import { DEMO_TRUTH_FILE, generateDemoSurvey } from './survey';

export interface DemoProgress {
  phase: 'generate' | 'ingest';
  done: number;
  total: number;
}

export interface DemoProjectOptions {
  count?: number;
  seed?: number;
  workers?: number;
  onProgress?: (progress: DemoProgress) => void;
}

/** Where the demo's survey files live inside its project folder. */
export function demoSurveyDir(dir: string): string {
  return join(resolve(dir), 'survey');
}

/**
 * Opens the built-in demo project in `dir`, making it on first use: the synthetic survey is
 * written to `<dir>/survey/` (with its ground truth in `survey/truth.csv`, not imported as
 * labels) and ingested. Interrupted halfway, the next call finishes the job: generation
 * restarts if truth.csv (written last) is missing, and ingestion resumes.
 */
export async function ensureDemoProject(
  dir: string,
  options: DemoProjectOptions = {},
): Promise<Project> {
  const count = options.count ?? 2500;
  const seed = options.seed ?? 1;
  const project = isProject(dir) ? openProject(dir) : createProject(dir, { name: 'Demo survey' });
  try {
    const surveyDir = demoSurveyDir(dir);
    // Marked complete only after a clean ingest; count and seed apply when it is first made.
    if (getMeta(project.db, 'demo_survey') !== undefined) return project;
    if (!existsSync(join(surveyDir, DEMO_TRUTH_FILE))) {
      generateDemoSurvey(surveyDir, {
        count,
        seed,
        onProgress: (done, total) => options.onProgress?.({ phase: 'generate', done, total }),
      });
    }
    const summary: IngestSummary = await ingest(project, [surveyDir], {
      size: 64,
      ...(options.workers === undefined ? {} : { workers: options.workers }),
      onProgress: (p) => options.onProgress?.({ phase: 'ingest', done: p.done, total: p.total }),
    });
    if (summary.rejected > 0) {
      throw new Error(
        `the demo survey did not ingest cleanly: ${summary.errors.map((e) => e.reason).join('; ')}`,
      );
    }
    setMeta(project.db, 'demo_survey', JSON.stringify({ count, seed }));
    return project;
  } catch (error) {
    project.close();
    throw error;
  }
}
