"""A real SAMP hub (astropy's) for the tests: writes its lockfile where told, says "ready",
and runs until its standard input closes or it is killed (a hub that dies mid-send)."""
import sys

from astropy.samp import SAMPHubServer

hub = SAMPHubServer(web_profile=False, lockfile=sys.argv[1], label="test hub")
hub.start(wait=False)
print("ready", flush=True)
sys.stdin.read()
hub.stop()
