import type { Input, SampSendReport, SampStatus } from '../../contract/contract';
import { intOption, parse } from '../args';
import { UserError, type CliIo, type Command } from '../command';
import { request, withProject } from '../project-call';
import { classIdByName } from './class-by-name';

const WHATS = ['cutout', 'frame', 'point'] as const;

/**
 * `ahunt samp`: speak to TOPCAT, DS9 and Aladin through the SAMP hub on this machine. Like
 * every door it goes through the app api: the project is opened headless and each action is
 * a `samp.*` request to dispatch, on a read-only snapshot (sending never writes the project).
 */
export const sampCommand: Command = {
  name: 'samp',
  summary: 'send the catalogue, a class, a cutout or a position to TOPCAT, DS9 or Aladin (SAMP)',
  usage:
    'ahunt samp status <project>\n' +
    'ahunt samp send <project> [--class NAME] [--labelled-only]\n' +
    'ahunt samp send <project> --object ID --what cutout|frame|point\n' +
    '  status: the SAMP hub found (~/.samp or $SAMP_HUB) and who listens\n' +
    '  send:   the catalogue (or one class) as a VOTable to every table viewer (TOPCAT);\n' +
    '          --object with --what: its cutout or frame to DS9/Aladin, or its position\n' +
    '  --timeout S: how long to wait for the peers to answer (default 10)',
  async run(argv, io) {
    const [action, ...rest] = argv;
    if (action !== 'send' && action !== 'status')
      throw new UserError(`say what to do: ahunt samp status|send <project>. Usage: ${this.usage}`);
    const { values, positionals } = parse(
      rest,
      {
        class: { type: 'string' },
        'labelled-only': { type: 'boolean' },
        object: { type: 'string' },
        what: { type: 'string' },
        timeout: { type: 'string' },
      },
      { min: 1, max: 1, usage: this.usage },
    );
    const timeout = intOption(values.timeout, 'timeout', 10);
    if (timeout < 1) throw new UserError('--timeout must be at least 1 second.');
    const what = values.what as (typeof WHATS)[number] | undefined;
    if (what !== undefined && !WHATS.includes(what))
      throw new UserError(`--what must be one of ${WHATS.join(', ')}, not "${what}".`);
    if ((what === undefined) !== (values.object === undefined))
      throw new UserError(
        '--object and --what go together: ahunt samp send <project> --object ID --what point',
      );
    if (values.object !== undefined && values.class !== undefined)
      throw new UserError('send either a class (--class) or an object (--object), not both.');
    const objectId =
      values.object === undefined ? undefined : intOption(values.object, 'object', 0);

    // Sending reads the project: a snapshot, so it works while a window has the project open.
    return withProject(
      positionals[0]!,
      { kind: 'read', samp: { replyTimeoutMs: timeout * 1000 } },
      async (host) => {
        const status = await request(host, 'samp.connect', {}, io);
        if (action === 'status') {
          printStatus(status, io);
          return status.state === 'connected' ? 0 : 1;
        }
        let input: Input<'samp.send'> = { what: 'catalogue' };
        if (values.class !== undefined) {
          const info = await request(host, 'project.info', {}, io);
          input = { what: 'class', classId: classIdByName(info.classes, values.class) };
        } else if (what !== undefined && objectId !== undefined) input = { what, objectId };
        if (values['labelled-only']) input = { ...input, labelledOnly: true };
        const report = await request(host, 'samp.send', input, io);
        printReport(report, io);
        return report.recipients.some((r) => r.ok) ? 0 : 1;
      },
    );
  },
};

function printStatus(status: SampStatus, io: CliIo): void {
  io.out(status.hub ? `Hub      ${status.hub}` : `Hub      none: ${status.message}`);
  for (const p of status.peers)
    io.out(
      `  ${p.name.padEnd(24)} ${p.listensTo.length ? p.listensTo.join(', ') : '(none of ours)'}`,
    );
  if (status.problem) io.out(`Problem  ${status.problem}`);
}

function printReport(report: SampSendReport, io: CliIo): void {
  io.out(`Sent ${report.sent} as ${report.mtype} to ${report.recipients.length} client(s):`);
  for (const r of report.recipients)
    io.out(`  ${r.name.padEnd(24)} ${r.ok ? 'ok' : 'FAILED'}${r.message ? `: ${r.message}` : ''}`);
}
