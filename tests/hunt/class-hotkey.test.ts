/** A class can be made on the digit the expert pressed; a digit in use is refused in words. */
import { describe, expect, it } from 'vitest';
import { createLocalRunner } from '../../src-main/engine/hunt/local-runner';
import { HuntSession } from '../../src-main/engine/hunt/session';
import { tempDir } from '../store/helpers';
import { syntheticProject } from './synthetic';

describe('creating a class on a chosen key', () => {
  it('takes the key asked for, and refuses one another class holds', async () => {
    const { project } = syntheticProject(tempDir(), 20, 2);
    const session = await HuntSession.open(project, createLocalRunner());
    expect(session.createClass('lens', 'anomaly', '7').hotkey).toBe('7');
    expect(session.createClass('ring').hotkey).toBe('1');
    expect(() => session.createClass('arc', 'anomaly', '7')).toThrow(/Key 7 already labels "lens"/);
    expect(session.createClass('arc', 'anomaly', null).hotkey).toBeNull();
    await session.close();
    project.close();
  });
});
