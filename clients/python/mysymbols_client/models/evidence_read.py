from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.evidence_read_calibration import EvidenceReadCalibration
    from ..models.evidence_read_data import EvidenceReadData
    from ..models.evidence_read_ic import EvidenceReadIc
    from ..models.evidence_read_out_of_sample import EvidenceReadOutOfSample
    from ..models.evidence_read_selection_type_0 import EvidenceReadSelectionType0
    from ..models.market_data_read import MarketDataRead
    from ..models.verdict import Verdict


T = TypeVar("T", bound="EvidenceRead")


@_attrs_define
class EvidenceRead:
    """
    Attributes:
        calibration (EvidenceReadCalibration): Windows, objective, search space and the in-sample figures and IC.
        computed_at (datetime.datetime):
        data (EvidenceReadData): Range, symbols, decisions and funding coverage.
        ic (EvidenceReadIc): Out-of-sample information coefficients (mean, t, Newey-West t `t_hac`, n) of the
            configuration in force (`active`) and of the calibrated one (`calibrated`); `residual_btc`: against returns net
            of BTC beta.
        market_data (MarketDataRead): Where the candles behind the answer's figures came from
            (`app.market.contracts.data_source`).
        out_of_sample (EvidenceReadOutOfSample): default (in force), policy (calibrated) and every baseline, after
            costs.
        policy_hash (str): The configuration in force the evidence is about.
        report_url (str): The full report, equity curves and folds included.
        run_id (int):
        selection (EvidenceReadSelectionType0 | None): Selection skill out of sample, market beta removed: the equal-
            weight eligible universe (`universe`), each strategy's alpha and beta against it with alpha's t, Newey-West t
            (`alpha_t_hac`) and 95 % interval, active return, tracking error and information ratio (`strategies`), the
            composite's, each component's and each metric's IC against raw and universe-residual (`residual_universe`)
            returns and the top-minus-bottom decile spread, each with its Newey-West t (`ranking`), each replacement's and
            blocked recommendation's outcome after 1, 7 and 30 days with its hit rate and interval clustered by decision
            date and overlapping horizons (`replacements`), and each track's percentile among the random books' return,
            Sharpe and alpha (`random`: `random`, and `random_turnover` at the policy's own turnover). Whole decision
            periods only. None for a calibration stored before it existed.
        verdict (Verdict):
    """

    calibration: EvidenceReadCalibration
    computed_at: datetime.datetime
    data: EvidenceReadData
    ic: EvidenceReadIc
    market_data: MarketDataRead
    out_of_sample: EvidenceReadOutOfSample
    policy_hash: str
    report_url: str
    run_id: int
    selection: EvidenceReadSelectionType0 | None
    verdict: Verdict
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.evidence_read_selection_type_0 import EvidenceReadSelectionType0  # noqa: PLC0415

        calibration = self.calibration.to_dict()

        computed_at = self.computed_at.isoformat()

        data = self.data.to_dict()

        ic = self.ic.to_dict()

        market_data = self.market_data.to_dict()

        out_of_sample = self.out_of_sample.to_dict()

        policy_hash = self.policy_hash

        report_url = self.report_url

        run_id = self.run_id

        selection: dict[str, Any] | None
        if isinstance(self.selection, EvidenceReadSelectionType0):
            selection = self.selection.to_dict()
        else:
            selection = self.selection

        verdict = self.verdict.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "calibration": calibration,
                "computed_at": computed_at,
                "data": data,
                "ic": ic,
                "market_data": market_data,
                "out_of_sample": out_of_sample,
                "policy_hash": policy_hash,
                "report_url": report_url,
                "run_id": run_id,
                "selection": selection,
                "verdict": verdict,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.evidence_read_calibration import EvidenceReadCalibration  # noqa: PLC0415
        from ..models.evidence_read_data import EvidenceReadData  # noqa: PLC0415
        from ..models.evidence_read_ic import EvidenceReadIc  # noqa: PLC0415
        from ..models.evidence_read_out_of_sample import EvidenceReadOutOfSample  # noqa: PLC0415
        from ..models.evidence_read_selection_type_0 import EvidenceReadSelectionType0  # noqa: PLC0415
        from ..models.market_data_read import MarketDataRead  # noqa: PLC0415
        from ..models.verdict import Verdict  # noqa: PLC0415

        d = dict(src_dict)
        calibration = EvidenceReadCalibration.from_dict(d.pop("calibration"))

        computed_at = datetime.datetime.fromisoformat(d.pop("computed_at"))

        data = EvidenceReadData.from_dict(d.pop("data"))

        ic = EvidenceReadIc.from_dict(d.pop("ic"))

        market_data = MarketDataRead.from_dict(d.pop("market_data"))

        out_of_sample = EvidenceReadOutOfSample.from_dict(d.pop("out_of_sample"))

        policy_hash = d.pop("policy_hash")

        report_url = d.pop("report_url")

        run_id = d.pop("run_id")

        def _parse_selection(data: object) -> EvidenceReadSelectionType0 | None:
            if data is None:
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                selection_type_0 = EvidenceReadSelectionType0.from_dict(data)

                return selection_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(EvidenceReadSelectionType0 | None, data)

        selection = _parse_selection(d.pop("selection"))

        verdict = Verdict.from_dict(d.pop("verdict"))

        evidence_read = cls(
            calibration=calibration,
            computed_at=computed_at,
            data=data,
            ic=ic,
            market_data=market_data,
            out_of_sample=out_of_sample,
            policy_hash=policy_hash,
            report_url=report_url,
            run_id=run_id,
            selection=selection,
            verdict=verdict,
        )

        evidence_read.additional_properties = d
        return evidence_read

    @property
    def additional_keys(self) -> list[str]:
        return list(self.additional_properties.keys())

    def __getitem__(self, key: str) -> Any:
        return self.additional_properties[key]

    def __setitem__(self, key: str, value: Any) -> None:
        self.additional_properties[key] = value

    def __delitem__(self, key: str) -> None:
        del self.additional_properties[key]

    def __contains__(self, key: str) -> bool:
        return key in self.additional_properties
