/** The built-in synthetic demo survey. */
export {
  ensureDemoProject,
  demoSurveyDir,
  type DemoProgress,
  type DemoProjectOptions,
} from './project';
export {
  generateDemoSurvey,
  DEMO_TRUTH_FILE,
  type DemoSurvey,
  type DemoSurveyOptions,
} from './survey';
export { DEMO_KINDS, DEMO_ANOMALY_KINDS, renderCutout, type DemoKind } from './kinds';
export { createRng, type Rng } from './rng';
