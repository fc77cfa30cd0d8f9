import { parse } from '../args';
import type { Command } from '../command';
import { describeCutouts } from '../cutouts';
import { request, withProject } from '../project-call';

export const infoCommand: Command = {
  name: 'info',
  summary: 'summarise a project: objects, labels, classes, rounds, backend',
  usage: 'ahunt info <dir> [--json]',
  async run(argv, io) {
    const { values, positionals } = parse(
      argv,
      { json: { type: 'boolean' } },
      {
        min: 1,
        max: 1,
        usage: this.usage,
      },
    );
    // A read-only snapshot: it works while a window or ahunt serve has the project open.
    const s = await withProject(positionals[0]!, { kind: 'read' }, (host) =>
      request(host, 'project.info', {}, io),
    );
    if (values.json) {
      io.out(JSON.stringify(s, null, 2));
      return 0;
    }
    const c = s.counts;
    io.out(
      [
        `Project   ${s.name}  (${s.dir}, schema ${s.schema})`,
        `Objects   ${c.objects} from ${c.sources} files (${c.ingestErrors} ingest errors)`,
        `Labels    ${c.labelled} objects labelled, ${c.labelEvents} label events`,
        ...(s.cutouts.shapes.length > 0 ? [`Cutouts   ${describeCutouts(s.cutouts)}`] : []),
        `Rounds    ${c.rounds}${s.round ? ` (latest: ${s.round.number}, ${s.round.status})` : ''}, ${c.models} models saved`,
        'Classes',
        ...s.classes.map(
          (k) =>
            `  ${(k.hotkey ?? '-').padEnd(2)} ${k.name.padEnd(20)} ${k.kind.padEnd(8)} interest ${k.interest}  ${k.count} labelled`,
        ),
      ].join('\n'),
    );
    return 0;
  },
};
