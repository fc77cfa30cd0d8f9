#!/usr/bin/env python3
"""Score every object of an AHUNT project on a Dask cluster; bring the scores home.

    python3 scripts/cluster/dask_score.py --scheduler tcp://HOST:8786 \\
        --model model/ --objects objects.csv --out scores/

  model/       `ahunt export <project> --format model --out model/`
  objects.csv  `ahunt export <project> --format csv --out objects.csv` (the work list)
  scores/      written here: part-NNNNN.csv and _SUCCESS; then, on the desktop,
               `ahunt score <project> --import-scores scores/`

Each task runs `ahunt score-objects` on its worker: our own Node code cuts its objects from
the source files with ingest's decode and normalisation, and scores them with onnxruntime
(onnxruntime-node, installed by `npm ci`). So the numbers the model sees on the cluster are
the ones a local round sees, bit for bit; Python here only splits the list and schedules.

Workers need: Python 3 with `distributed` (the same version as here), Node >= 20.19 with the
AHUNT checkout after `npm ci` at the path --ahunt gives, the survey files (at the paths in
the object list, or mapped with --path-map FROM=TO) and the model and --out folders on a
file system they share with this machine.

A worker that dies mid-task is replaced by the scheduler, which runs the task again on
another worker. A part is written to a temporary name and renamed into place, one file per
task, so a task run twice leaves one part: no duplicate and no missing rows.
"""

import argparse
import csv
import ctypes
import json
import os
import shlex
import shutil
import signal
import socket
import subprocess
import sys
import time
import uuid

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
DEFAULT_AHUNT = f"node {shlex.quote(os.path.join(REPO, 'bin', 'ahunt.js'))}"
WORK = "_work"


class JobError(Exception):
    """A problem the user can fix; printed as one line, exit code 1."""


def split_work_list(objects_csv, work_dir, rows_per_part):
    """Streams the object list into work lists of about rows_per_part rows each.

    A part ends between two sources where it can (so a frame is read by one task), and at
    twice the size in any case (a frame of 10^5 objects is shared by several tasks).
    Returns [(path, rows)]. Memory stays flat: rows are copied, never held.
    """
    try:
        handle = open(objects_csv, newline="", encoding="utf-8-sig")
    except OSError as error:
        raise JobError(f"{objects_csv}: cannot be read ({error.strerror})") from error
    parts = []
    with handle:
        reader = csv.reader(handle)
        header = next(reader, None)
        names = [h.strip().lower() for h in header or []]
        if "uid" not in names or "source" not in names:
            raise JobError(
                f"{objects_csv}: lacks the uid or source column; give the object list of "
                "`ahunt export <project> --format csv`"
            )
        source_at = names.index("source")
        out = writer = None
        count = 0
        last = None
        for row in reader:
            if not row or row == [""]:
                continue
            source = row[source_at] if source_at < len(row) else ""
            if out is None or count >= 2 * rows_per_part or (
                count >= rows_per_part and source != last
            ):
                if out is not None:
                    out.close()
                    parts[-1] = (parts[-1][0], count)
                path = os.path.join(work_dir, f"objects-{len(parts):06d}.csv")
                out = open(path, "w", newline="", encoding="utf-8")
                writer = csv.writer(out)
                writer.writerow(header)
                parts.append((path, 0))
                count = 0
            writer.writerow(row)
            count += 1
            last = source
        if out is not None:
            out.close()
            parts[-1] = (parts[-1][0], count)
    if not parts:
        raise JobError(f"{objects_csv}: lists no objects")
    return parts


def _die_with_parent():
    # Linux: the Node process dies with the worker that started it, so a killed worker leaves
    # no orphan scoring on; the task's re-run elsewhere is the only one left.
    if sys.platform.startswith("linux"):
        PR_SET_PDEATHSIG = 1
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)


def score_part(work_list, part, model, ahunt, threads, path_maps, attempts_dir):
    """One task: `ahunt score-objects` on this worker. Returns what it wrote."""
    started = time.time()
    if attempts_dir:
        marker = f"{os.path.basename(part)}.{socket.gethostname()}.{os.getpid()}.{time.time_ns()}"
        open(os.path.join(attempts_dir, marker), "w").close()
    command = ahunt + ["score-objects", model, work_list, "--out", part, "--json"]
    command += ["--threads", str(threads)]
    for mapping in path_maps:
        command += ["--path-map", mapping]
    try:
        done = subprocess.run(
            command,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            preexec_fn=_die_with_parent,
        )
    except OSError as error:
        raise RuntimeError(
            f"cannot run {shlex.join(command[:2])} on {socket.gethostname()} ({error.strerror}); "
            "install Node >= 20.19 and the AHUNT checkout (npm ci) on every worker, "
            "or say where it is with --ahunt"
        ) from error
    if done.returncode != 0:
        why = (done.stderr or done.stdout).strip().splitlines()
        raise RuntimeError(f"{socket.gethostname()}: {why[-1] if why else done.returncode}")
    result = json.loads(done.stdout.strip().splitlines()[-1])
    return {
        "part": os.path.basename(part),
        "rows": result["rows"],
        "node_seconds": result["seconds"],
        "task_seconds": time.time() - started,
        "worker": f"{socket.gethostname()}:{os.getpid()}",
    }


def check_worker(ahunt, model):
    """Run on every worker before the job: say what is missing there, in one line."""
    problems = []
    node = shutil.which(ahunt[0]) if not os.path.isabs(ahunt[0]) else ahunt[0]
    if not node or not os.access(node, os.X_OK):
        problems.append(f"no {ahunt[0]} (install Node >= 20.19)")
    script = next((a for a in ahunt[1:] if a.endswith(".js")), None)
    if script and not os.path.isfile(script):
        problems.append(f"no {script} (put the AHUNT checkout there and run npm ci)")
    if not os.path.isfile(os.path.join(model, "model.onnx")):
        problems.append(f"no {model}/model.onnx (the model folder must be on a shared disk)")
    return problems


def connect(args):
    from dask.distributed import Client, LocalCluster

    if args.local:
        import logging

        cluster = LocalCluster(
            silence_logs=logging.ERROR,
            n_workers=args.local,
            threads_per_worker=1,
            processes=True,
            dashboard_address=None,
        )
        return Client(cluster), cluster
    if args.scheduler_file:
        return Client(scheduler_file=args.scheduler_file, timeout=args.connect_timeout), None
    return Client(args.scheduler, timeout=args.connect_timeout), None


def run(args):
    model = os.path.abspath(args.model)
    out = os.path.abspath(args.out)
    ahunt = shlex.split(args.ahunt)
    if os.path.exists(out) and os.listdir(out):
        raise JobError(
            f"{out} is not empty; give the job a new folder (parts of another run would be "
            "imported twice)"
        )
    work_dir = os.path.join(out, WORK)
    os.makedirs(work_dir)
    started = time.time()
    parts = split_work_list(args.objects, work_dir, args.part_size)
    width = max(5, len(str(len(parts) - 1)))
    names = [os.path.join(out, f"part-{i:0{width}d}.csv") for i in range(len(parts))]
    attempts_dir = os.path.abspath(args.attempts_dir) if args.attempts_dir else None
    if attempts_dir:
        os.makedirs(attempts_dir, exist_ok=True)

    client, cluster = connect(args)
    try:
        if args.min_workers:
            client.wait_for_workers(args.min_workers, timeout=args.connect_timeout)
        workers = client.scheduler_info()["workers"]
        if not workers:
            raise JobError("the scheduler has no workers; start some (dask worker ADDRESS)")
        for address, problems in client.run(check_worker, ahunt, model).items():
            if problems:
                raise JobError(f"worker {address}: " + "; ".join(problems))
        threads = {w["nthreads"] for w in workers.values()}
        token = uuid.uuid4().hex[:8]
        futures = [
            client.submit(
                score_part,
                work,
                name,
                model,
                ahunt,
                args.threads or max(1, min(threads)),
                args.path_map,
                attempts_dir,
                key=f"ahunt-score-{os.path.basename(name)}-{token}",
                pure=False,
                retries=args.retries,
            )
            for (work, _), name in zip(parts, names)
        ]
        results = client.gather(futures)
    finally:
        client.close()
        if cluster is not None:
            cluster.close()

    # Every part is there with every row of its work list: nothing lost, nothing twice.
    for (_, rows), name, result in zip(parts, names, results):
        if not os.path.isfile(name):
            raise JobError(f"{name} is missing though its task reported {result['rows']} rows")
        if result["rows"] != rows:
            raise JobError(f"{result['part']} has {result['rows']} rows for {rows} objects")
    for name in os.listdir(out):  # temporary files of attempts killed mid-write
        if name.startswith(".part-") and ".tmp-" in name:
            os.remove(os.path.join(out, name))
    if not args.keep_work:
        shutil.rmtree(work_dir)
    open(os.path.join(out, "_SUCCESS"), "w").close()
    seconds = time.time() - started
    objects = sum(rows for _, rows in parts)
    return {
        "objects": objects,
        "parts": len(parts),
        "workers": len(workers),
        "seconds": round(seconds, 3),
        "objects_per_second": round(objects / seconds, 1),
        "task_seconds": round(sum(r["task_seconds"] for r in results), 3),
        "node_seconds": round(sum(r["node_seconds"] for r in results), 3),
        "out": out,
        "tasks": results,
    }


def main(argv=None):
    parser = argparse.ArgumentParser(
        description="Score an AHUNT project's objects on a Dask cluster.",
        epilog="Then: ahunt score <project> --import-scores OUT",
    )
    where = parser.add_mutually_exclusive_group(required=True)
    where.add_argument("--scheduler", help="scheduler address, e.g. tcp://10.0.0.5:8786")
    where.add_argument("--scheduler-file", help="the file `dask scheduler --scheduler-file` wrote")
    where.add_argument(
        "--local", type=int, metavar="N", help="start N local worker processes (to try it)"
    )
    parser.add_argument("--model", required=True, help="the exported model folder")
    parser.add_argument("--objects", required=True, help="`ahunt export --format csv` output")
    parser.add_argument("--out", required=True, help="new folder for the score parts")
    parser.add_argument("--part-size", type=int, default=20000, help="objects per task")
    parser.add_argument(
        "--path-map",
        action="append",
        default=[],
        metavar="FROM=TO",
        help="the survey folder on the desktop = the same folder on the workers",
    )
    parser.add_argument("--ahunt", default=DEFAULT_AHUNT, help="command that runs ahunt on a worker")
    parser.add_argument("--threads", type=int, default=0, help="onnxruntime threads per task")
    parser.add_argument("--retries", type=int, default=1, help="re-runs of a failed task")
    parser.add_argument("--connect-timeout", default="30s")
    parser.add_argument(
        "--min-workers", type=int, default=0, help="wait until this many workers have joined"
    )
    parser.add_argument("--keep-work", action="store_true", help="keep OUT/_work (the split list)")
    parser.add_argument("--attempts-dir", help="record each task attempt here (tests)")
    parser.add_argument("--json", action="store_true", help="print the summary as JSON")
    args = parser.parse_args(argv)
    if args.part_size < 1:
        parser.error("--part-size must be at least 1")
    try:
        summary = run(args)
    except JobError as error:
        print(f"dask_score: {error}", file=sys.stderr)
        return 1
    except Exception as error:  # a task's failure, as the worker reported it
        print(f"dask_score: {type(error).__name__}: {error}", file=sys.stderr)
        return 1
    if args.json:
        print(json.dumps(summary))
    else:
        print(
            f"{summary['objects']} objects in {summary['parts']} parts on {summary['workers']} "
            f"workers: {summary['seconds']} s ({summary['objects_per_second']} objects/s). "
            f"Import with: ahunt score <project> --import-scores {summary['out']}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
