"""A calibration asked to train the learned scorer where its `learned` extra is not installed (a
run queued before the image lost it, say) fails at once with the sentence of what to install,
before any fold is computed."""

from __future__ import annotations

import pytest

from app.books.replay_config import default_run_config, policy_config
from app.books.simulation.replay_params import ReplayParams
from app.configuration.registry import DEFAULTS
from app.lab.calibration.calibrating import CalibrationParams, calibrate
from app.platform.core.units import HOUR_MS
from app.scoring.scorers import learned
from tests.missing_extra import sklearn_missing
from tests.replay_data import DAY_START_MS, planted_signal

DAY_MS = 24 * HOUR_MS
BASE = policy_config(default_run_config(), DEFAULTS)


def params() -> CalibrationParams:
    window = ReplayParams(DAY_START_MS + 30 * DAY_MS, DAY_START_MS + 60 * DAY_MS, 24)
    return CalibrationParams(window, 14 * 24, 7 * 24, "ic", learned=True)


def test_it_raises_what_to_install_and_trains_no_model() -> None:
    history = planted_signal(8, 61, strength=0.02, seed=3)
    models, series = dict(learned.MODELS), dict(learned.SERIES)
    with sklearn_missing(), pytest.raises(learned.LearnedNotInstalledError) as raised:
        calibrate(history, BASE, params())
    assert str(raised.value) == learned.NOT_INSTALLED
    assert (models, series) == (learned.MODELS, learned.SERIES)
