"""A real SAMP client (astropy's) that plays TOPCAT/DS9/Aladin for the tests.

It registers with the hub whose lockfile is argv[1], subscribes to what AHUNT sends, and
reports each message as one JSON line on stdout, after reading what it points at the way a
real peer would: the VOTable with astropy.table, the FITS image with astropy.io.fits.
Commands arrive as JSON lines on stdin: {"send": mtype, "params": {...}} broadcasts a
notification (a highlight, a selection, a pointing); {"clients": true} lists the registered
clients' metadata; {"quit": true} ends it.
With --silent it subscribes but never answers a call (a peer that hangs). With --fits it also
takes table.load.fits, as TOPCAT does.
"""
import json
import sys
import threading
import urllib.parse
import urllib.request

import numpy as np
from astropy.io import fits
from astropy.wcs import WCS
from astropy.samp import SAMPIntegratedClient
from astropy.samp.lockfile_helpers import read_lockfile
from astropy.table import Table

lockfile = sys.argv[1]
silent = "--silent" in sys.argv
# --summary: report a table's size only (for timing a large send, not checking its cells)
summary = "--summary" in sys.argv
takes_fits = "--fits" in sys.argv
name = next((a.split("=", 1)[1] for a in sys.argv if a.startswith("--name=")), "Test Peer")
out_lock = threading.Lock()


def say(obj):
    with out_lock:
        sys.stdout.write(json.dumps(obj) + "\n")
        sys.stdout.flush()


def local_path(url):
    parsed = urllib.parse.urlparse(url)
    return urllib.request.url2pathname(parsed.path)


def plain(value):
    """A cell as JSON: masked and NaN become None, numpy scalars plain numbers."""
    if value is np.ma.masked:
        return None
    if isinstance(value, (np.floating, float)):
        return None if np.isnan(value) else float(value)
    if isinstance(value, (np.integer,)):
        return int(value)
    if isinstance(value, bytes):
        return value.decode()
    return value if isinstance(value, (str, int, type(None))) else str(value)


def ucd_of(table, index, name):
    """A VOTable column's UCD is column metadata; a FITS table's is its TUCDn keyword."""
    column = table[name]
    return (
        column.meta.get("ucd")
        or getattr(column, "ucd", None)
        or table.meta.get("TUCD%d" % (index + 1))
    )


def describe(mtype, params):
    if mtype in ("table.load.votable", "table.load.fits"):
        fmt = "votable" if mtype == "table.load.votable" else "fits"
        table = Table.read(local_path(params["url"]), format=fmt)
        return {
            "rows": len(table),
            "columns": [
                {"name": c, "ucd": ucd_of(table, i, c)} for i, c in enumerate(table.colnames)
            ],
            "cells": {}
            if summary
            else {c: [plain(v) for v in table[c]] for c in table.colnames},
        }
    if mtype == "image.load.fits":
        with fits.open(local_path(params["url"])) as hdus:
            data = hdus[0].data
            read = {
                "shape": list(data.shape),
                "sum": float(np.sum(data, dtype=np.float64)),
                # a cube's planes are its bands
                "planeSums": [float(np.sum(p, dtype=np.float64)) for p in data]
                if data.ndim == 3
                else [float(np.sum(data, dtype=np.float64))],
                "centre": None,
                "corner": None,
                "bunit": hdus[0].header.get("BUNIT"),
                # every value (band after band, row after row) of a small image; NaN as None
                "values": [None if np.isnan(v) else float(v) for v in data.ravel()]
                if data.size <= 20000
                else None,
            }
            sky = WCS(hdus[0].header)
            if sky.has_celestial:
                # the world coordinates of the centre of the image (0-based pixel coordinates)
                c = (data.shape[-1] - 1) / 2
                centre, corner = sky.celestial.wcs_pix2world([[c, c], [0, 0]], 0)
                read["centre"] = [float(centre[0]), float(centre[1])]
                read["corner"] = [float(corner[0]), float(corner[1])]
            return read
    return {}


client = SAMPIntegratedClient(name=name, description="AHUNT test peer")
client.connect(hub_params=read_lockfile(lockfile))


def on_call(private_key, sender_id, msg_id, mtype, params, extra):
    if silent:
        say({"mtype": mtype, "params": params, "silent": True})
        return
    try:
        say({"mtype": mtype, "params": params, "read": describe(mtype, params)})
        client.reply(msg_id, {"samp.status": "samp.ok", "samp.result": {}})
    except Exception as error:  # a bad file must show up as an error reply, not a dead peer
        say({"mtype": mtype, "params": params, "error": str(error)})
        client.reply(
            msg_id, {"samp.status": "samp.error", "samp.error": {"samp.errortxt": str(error)}}
        )


def on_notification(private_key, sender_id, mtype, params, extra):
    say({"mtype": mtype, "params": params, "notified": True})


receives = ["table.load.votable", "image.load.fits", "coord.pointAt.sky"]
if takes_fits:
    receives.append("table.load.fits")
for mtype in receives:
    client.bind_receive_call(mtype, on_call)
client.bind_receive_notification("table.highlight.row", on_notification)
say({"ready": client.get_public_id()})

for line in sys.stdin:
    command = json.loads(line)
    if command.get("quit"):
        break
    if command.get("clients"):
        ids = client.get_registered_clients()
        say({"clients": {i: client.get_metadata(i) for i in ids}})
    if "send" in command:
        message = {"samp.mtype": command["send"], "samp.params": command.get("params", {})}
        if command.get("call"):
            # call_and_wait: the reply (ok or error) comes back to the test.
            reply = client.call_and_wait(command["to"], message, "10")
            say({"reply": reply})
        else:
            client.notify_all(message)
            say({"sent": command["send"]})

client.disconnect()
