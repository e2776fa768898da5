"""The lab domain: replays, walk-forward calibrations and the what-if of a scoring change, over
CSV folders or the service's own stored history (with its KuCoin import), run by the command line
or in the background for the API; the editable scoring algorithm a change is judged for. Its
pure parts: `app.lab.replay` and `app.lab.calibration`."""
