"""A real SAMP hub (astropy's) for the tests: writes its lockfile where told, says "ready",
and runs until its standard input closes or it is killed (a hub that dies mid-send).

With "die-in-callAll" as the second argument it forwards the first samp.hub.callAll and
then exits before answering it: the race a hub shut down during a send can produce."""
import os
import sys
import time

from astropy.samp import SAMPHubServer

hub = SAMPHubServer(web_profile=False, lockfile=sys.argv[1], label="test hub")
if sys.argv[2:] == ["die-in-callAll"]:
    forward = hub._call_all

    def forward_then_die(*args):
        forward(*args)
        time.sleep(0.5)  # the forwarding thread delivers the message meanwhile
        os._exit(3)

    hub._call_all = forward_then_die
hub.start(wait=False)
print("ready", flush=True)
sys.stdin.read()
hub.stop()
