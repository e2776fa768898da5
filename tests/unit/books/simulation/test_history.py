"""Point-in-time history: nothing after t can be read, and the CSV folder reads back exactly."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import numpy as np
import pytest

from app.books.simulation.funding_index import Funding
from app.books.simulation.market_history import LookAheadError, MarketHistory, PointInTime
from app.lab.csv_source import HistoryFolderError, load_csv_folder
from app.platform.core.units import HOUR_MS
from tests.replay_data import START_MS, random_walks, write_csv_folder


class TestPointInTime:
    history = random_walks(3, 48)

    def test_candles_end_with_the_one_closed_at_t(self) -> None:
        t = START_MS + 10 * HOUR_MS  # the candle opened at START + 9 h closes at t
        closes = self.history.at(t).candles("close", 4)
        assert closes.shape == (3, 4)
        np.testing.assert_array_equal(closes, self.history.close[:, 6:10])

    def test_a_read_past_t_raises(self) -> None:
        view = self.history.at(START_MS + 10 * HOUR_MS)
        with pytest.raises(LookAheadError):
            view.candles("close", 2, until_ms=START_MS + 11 * HOUR_MS)
        with pytest.raises(LookAheadError):
            view.funding(0, since_ms=START_MS, until_ms=START_MS + 11 * HOUR_MS)

    def test_a_window_longer_than_history_is_padded_with_nan_not_invented(self) -> None:
        closes = self.history.at(START_MS + 2 * HOUR_MS).candles("close", 5)
        assert np.isnan(closes[:, :3]).all()
        np.testing.assert_array_equal(closes[:, 3:], self.history.close[:, :2])

    def test_funding_is_what_settled_by_t_and_unknown_stays_unknown(self) -> None:
        t = START_MS + 30 * HOUR_MS
        settled = self.history.at(t).funding(0, since_ms=0)
        record = self.history.funding[0]
        assert record is not None
        np.testing.assert_array_equal(settled, record.rate[record.at_ms <= t])
        unknown = random_walks(2, 24, funding=False)
        assert unknown.at(START_MS + 24 * HOUR_MS).funding(0, since_ms=0) is None
        assert not unknown.funding_known

    def test_a_symbol_exists_from_its_first_candle(self) -> None:
        history = random_walks(2, 24)
        history.close[1, :5] = np.nan
        assert history.at(START_MS + 5 * HOUR_MS).listed().tolist() == [True, False]
        assert history.at(START_MS + 6 * HOUR_MS).listed().tolist() == [True, True]

    def test_the_mark_carries_the_last_close_over_a_hole(self) -> None:
        history = random_walks(1, 10)
        history.close[0, 4:7] = np.nan
        marks = history.at(START_MS + 7 * HOUR_MS).last_close()
        assert marks[0] == history.close[0, 3]


class TestCsvFolder:
    def test_plain_and_gzipped_files_read_back_exactly(self, tmp_path: Path) -> None:
        history = random_walks(4, 72)
        loaded = load_csv_folder(write_csv_folder(history, tmp_path, gzip_every=2))
        assert loaded.symbols == sorted(history.symbols)
        for name in ("open", "high", "low", "close", "volume"):
            ours = getattr(history, name)[[history.index_of(s) for s in loaded.symbols]]
            np.testing.assert_array_equal(getattr(loaded, name), ours)
        assert loaded.funding_known

    def test_a_symbol_without_a_funding_file_has_unknown_funding(self, tmp_path: Path) -> None:
        write_csv_folder(random_walks(2, 24), tmp_path)
        (tmp_path / "S001_USDT-funding.csv").unlink()
        loaded = load_csv_folder(tmp_path)
        assert loaded.funding[loaded.index_of("S001USDT")] is None
        assert loaded.funding[loaded.index_of("BTCUSDT")] is not None

    def test_a_folder_without_candles_or_with_a_bad_file_is_refused(self, tmp_path: Path) -> None:
        with pytest.raises(HistoryFolderError, match=r"no <BASE>_USDT-1h\.csv"):
            load_csv_folder(tmp_path)
        (tmp_path / "BAD_USDT-1h.csv").write_text("ts_ms,open,high,low,close,volume\n1,2,3\n")
        with pytest.raises(HistoryFolderError, match=r"BAD_USDT-1h\.csv"):
            load_csv_folder(tmp_path)


def interval_h(history: MarketHistory, i: int, t_ms: int) -> float:
    """Hours between symbol i's last two settlements at or before t (NaN with fewer)."""
    record = history.funding[i]
    known = np.zeros(0) if record is None else record.at_ms[record.at_ms <= t_ms]
    return float("nan") if known.size < 2 else float(known[-1] - known[-2]) / HOUR_MS


class TestEverySymbolAtOnce:
    """The whole-universe reads give what the per-symbol reads give."""

    @staticmethod
    def history() -> MarketHistory:
        history = random_walks(6, 24 * 20, seed=2)
        history.close[1, :50] = np.nan  # listed later
        history.close[2, 100:130] = np.nan  # a hole
        history.close[3, 300:] = np.nan  # delisted
        funding = list(history.funding)
        funding[4] = None  # unknown
        record = funding[5]
        assert record is not None
        funding[5] = Funding(record.at_ms[::5], record.rate[::5])  # rarer settlements
        return dataclasses.replace(history, funding=funding, _index={})

    @staticmethod
    def assert_each_symbols_funding(view: PointInTime, since: int, points: int) -> None:
        settled = view.settled(since_ms=since, points=points)
        for i in range(view.history.size):
            rates = view.funding(i, since_ms=since)
            count = 0 if rates is None else rates.size
            assert settled.count[i] == count
            if rates is not None and count:
                assert settled.latest[i] == rates[-1]
                recent = np.full(points, np.nan)
                recent[points - min(count, points) :] = rates[-points:]
                np.testing.assert_array_equal(settled.recent[i], recent)
            else:
                assert np.isnan(settled.latest[i]) and np.isnan(settled.recent[i]).all()
            np.testing.assert_array_equal(
                settled.interval_h[i], interval_h(view.history, i, view.t_ms)
            )

    def test_settled_funding_is_each_symbols_funding(self) -> None:
        history = self.history()
        for hours in (1, 9, 17, 100, 24 * 20):
            view = history.at(START_MS + hours * HOUR_MS)
            self.assert_each_symbols_funding(view, view.t_ms - 3 * 24 * HOUR_MS, 4)

    def test_settled_funding_hour_after_hour_is_each_symbols_funding(self) -> None:
        # One hour's answer is reused while no symbol's window changes: never a stale one.
        history = self.history()
        reused = 0
        for hours in [*range(1, 24 * 20 + 1), 5, 5]:
            view = history.at(START_MS + hours * HOUR_MS)
            for lookback_h, points in ((72, 4), (72, 2), (30, 2)):
                since = view.t_ms - lookback_h * HOUR_MS
                self.assert_each_symbols_funding(view, since, points)
                first = view.settled(since_ms=since, points=points)
                again = history.at(view.t_ms).settled(since_ms=since, points=points)
                assert again is first and not first.recent.flags.writeable
            previous = history.at(view.t_ms - HOUR_MS) if hours > 1 else None
            if previous is not None:
                before = previous.settled(since_ms=previous.t_ms - 30 * HOUR_MS, points=2)
                now = view.settled(since_ms=view.t_ms - 30 * HOUR_MS, points=2)
                reused += before is now
        assert reused > 24 * 20 / 2  # settlements every 8 h: most hours see the same windows

    def test_settlements_by_the_hour_are_the_searched_ones(self) -> None:
        history = self.history()
        first, hours = int(history.grid_ms[0]), history.grid_ms.size
        times = [first + h * HOUR_MS for h in range(-3, hours + 4)]
        times += [first + 7 * HOUR_MS + 1, first + 30 * HOUR_MS - 1, -5, 0]
        for t_ms in times:
            np.testing.assert_array_equal(
                history._funding_upto(t_ms), history._funding_index.upto(t_ms)
            )

    def test_latest_candle_and_first_close_in_a_window(self) -> None:
        history = self.history()
        for hours in (1, 40, 51, 115, 140, 301, 24 * 20):
            view = history.at(START_MS + hours * HOUR_MS)
            closes = history.close[:, : view.end]
            for i in range(history.size):
                present = np.flatnonzero(~np.isnan(closes[i]))
                latest = view.last_candle_close_ms()[i]
                if present.size:
                    assert latest == history.grid_ms[present[-1]] + HOUR_MS
                else:
                    assert np.isnan(latest)
                for window in (1, 24, 200):
                    shown = view.candles("close", window)[i]
                    known = shown[~np.isnan(shown)]
                    first = view.first_close_within(window)[i]
                    assert first == known[0] if known.size else np.isnan(first)
